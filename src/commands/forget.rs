//! `roster forget`: erase a soft-deleted user's personal data, keeping the row.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use clap::Args;

/// Erase a soft-deleted user's personal data and credentials, keeping the row
///
/// Names, title, company, location, description, avatar, tags, SSO data, time
/// zone and language are cleared, so are the password hash, token and 2FA secret
/// (a user Directus archived keeps them), and the email is replaced by a tombstone
/// (forgotten-ID@forgotten.invalid) that can never log in or collide with a real
/// address. The row and its id stay, so activity, revisions, files and comments
/// still point at it. The audit trail records that the user was forgotten, not
/// what was erased. The output says what was erased and what was not. A live user
/// is refused: soft-delete first.
#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    /// Also replace the personal values in the revisions of the user's row
    /// (directus_revisions keeps a copy of every earlier value)
    #[arg(long)]
    pub scrub_revisions: bool,
    /// Exit 0, changing nothing, when no user has this email or id (a re-run
    /// finds none: the email was replaced)
    #[arg(long)]
    pub if_exists: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &ForgetArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let opts = ctx.write_opts(repo.as_mut(), args.dry_run.dry_run, false)?;
    let forgotten = match repo.forget_user(&args.user, args.scrub_revisions, &opts) {
        Err(e) if args.if_exists && matches!(e.kind(), Error::NotFound(_)) => {
            ctx.out
                .note(format!("no user {}; nothing to do", args.user.trim()));
            return Ok(());
        }
        other => other?,
    };
    ctx.out.forgotten(&forgotten, opts.dry_run)
}
