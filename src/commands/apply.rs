//! `roster apply`: make the database match a declared set of roles and users.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::apply_file::{self, DeclaredRole};
use crate::flows::import::{self, Declared, Options};
use crate::flows::roles;
use crate::output;
use crate::repo::{OnConflict, Policy, Repo, RoleEdit};
use clap::Args;
use std::path::PathBuf;

/// Make the database match a TOML file of roles and users
///
/// The file has [[roles]] (name, admin, app_access) and [[users]] (the fields
/// `import` reads, plus password_env = "VAR" to take a password from the
/// environment). roster compares the database with it, prints the plan (+ create,
/// ~ field: old → new, - soft-delete; = unchanged with -v), then applies it in one
/// transaction. A declared role with other access is changed to match, as
/// `roles edit` changes it. A password is set when a user is created or revived, or with
/// --reset-passwords; never on a plain re-run. Users the file does not name are
/// left alone unless --prune.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The TOML file to apply; - reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Role of users that name none (name or id)
    #[arg(short, long)]
    pub role: Option<String>,
    /// Soft-delete live users the file does not name
    #[arg(long)]
    pub prune: bool,
    /// Set the file's passwords on users that already exist too
    #[arg(long)]
    pub reset_passwords: bool,
    /// Give every new active user without a password a generated one (printed once)
    #[arg(long)]
    pub random_password: bool,
    /// Give every new user without a token a generated one (printed once)
    #[arg(long)]
    pub generate_token: bool,
    /// Accept passwords the password policy refuses (for throwaway test users)
    #[arg(long)]
    pub allow_weak_password: bool,
    /// Allow a plan that leaves no active administrator
    #[arg(long)]
    pub force: bool,
    /// Update a user whose id differs from the row's id, keeping the user's
    /// (without it such a row is exit 5: references would not line up)
    #[arg(long)]
    pub ignore_ids: bool,
    /// Accept a file that declares no users (with --prune that soft-deletes
    /// every user; otherwise exit 5 when it declares no roles either)
    #[arg(long)]
    pub allow_empty: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &ApplyArgs) -> Result<()> {
    let dry_run = args.dry_run.dry_run;
    if (args.random_password || args.generate_token) && !dry_run {
        output::secret_can_be_shown()?;
    }
    // Opened first: the database's custom fields are fields of the file too.
    let mut repo = ctx.open()?;
    ctx.out.reading_from(&args.file);
    let file = apply_file::read(&args.file)?;
    // Roles and policies alone are a file's whole purpose only without --prune.
    let declares = !file.roles.is_empty() || !file.policies.is_empty();
    let allow_empty = args.allow_empty || (declares && !args.prune);
    let declared = converge(repo.as_mut(), file.roles, file.policies)?;
    let rows = file.users;
    let opts = Options {
        on_conflict: OnConflict::Update,
        role: args.role.clone(),
        random_password: args.random_password,
        generate_token: args.generate_token,
        allow_weak: args.allow_weak_password,
        passwords_on_update: args.reset_passwords,
        prune: args.prune,
        force: args.force,
        ignore_ids: args.ignore_ids,
        allow_empty,
        dry_run,
    };
    let mut plan = ctx.out.apply_report(ctx.global.verbose);
    let mut rows = rows;
    import::write(
        &ctx.run(),
        repo.as_mut(),
        &mut rows,
        &declared,
        &opts,
        &mut plan,
    )
}

/// The roles the file declares that do not exist yet, those that exist with
/// other access (when the file gives it), with the change that makes them match
/// (written with the users, in one transaction, as `roles edit` writes it), and
/// the policies to make, change and attach.
fn converge(
    repo: &mut dyn Repo,
    roles: Vec<DeclaredRole>,
    policies: Vec<Policy>,
) -> Result<Declared> {
    let mut out = Declared::default();
    for DeclaredRole { new: want, access } in roles {
        let Some(have) = repo.find_role(&want.name)? else {
            out.make.push(want);
            continue;
        };
        let edit = RoleEdit {
            admin: Some(want.admin_access),
            app_access: Some(want.app_access || want.admin_access),
            description: None,
        };
        if access && !roles::changes(&have, &edit).is_empty() {
            out.edit.push((have, edit));
        }
    }
    if !policies.is_empty() && !repo.schema()?.uses_policies() {
        return Err(Error::validation(
            "[[policies]] need Directus 11 or later: this database keeps access on its roles",
        ));
    }
    out.policy_changes = roles::policy_changes(&repo.policies()?, &policies);
    out.policies = policies;
    Ok(out)
}
