//! `roster roles`: list roles and create them with admin or app access.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::Run;
use crate::flows::roles::{self, RoleChange};
use crate::repo::{NewRole, Repo};
use clap::{Args, Subcommand};

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

pub fn run(ctx: &Context, args: &RolesArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let (repo, run) = (repo.as_mut(), ctx.run());
    let (change, dry_run) = match &args.command {
        RolesCommand::List => return ctx.out.roles(&repo.list_roles()?),
        RolesCommand::Create(a) => (create(&run, repo, a)?, a.dry_run.dry_run),
        RolesCommand::Rename(a) => {
            let name = role_name(&a.name)?;
            let dry_run = a.dry_run.dry_run;
            (roles::rename(&run, repo, &a.role, name, dry_run)?, dry_run)
        }
        RolesCommand::Delete(a) => {
            let (to, dry_run) = (a.reassign.as_deref(), a.dry_run.dry_run);
            let change = roles::delete(&run, repo, &a.role, to, a.force, dry_run)?;
            (change, dry_run)
        }
    };
    ctx.out.role_changed(&change, dry_run)
}

fn create(run: &Run, repo: &mut dyn Repo, a: &CreateRoleArgs) -> Result<RoleChange> {
    let new = NewRole {
        name: role_name(&a.name)?.to_string(),
        admin_access: a.admin,
        app_access: a.app_access,
        if_not_exists: a.if_not_exists,
    };
    roles::create(run, repo, &new, a.dry_run.dry_run)
}

/// A role name: 1 to 100 characters once trimmed (exit 5 otherwise).
fn role_name(raw: &str) -> Result<&str> {
    let name = raw.trim();
    match name.is_empty() || name.chars().count() > 100 {
        true => Err(Error::validation("a role name needs 1 to 100 characters")),
        false => Ok(name),
    }
}
