//! `roster unsuspend`: suspended users become active again.

use super::suspend::apply;
use crate::cli::DryRun;
use crate::context::Context;
use crate::error::Result;
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
    apply(
        ctx,
        repo.as_mut(),
        &args.users,
        Change::Unsuspend,
        false,
        args.dry_run.dry_run,
    )
}
