//! `roster suspend`, and the status-change flow it shares with `unsuspend` and `soft-delete`.

use crate::cli::{DryRun, Format};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::repo::{Changed, Repo, User};
use crate::status::{self, Change};
use clap::Args;
use serde::Serialize;

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
    apply(
        ctx,
        repo.as_mut(),
        &args.users,
        Change::Suspend,
        args.force,
        args.dry_run.dry_run,
    )
}

/// One line of the JSON result.
#[derive(Serialize)]
struct Result1<'a> {
    id: &'a str,
    email: &'a str,
    previous_status: String,
    status: &'a str,
    changed: bool,
    dry_run: bool,
}

/// Checks every user first (3, 4), so a bad name changes nobody; then changes each.
pub fn apply(
    ctx: &Context,
    repo: &mut dyn Repo,
    keys: &[String],
    change: Change,
    force: bool,
    dry_run: bool,
) -> Result<()> {
    let users = check_all(repo, keys, change)?;
    change_all(ctx, repo, &users, change, force, dry_run)
}

/// Changes users already checked by [`check_all`], reporting each.
pub fn change_all(
    ctx: &Context,
    repo: &mut dyn Repo,
    users: &[User],
    change: Change,
    force: bool,
    dry_run: bool,
) -> Result<()> {
    let opts = ctx.write_opts(repo, dry_run, force)?;
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    let results = repo.change_statuses(&ids, change, &opts)?;
    let mut json = Vec::new();
    for r in &results {
        let (user, prev, changed) = match r {
            Changed::Done { from, user } => (user, from.to_string(), true),
            Changed::AlreadyThere(user) => (user, user.status.clone(), false),
        };
        ctx.out
            .note(describe(user, &prev, changed, change, dry_run));
        json.push(Result1 {
            id: &user.id,
            email: &user.email,
            previous_status: prev,
            status: &user.status,
            changed,
            dry_run,
        });
    }
    if ctx.format() == Format::Json {
        ctx.out.json(&json)?;
    }
    Ok(())
}

/// Finds every user and checks that the change is allowed (or a no-op) for each.
pub fn check_all(repo: &mut dyn Repo, keys: &[String], change: Change) -> Result<Vec<User>> {
    let mut users = Vec::new();
    for key in keys {
        let user = repo
            .find_user(key)?
            .ok_or_else(|| Error::not_found(format!("no user {}", key.trim())))?;
        status::plan(&user.email, &user.status(), change)?;
        if !users.iter().any(|u: &User| u.id == user.id) {
            users.push(user);
        }
    }
    Ok(users)
}

fn describe(user: &User, prev: &str, changed: bool, change: Change, dry_run: bool) -> String {
    let target = change.target();
    if !changed {
        return format!("{} is already {target}; nothing to do", user.email);
    }
    let verb = match change {
        Change::Suspend => "suspended",
        Change::Unsuspend => "unsuspended",
        Change::SoftDelete => "soft-deleted",
        Change::Activate => "activated",
    };
    let msg = format!("{verb} {} (was {prev})", user.email);
    if dry_run {
        format!("dry run: would have {msg}; nothing was changed")
    } else {
        msg
    }
}
