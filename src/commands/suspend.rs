//! `roster suspend`: users who can no longer log in.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::Result;
use crate::flows::status;
use crate::status::Change;
use clap::Args;

/// Suspend users: they can no longer log in (their sessions end)
#[derive(Debug, Args)]
pub struct SuspendArgs {
    /// Users, by email or id
    #[arg(required = true, value_name = "USER")]
    pub users: Vec<String>,
    /// Suspend even the last active administrator
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &SuspendArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let (change, dry_run) = (Change::Suspend, args.dry_run.dry_run);
    let done = status::apply(
        &ctx.run(),
        repo.as_mut(),
        &args.users,
        change,
        args.force,
        dry_run,
    )?;
    ctx.out.status_changes(change, &done)
}
