//! `roster soft-delete`: mark users deleted, keeping their rows, and remove their credentials.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::Interaction;
use crate::flows::status::{change_all, check_all};
use crate::status::{Change, Status};
use clap::Args;

/// Soft-delete users: keep their rows, remove password, token, 2FA and sessions
///
/// A later `create` or `invite` of the same email revives the row with its details.
/// Asks for confirmation at a terminal; elsewhere it needs --yes.
#[derive(Debug, Args)]
pub struct SoftDeleteArgs {
    /// Users, by email or id
    #[arg(required = true, value_name = "USER")]
    pub users: Vec<String>,
    /// Soft-delete even the last active administrator
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &SoftDeleteArgs) -> Result<()> {
    let dry_run = args.dry_run.dry_run;
    let mut repo = ctx.open()?;
    // Everything that can refuse is checked before anyone is asked: unknown users
    // (3), refused changes and the last administrator (4, by a rolled-back trial).
    let users = check_all(repo.as_mut(), &args.users, Change::SoftDelete)?;
    let pending: Vec<&str> = users
        .iter()
        .filter(|u| u.status() != Status::Deleted)
        .map(|u| u.email.as_str())
        .collect();
    if !dry_run && !pending.is_empty() {
        let trial = ctx.write_opts(repo.as_mut(), true, args.force)?;
        let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
        repo.change_statuses(&ids, Change::SoftDelete, &trial)?;
        confirm(ctx, &pending)?;
    }
    let change = Change::SoftDelete;
    let done = change_all(
        &ctx.run(),
        repo.as_mut(),
        &users,
        change,
        args.force,
        dry_run,
    )?;
    ctx.out.status_changes(change, &done)
}

/// Asks at a terminal; elsewhere `--yes` is the answer (exit 2 without it).
fn confirm(ctx: &Context, emails: &[&str]) -> Result<()> {
    if !ctx.global.yes && !ctx.interactive {
        return Err(Error::usage(
            "soft-delete needs --yes when roster cannot ask (no terminal, or --no-input)",
        ));
    }
    let question = format!(
        "Soft-delete {}? They can no longer log in; their rows are kept",
        emails.join(", ")
    );
    match ctx.terminal.confirm(&question)? {
        true => Ok(()),
        false => Err(Error::usage("not confirmed; nothing was changed")),
    }
}
