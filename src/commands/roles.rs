//! `roster roles`: list, create, edit, rename and delete roles.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::Run;
use crate::flows::roles::{self, RoleChange};
use crate::repo::{NewRole, Repo, RoleEdit};
use clap::{Args, Subcommand};

/// List, create, edit, rename or delete roles
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
    /// Change a role's admin or app access, or its description
    Edit(EditRoleArgs),
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

/// Arguments of `roles edit`.
#[derive(Debug, Args)]
pub struct EditRoleArgs {
    /// The role, by name (any case) or id
    pub role: String,
    /// Make its users administrators (full access, app included)
    #[arg(long, overrides_with = "no_admin")]
    pub admin: bool,
    /// Take admin access from its users
    #[arg(long)]
    pub no_admin: bool,
    /// Let its users use the Directus app
    #[arg(long, overrides_with = "no_app_access")]
    pub app_access: bool,
    /// Keep its users out of the Directus app (an admin role keeps it)
    #[arg(long)]
    pub no_app_access: bool,
    /// Set its description; an empty one clears it
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Take admin access even when no active administrator would be left
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

impl EditRoleArgs {
    /// The change these flags ask for.
    fn edit(&self) -> Result<RoleEdit> {
        let yes_no = |yes: bool, no: bool| (yes || no).then_some(yes);
        let description = match self.description.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(text) => Some(Some(role_description(text)?)),
        };
        Ok(RoleEdit {
            admin: yes_no(self.admin, self.no_admin),
            app_access: yes_no(self.app_access, self.no_app_access),
            description,
        })
    }
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
    /// Exit 0, changing nothing, when no role has this name or id
    #[arg(long)]
    pub if_exists: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &RolesArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let (repo, run) = (repo.as_mut(), ctx.run());
    let (change, dry_run) = match &args.command {
        RolesCommand::List => return ctx.out.roles(&repo.list_roles()?),
        RolesCommand::Create(a) => (create(&run, repo, a)?, a.dry_run.dry_run),
        RolesCommand::Edit(a) => {
            let dry_run = a.dry_run.dry_run;
            let edit = a.edit()?;
            let change = roles::edit(&run, repo, &a.role, &edit, a.force, dry_run)?;
            (change, dry_run)
        }
        RolesCommand::Rename(a) => {
            let name = role_name(&a.name)?;
            let dry_run = a.dry_run.dry_run;
            (roles::rename(&run, repo, &a.role, name, dry_run)?, dry_run)
        }
        RolesCommand::Delete(a) => {
            if a.if_exists && repo.find_role(&a.role)?.is_none() {
                ctx.out
                    .note(format!("no role {:?}; nothing to do", a.role.trim()));
                return Ok(());
            }
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

/// A role's description: printable text, as a user's text fields are.
fn role_description(text: &str) -> Result<String> {
    crate::profile::check(
        "description",
        crate::fields::Rule::Text(10_000),
        text.to_string(),
    )
}

/// A role name: 1 to 100 characters once trimmed (exit 5 otherwise).
fn role_name(raw: &str) -> Result<&str> {
    let name = raw.trim();
    match name.is_empty() || name.chars().count() > 100 {
        true => Err(Error::validation("a role name needs 1 to 100 characters")),
        false => Ok(name),
    }
}
