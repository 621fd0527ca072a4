//! `roster soft-delete`: mark users deleted, keeping their rows, and remove their credentials.

use super::suspend::{change_all, check_all};
use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::status::Change;
use clap::Args;

/// Soft-delete users: keep their rows, remove password, token, 2FA and sessions
///
/// A later `create` or `invite` of the same email restores the row with its details.
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
    if !dry_run && !ctx.global.yes && !ctx.interactive {
        return Err(Error::usage(
            "soft-delete needs --yes when roster cannot ask (no terminal, or --no-input)",
        ));
    }
    let mut repo = ctx.open()?;
    // Check first, so nobody is asked to confirm a change that cannot happen.
    let users = check_all(repo.as_mut(), &args.users, Change::SoftDelete)?;
    let emails: Vec<&str> = users.iter().map(|u| u.email.as_str()).collect();
    let question = format!(
        "Soft-delete {}? They can no longer log in; their rows are kept",
        emails.join(", ")
    );
    if !dry_run && !ctx.confirm(&question)? {
        return Err(Error::usage("not confirmed; nothing was changed"));
    }
    change_all(
        ctx,
        repo.as_mut(),
        &users,
        Change::SoftDelete,
        args.force,
        dry_run,
    )
}
