//! `roster set-password`: a new password under the policy; ends the user's sessions.

use crate::cli::{DryRun, PasswordArgs};
use crate::context::Context;
use crate::error::Result;
use crate::password;
use crate::repo::{Changed, Repo};
use crate::status::Status;
use clap::Args;

/// Set a user's password and end their sessions (activates invited or draft users)
#[derive(Debug, Args)]
pub struct SetPasswordArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &SetPasswordArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    apply(
        ctx,
        repo.as_mut(),
        &args.user,
        &args.password,
        args.dry_run.dry_run,
    )
}

/// Checks the password against the policy, then stores its hash.
pub fn apply(
    ctx: &Context,
    repo: &mut dyn Repo,
    user: &str,
    args: &PasswordArgs,
    dry_run: bool,
) -> Result<()> {
    let policy = ctx.policy(repo)?;
    let chosen = password::choose(
        &args.sources(),
        ctx.interactive,
        &policy,
        args.allow_weak_password,
    )?
    .ok_or_else(password::missing)?;
    let opts = ctx.write_opts(repo, dry_run, false)?;
    let Changed::Done { from, user } = repo.set_password(user, &chosen.hash, &opts)? else {
        unreachable!("set_password always changes the password");
    };
    let activated = if matches!(from, Status::Invited | Status::Draft) {
        " and activated the user"
    } else {
        ""
    };
    let msg = format!("set the password of {}{activated}", user.email);
    if dry_run {
        ctx.out
            .note(format!("dry run: would have {msg}; nothing was changed"));
        return Ok(());
    }
    ctx.out.note(msg);
    if chosen.generated {
        ctx.out.note("generated password (shown once):");
        println!("{}", chosen.secret.as_str());
    }
    Ok(())
}
