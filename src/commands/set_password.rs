//! `roster set-password`: a new password under the policy; ends the user's sessions.

use crate::cli::{DryRun, PasswordArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::password::{self, Chosen};
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
    if args.password.random_password && !args.dry_run.dry_run {
        output::secret_can_be_shown()?;
    }
    let mut repo = ctx.open()?;
    let given = given(ctx, repo.as_mut(), &args.password)?;
    if given.is_none() && !ctx.interactive {
        return Err(password::missing());
    }
    let user = repo
        .find_user(&args.user)?
        .ok_or_else(|| Error::not_found(format!("no user {}", args.user.trim())))?;
    let chosen = or_prompt(ctx, repo.as_mut(), &args.password, given)?;
    store(ctx, repo.as_mut(), &user.id, &chosen, args.dry_run.dry_run)
}

/// The password a flag names, checked against the policy; `None` without such a flag.
pub fn given(ctx: &Context, repo: &mut dyn Repo, args: &PasswordArgs) -> Result<Option<Chosen>> {
    let policy = ctx.policy(repo)?;
    password::choose(&args.sources(), false, &policy, args.allow_weak_password)
}

/// The password given, or else one asked for at the terminal.
pub fn or_prompt(
    ctx: &Context,
    repo: &mut dyn Repo,
    args: &PasswordArgs,
    given: Option<Chosen>,
) -> Result<Chosen> {
    if let Some(chosen) = given {
        return Ok(chosen);
    }
    let policy = ctx.policy(repo)?;
    password::choose(
        &args.sources(),
        ctx.interactive,
        &policy,
        args.allow_weak_password,
    )?
    .ok_or_else(password::missing)
}

/// Stores the password's hash; a generated password is shown before it is committed.
pub fn store(
    ctx: &Context,
    repo: &mut dyn Repo,
    id: &str,
    chosen: &Chosen,
    dry_run: bool,
) -> Result<()> {
    let hash = chosen.hash()?;
    let opts = ctx.write_opts(repo, dry_run, false)?;
    let changed = ctx.commit_after(
        repo,
        dry_run,
        |r| r.set_password(id, &hash, &opts),
        |_| match chosen.generated && !dry_run {
            true => {
                ctx.out.note("generated password (shown once):");
                output::secret(chosen.secret.as_str())
            }
            false => Ok(()),
        },
    )?;
    let Changed::Done { from, user } = changed else {
        return Ok(());
    };
    let activated = match from {
        Status::Invited | Status::Draft => " and activated the user",
        _ => "",
    };
    let msg = format!("set the password of {}{activated}", user.email);
    ctx.out.note(match dry_run {
        true => format!("dry run: would have {msg}; nothing was changed"),
        false => msg,
    });
    Ok(())
}
