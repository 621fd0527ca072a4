//! `roster forget`: erase a soft-deleted user's personal data, keeping the row.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::Result;
use clap::Args;

/// Erase a soft-deleted user's personal data, keeping the row and its id
///
/// Names, title, company, location, description, avatar, tags, SSO data, time
/// zone and language are cleared, and the email is replaced by a tombstone
/// (forgotten-ID@forgotten.invalid) that can never log in or collide with a real
/// address. The row and its id stay, so activity, revisions, files and comments
/// still point at it. The audit trail records that the user was forgotten, not
/// what was erased. A live user is refused: soft-delete first.
#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &ForgetArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let opts = ctx.write_opts(repo.as_mut(), args.dry_run.dry_run, false)?;
    let changed = repo.forget_user(&args.user, &opts)?;
    ctx.out.forgotten(&changed, opts.dry_run)
}
