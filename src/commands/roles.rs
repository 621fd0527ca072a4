//! `roster roles`: list roles and create them with admin or app access.

use crate::cli::{DryRun, Format};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::roles;
use crate::repo::{Flavor, NewRole, Repo, Role};
use clap::{Args, Subcommand};
use serde::Serialize;

/// List roles, or create one
#[derive(Debug, Args)]
pub struct RolesArgs {
    #[command(subcommand)]
    pub command: RolesCommand,
}

/// What to do with roles.
#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// List roles with their access and number of users
    List,
    /// Create a role (on Directus 11 its access is granted through a new policy)
    Create(CreateRoleArgs),
    /// Rename a role (the new name unique in any case)
    Rename(RenameRoleArgs),
    /// Delete a role, refused while users hold it unless they are moved with --reassign
    Delete(DeleteRoleArgs),
}

/// Arguments of `roles create`.
#[derive(Debug, Args)]
pub struct CreateRoleArgs {
    /// Name of the new role (unique, compared case-insensitively)
    pub name: String,
    /// Users of this role are administrators (full access, app included)
    #[arg(long)]
    pub admin: bool,
    /// Users of this role may use the Directus app
    #[arg(long)]
    pub app_access: bool,
    /// Exit 0, changing nothing, when a role with this name already exists
    #[arg(long)]
    pub if_not_exists: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

/// Arguments of `roles rename`.
#[derive(Debug, Args)]
pub struct RenameRoleArgs {
    /// The role, by name (any case) or id
    pub role: String,
    /// Its new name
    pub name: String,
    #[command(flatten)]
    pub dry_run: DryRun,
}

/// Arguments of `roles delete`.
#[derive(Debug, Args)]
pub struct DeleteRoleArgs {
    /// The role, by name (any case) or id
    pub role: String,
    /// Move the role's users to this role first (name or id)
    #[arg(long, value_name = "OTHER")]
    pub reassign: Option<String>,
    /// Delete even when no active administrator would be left
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

/// The JSON printed by `roles create`.
#[derive(Serialize)]
struct Outcome<'a> {
    result: &'static str,
    dry_run: bool,
    role: &'a Role,
}

pub fn run(ctx: &Context, args: &RolesArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    match &args.command {
        RolesCommand::List => ctx.out.roles(&repo.list_roles()?),
        RolesCommand::Create(a) => create(ctx, repo.as_mut(), a),
        RolesCommand::Rename(a) => rename(ctx, repo.as_mut(), a),
        RolesCommand::Delete(a) => delete(ctx, repo.as_mut(), a),
    }
}

fn create(ctx: &Context, repo: &mut dyn Repo, a: &CreateRoleArgs) -> Result<()> {
    let name = role_name(&a.name)?;
    let new = NewRole {
        name: name.to_string(),
        admin_access: a.admin,
        app_access: a.app_access,
        if_not_exists: a.if_not_exists,
    };
    if a.if_not_exists {
        if let Some(role) = repo.find_role(name)? {
            roles::check_access(&role, a.admin, a.app_access)?;
            ctx.out.note(format!(
                "a role named {:?} already exists; nothing changed",
                role.name
            ));
            return print(ctx, "exists", false, &role);
        }
    }
    let opts = ctx.write_opts(repo, a.dry_run.dry_run, false)?;
    let role = repo.create_role(&new, &opts)?;
    if opts.dry_run {
        ctx.out.note(format!(
            "dry run: would have created role {}; nothing was changed",
            role.name
        ));
    } else {
        ctx.out
            .note(format!("created role {} ({})", role.name, role.id));
        if repo.schema()?.flavor != Flavor::Standalone {
            ctx.out.note(
                "a running Directus caches access: restart it or clear its system cache to see the new role",
            );
        }
    }
    print(ctx, "created", opts.dry_run, &role)
}

fn print(ctx: &Context, result: &'static str, dry_run: bool, role: &Role) -> Result<()> {
    if ctx.format() == Format::Json {
        return ctx.out.json(&Outcome {
            result,
            dry_run,
            role,
        });
    }
    ctx.out.roles(std::slice::from_ref(role))
}

/// A role name: 1 to 100 characters once trimmed (exit 5 otherwise).
fn role_name(raw: &str) -> Result<&str> {
    let name = raw.trim();
    match name.is_empty() || name.chars().count() > 100 {
        true => Err(Error::validation("a role name needs 1 to 100 characters")),
        false => Ok(name),
    }
}

fn rename(ctx: &Context, repo: &mut dyn Repo, a: &RenameRoleArgs) -> Result<()> {
    let name = role_name(&a.name)?;
    let opts = ctx.write_opts(repo, a.dry_run.dry_run, false)?;
    let before = roles::resolve(repo, &a.role)?;
    let role = repo.rename_role(&before.id, name, &opts)?;
    let said = format!("renamed role {} to {}", before.name, role.name);
    ctx.out
        .note(match (before.name == role.name, opts.dry_run) {
            (true, _) => format!("role {} already has this name; nothing to do", role.name),
            (false, true) => format!("dry run: would have {said}; nothing was changed"),
            (false, false) => said,
        });
    print(ctx, "renamed", opts.dry_run, &role)
}

fn delete(ctx: &Context, repo: &mut dyn Repo, a: &DeleteRoleArgs) -> Result<()> {
    let role = roles::resolve(repo, &a.role)?;
    let other = match &a.reassign {
        Some(r) => Some(roles::resolve(repo, r)?),
        None => None,
    };
    let opts = ctx.write_opts(repo, a.dry_run.dry_run, a.force)?;
    let to = other.as_ref().map(|o| o.id.as_str());
    let (role, moved) = repo.delete_role(&role.id, to, &opts)?;
    let moved = match &other {
        Some(o) if moved > 0 => format!(", moving {moved} user(s) to {}", o.name),
        _ => String::new(),
    };
    let said = format!("deleted role {}{moved}", role.name);
    ctx.out.note(match opts.dry_run {
        true => format!("dry run: would have {said}; nothing was changed"),
        false => said,
    });
    print(ctx, "deleted", opts.dry_run, &role)
}
