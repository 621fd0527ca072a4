//! `roster unsuspend`: suspended users become active again.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::Result;
use crate::flows::status;
use crate::status::Change;
use clap::Args;

/// Unsuspend users: suspended users become active again
#[derive(Debug, Args)]
pub struct UnsuspendArgs {
    /// Users, by email or id
    #[arg(required = true, value_name = "USER")]
    pub users: Vec<String>,
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
        false,
        dry_run,
    )?;
    ctx.out.status_changes(change, &done)
}
