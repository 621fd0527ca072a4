//! Generating, setting or clearing a user's static API token.

use super::{Run, commit_after};
use crate::error::Result;
use crate::repo::{Repo, User};
use serde::Serialize;

/// What `set-token` did to the token (its JSON `action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenAction {
    Generated,
    Set,
    Cleared,
    /// Clearing a token that is not there: the idempotent no-op scripts rely on.
    Unchanged,
}

/// A token change as the output shows it.
pub struct TokenOutcome<'a> {
    pub user: &'a User,
    pub action: TokenAction,
    /// The token, shown once: only a generated one, and not in a dry run.
    pub shown: Option<&'a str>,
    pub dry_run: bool,
}

/// The user `key` names when clearing would change nothing (they have no token).
pub fn nothing_to_clear(repo: &mut dyn Repo, key: &str) -> Result<Option<User>> {
    Ok(repo.find_user(key)?.filter(|u| !u.has_token))
}

/// Stores `token` (or clears it with `None`); `report` runs before the commit,
/// so a generated token reaches the operator before it is stored.
pub fn write(
    run: &Run,
    repo: &mut dyn Repo,
    key: &str,
    token: Option<&str>,
    dry_run: bool,
    report: impl FnOnce(&User) -> Result<()>,
) -> Result<User> {
    let opts = run.write_opts(repo, dry_run, false)?;
    commit_after(repo, dry_run, |r| r.set_token(key, token, &opts), report)
}
