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
    /// Sessions the change ended (would have, in a dry run).
    pub sessions_ended: u64,
    /// A generated password, shown once (activate, set-password).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl StatusOutcome {
    pub fn of(changed: Changed, dry_run: bool, ended: &[(String, u64)]) -> StatusOutcome {
        let (user, previous_status, changed) = match changed {
            Changed::Done { from, user } => (user, from.to_string(), true),
            Changed::AlreadyThere(user) => {
                let prev = user.status.clone();
                (user, prev, false)
            }
        };
        StatusOutcome {
            sessions_ended: crate::repo::sessions_ended_of(ended, &user.id),
            id: user.id,
            email: user.email,
            previous_status,
            status: user.status,
            changed,
            dry_run,
            password: None,
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
    repo.take_sessions_ended();
    let results = repo.change_statuses(&ids, change, &opts)?;
    let ended = repo.take_sessions_ended();
    Ok(results
        .into_iter()
        .map(|r| StatusOutcome::of(r, dry_run, &ended))
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
