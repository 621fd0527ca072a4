//! Status changes for several users at once (suspend, unsuspend, soft-delete):
//! every user checked first, then all changed in one transaction.

use super::Run;
use crate::error::Result;
use crate::repo::{Changed, Repo, User};
use crate::status::{self, Change};
use serde::Serialize;

/// What a status change did to one user (one entry of the JSON result).
#[derive(Debug, Clone, Serialize)]
pub struct StatusOutcome {
    pub id: String,
    pub email: String,
    pub previous_status: String,
    pub status: String,
    pub changed: bool,
    pub dry_run: bool,
}

impl StatusOutcome {
    fn of(changed: Changed, dry_run: bool) -> StatusOutcome {
        let (user, previous_status, changed) = match changed {
            Changed::Done { from, user } => (user, from.to_string(), true),
            Changed::AlreadyThere(user) => {
                let prev = user.status.clone();
                (user, prev, false)
            }
        };
        StatusOutcome {
            id: user.id,
            email: user.email,
            previous_status,
            status: user.status,
            changed,
            dry_run,
        }
    }
}

/// Checks every user (3, 4), so a bad name changes nobody; then changes each.
pub fn apply(
    run: &Run,
    repo: &mut dyn Repo,
    keys: &[String],
    change: Change,
    force: bool,
    dry_run: bool,
) -> Result<Vec<StatusOutcome>> {
    let users = check_all(repo, keys, change)?;
    change_all(run, repo, &users, change, force, dry_run)
}

/// Changes users already checked by [`check_all`], in one transaction.
pub fn change_all(
    run: &Run,
    repo: &mut dyn Repo,
    users: &[User],
    change: Change,
    force: bool,
    dry_run: bool,
) -> Result<Vec<StatusOutcome>> {
    let opts = run.write_opts(repo, dry_run, force)?;
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    let results = repo.change_statuses(&ids, change, &opts)?;
    Ok(results
        .into_iter()
        .map(|r| StatusOutcome::of(r, dry_run))
        .collect())
}

/// Finds every user and checks that the change is allowed (or a no-op) for each.
pub fn check_all(repo: &mut dyn Repo, keys: &[String], change: Change) -> Result<Vec<User>> {
    let mut users = Vec::new();
    for key in keys {
        let user = repo
            .find_user(key)?
            .ok_or_else(|| crate::repo::no_user(key))?;
        status::plan(&user.email, &user.status(), change)?;
        if !users.iter().any(|u: &User| u.id == user.id) {
            users.push(user);
        }
    }
    Ok(users)
}
