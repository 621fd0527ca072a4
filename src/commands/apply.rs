//! `roster apply`: make the database match a declared set of roles and users.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::import::{self, Declared, Options};
use crate::flows::roles;
use crate::flows::rows::{Pending, check};
use crate::output;
use crate::repo::{NewRole, OnConflict, Repo, RoleEdit};
use crate::rows::{Cell, FileFormat, FileRow, IMPORT_ONLY, export_names, toml_fields};
use clap::Args;
use std::path::{Path, PathBuf};

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
    let (roles, rows) = read_file(&args.file)?;
    // Roles alone are a file's whole purpose only without --prune.
    let allow_empty = args.allow_empty || (!roles.is_empty() && !args.prune);
    let mut repo = ctx.open()?;
    let declared = roles_to_converge(repo.as_mut(), roles)?;
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

/// The roles the file declares that do not exist yet, and those that exist with
/// other access, with the change that makes them match (written with the users,
/// in one transaction, as `roles edit` writes it).
fn roles_to_converge(repo: &mut dyn Repo, declared: Vec<NewRole>) -> Result<Declared> {
    let mut out = Declared::default();
    for want in declared {
        let Some(have) = repo.find_role(&want.name)? else {
            out.make.push(want);
            continue;
        };
        let edit = RoleEdit {
            admin: Some(want.admin_access),
            app_access: Some(want.app_access || want.admin_access),
            description: None,
        };
        if !roles::changes(&have, &edit).is_empty() {
            out.edit.push((have, edit));
        }
    }
    Ok(out)
}

/// Reads the file: its roles, and its users checked as import rows.
fn read_file(path: &Path) -> Result<(Vec<NewRole>, Vec<Pending>)> {
    let text = crate::input::read_or_stdin(path, "apply file")?;
    let doc: toml::Table = text.parse().map_err(|e| {
        let refused = Error::validation(format!(
            "{} is not valid TOML: {}",
            path.display(),
            crate::rows::toml_error(&e, &text)
        ));
        match FileFormat::sniff(text.as_bytes()) {
            Some(FileFormat::Toml) | None => refused,
            Some(other) => refused.hint(format!(
                "it looks like {}: `roster import FILE` reads CSV, JSON and JSON Lines",
                match other {
                    FileFormat::Csv => "CSV",
                    FileFormat::Json => "JSON",
                    _ => "JSON Lines",
                }
            )),
        }
    })?;
    let mut roles = Vec::new();
    let mut users = Vec::new();
    for (key, value) in doc {
        let toml::Value::Array(items) = value else {
            return Err(Error::validation(format!(
                "{key}: expected [[roles]] or [[users]] tables"
            )));
        };
        match key.as_str() {
            "roles" => {
                roles = items
                    .into_iter()
                    .enumerate()
                    .map(role)
                    .collect::<Result<_>>()?;
                refuse_repeated_roles(&roles)?;
            }
            "users" => {
                users = items
                    .into_iter()
                    .enumerate()
                    .map(user)
                    .collect::<Result<_>>()?
            }
            other => {
                return Err(Error::validation(format!(
                    "unknown table [[{other}]]: an apply file has [[roles]] and [[users]]"
                )));
            }
        }
    }
    Ok((roles, users))
}

/// Refuses a role declared twice (in any case, as role names are compared),
/// naming both declarations: which access was meant is not for roster to guess.
fn refuse_repeated_roles(roles: &[NewRole]) -> Result<()> {
    for (i, role) in roles.iter().enumerate() {
        let first = roles[..i]
            .iter()
            .position(|r| r.name.to_lowercase() == role.name.to_lowercase());
        if let Some(first) = first {
            return Err(Error::validation(format!(
                "roles[{first}] and roles[{i}] both declare the role {}",
                role.name
            )));
        }
    }
    Ok(())
}

fn role((i, value): (usize, toml::Value)) -> Result<NewRole> {
    let place = format!("roles[{i}]");
    let mut new = NewRole {
        name: String::new(),
        admin_access: false,
        app_access: false,
        if_not_exists: false,
    };
    for (k, cell) in toml_fields(value, &place)? {
        match (k.as_str(), cell) {
            ("name", Cell::Text(t)) => new.name = t.trim().to_string(),
            ("admin", Cell::Bool(b)) => new.admin_access = b,
            ("app_access", Cell::Bool(b)) => new.app_access = b,
            (other, _) => {
                return Err(Error::validation(format!(
                    "{place}: {other:?} must be name (text), admin or app_access (true or false)"
                )));
            }
        }
    }
    if new.name.is_empty() || new.name.chars().count() > 100 {
        return Err(Error::validation(format!(
            "{place}: a role name needs 1 to 100 characters"
        )));
    }
    // An admin role uses the app; Directus's own admin role has both.
    new.app_access |= new.admin_access;
    Ok(new)
}

fn user((i, value): (usize, toml::Value)) -> Result<Pending> {
    let place = format!("users[{i}]");
    let fields = toml_fields(value, &place)?;
    let mut allowed = export_names(true);
    allowed.extend(IMPORT_ONLY);
    check(
        FileRow {
            at: i as u64,
            fields,
        },
        place,
        &allowed,
    )
}
