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
    }
}

fn create(ctx: &Context, repo: &mut dyn Repo, a: &CreateRoleArgs) -> Result<()> {
    let name = a.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::validation("a role name needs 1 to 100 characters"));
    }
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
