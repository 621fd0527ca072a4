//! `roster import`: many users from a CSV, JSON, JSON Lines or TOML file, all or nothing.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::import::{self, Options};
use crate::flows::interaction::Interaction;
use crate::flows::rows::{Pending, check};
use crate::output;
use crate::repo::OnConflict;
use crate::rows::{FileFormat, IMPORT_ONLY, export_names, read};
use clap::Args;
use std::path::{Path, PathBuf};

/// Import users from a file, all or nothing, in one transaction
///
/// Fields are the names `show` and `export` use: email (required), first_name,
/// last_name, title, company, timezone, language, theme, email_notifications,
/// role (name or id), status, password (checked against the policy and hashed),
/// password_hash (an argon2 PHC string, stored as is), token, tfa_secret and id
/// (kept for a new user). Every row is checked before anything is written; a
/// soft-deleted email is revived (unless the row says status deleted). A new row
/// is active when it has a password (or --random-password), else invited. Only
/// what differs is written: a re-run of the same file is all unchanged.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to read; - reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The file's format [default: from its extension: .csv, .json, .jsonl, .toml]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<FileFormat>,
    /// Role of rows that name none (name or id)
    #[arg(short, long)]
    pub role: Option<String>,
    /// What to do with a row whose email a user already has
    #[arg(long, value_enum, default_value_t = OnConflict::Fail, value_name = "MODE")]
    pub on_conflict: OnConflict,
    /// Give every new active row without a password a generated one (printed once)
    #[arg(long)]
    pub random_password: bool,
    /// Give every new row without a token a generated one (printed once)
    #[arg(long)]
    pub generate_token: bool,
    /// Accept passwords the password policy refuses (for throwaway test users)
    #[arg(long)]
    pub allow_weak_password: bool,
    /// Allow an import that leaves no active administrator
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<()> {
    let format = format_of(&args.file, args.input_format)?;
    let dry_run = args.dry_run.dry_run;
    if (args.random_password || args.generate_token) && !dry_run {
        output::secret_can_be_shown()?;
    }
    let rows = read_rows(ctx, &args.file, format)?;
    let mut repo = ctx.open()?;
    let opts = Options {
        on_conflict: args.on_conflict,
        role: args.role.clone(),
        random_password: args.random_password,
        generate_token: args.generate_token,
        allow_weak: args.allow_weak_password,
        passwords_on_update: true,
        prune: false,
        force: args.force,
        dry_run,
    };
    import::write(&ctx.run(), repo.as_mut(), rows, &[], &opts, |o| {
        ctx.out.imported(o)
    })
    .map(|_| ())
}

/// The format given, else the one the extension names.
pub fn format_of(path: &Path, given: Option<FileFormat>) -> Result<FileFormat> {
    given.or_else(|| FileFormat::of_path(path)).ok_or_else(|| {
        Error::usage(format!(
            "cannot tell the format of {} from its name: give --input-format csv, json, jsonl or toml",
            path.display()
        ))
    })
}

/// Reads and checks every row (exit 5 at the first bad one, nothing written),
/// with a bar of the bytes read at a terminal.
fn read_rows(ctx: &Context, path: &Path, format: FileFormat) -> Result<Vec<Pending>> {
    let mut allowed = export_names(true);
    allowed.extend(IMPORT_ONLY);
    let file = (path != Path::new("-")).then(|| std::fs::metadata(path).ok());
    let size = file.flatten().filter(|m| m.is_file());
    let bar = ctx
        .terminal
        .reading(size.map(|m| m.len()), &path.display().to_string());
    let mut rows = Vec::new();
    let read = read(path, format, &bar, &mut |fr| {
        let place = format.where_is(fr.at);
        rows.push(check(fr, place, &allowed)?);
        Ok(())
    });
    bar.finish_and_clear();
    read.map(|_| rows)
}
