//! Obtaining a password under the policy, and storing it: the steps `create`,
//! `activate` and `set-password` share.

use crate::cli::PasswordArgs;
use crate::context::Context;
use crate::error::Result;
use crate::password::{self, Chosen};
use crate::repo::{Changed, Repo};

/// The password a flag names, read before the database is opened: a file or
/// variable that cannot be read is a usage error (2) whatever the database's state.
pub fn read(args: &PasswordArgs) -> Result<Option<password::Obtained>> {
    args.sources().obtain(false)
}

/// The password read, checked against the policy; `None` without one.
pub fn given(
    ctx: &Context,
    repo: &mut dyn Repo,
    args: &PasswordArgs,
    read: Option<password::Obtained>,
) -> Result<Option<Chosen>> {
    let Some(got) = read else {
        return Ok(None);
    };
    let policy = ctx.policy(repo)?;
    password::accept(got, &policy, args.allow_weak_password).map(Some)
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

/// Stores the password's hash; `reveal` shows a generated password before the
/// change is committed, so it is never stored unseen.
pub fn store(
    ctx: &Context,
    repo: &mut dyn Repo,
    id: &str,
    chosen: &Chosen,
    dry_run: bool,
    reveal: impl FnOnce(&Chosen) -> Result<()>,
) -> Result<Changed> {
    let hash = chosen.hash()?;
    let opts = ctx.write_opts(repo, dry_run, false)?;
    ctx.commit_after(
        repo,
        dry_run,
        |r| r.set_password(id, &hash, &opts),
        |_| reveal(chosen),
    )
}
