//! `roster unsuspend`: suspended users become active again.

use crate::cli::{DryRun, SeatForce};
use crate::context::Context;
use crate::error::Result;
use crate::flows::status;
use crate::status::Change;
use clap::Args;

/// Unsuspend users: each gets back its status from before the suspension
///
/// The audit trail (roster's and Directus's revisions) says what that was: an
/// invited or draft user is invited or draft again (its invite link works again
/// while it lasts), never an active user with no password. Without a trail, a
/// user who has a password or signs in by SSO becomes active; one with neither is
/// refused (exit 4) with a hint to `roster set-password`.
#[derive(Debug, Args)]
pub struct UnsuspendArgs {
    /// Users, by email or id
    #[arg(required = true, value_name = "USER")]
    pub users: Vec<String>,
    #[command(flatten)]
    pub seats: SeatForce,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &UnsuspendArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let (change, dry_run) = (Change::Unsuspend, args.dry_run.dry_run);
    let done = status::apply(
        &ctx.run(),
        repo.as_mut(),
        &args.users,
        change,
        args.seats.force,
        dry_run,
    )?;
    ctx.out.status_changes(change, &done)
}
