//! Generating, setting or clearing a user's static API token.

use super::{Run, commit_after};
use crate::error::Result;
use crate::repo::{Changed, Repo, User};
use serde::Serialize;

/// What `set-token` did to the token (its JSON `action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenAction {
    Generated,
    Set,
    Cleared,
    /// Setting the token the user already has, or clearing one that is not
    /// there: the idempotent no-op scripts rely on.
    Unchanged,
}

/// A token change as the output shows it.
pub struct TokenOutcome<'a> {
    pub user: &'a User,
    pub action: TokenAction,
    /// The token, shown once: only a generated one, and not in a dry run.
    pub shown: Option<&'a str>,
    pub dry_run: bool,
    /// Sessions the change ended (would have, in a dry run).
    pub sessions_ended: u64,
}

/// Stores `token` (or clears it with `None`) and reports it as `action`, or as
/// [`TokenAction::Unchanged`] when the user already has exactly that token (or,
/// clearing, none), which writes nothing. `report` runs before the commit, so a
/// generated token reaches the operator before it is stored.
pub fn write(
    run: &Run,
    repo: &mut dyn Repo,
    key: &str,
    (token, action): (Option<&str>, TokenAction),
    dry_run: bool,
    report: impl FnOnce(TokenAction, &User, u64) -> Result<()>,
) -> Result<TokenAction> {
    let opts = run.write_opts(repo, dry_run, false)?;
    let (changed, _) = commit_after(
        repo,
        dry_run,
        |r| super::with_sessions_ended(r, |r| r.set_token(key, token, &opts)),
        |(c, ended)| report(done_as(c, action), c.user(), *ended),
    )?;
    Ok(done_as(&changed, action))
}

/// What a token change is called: `action`, unless it changed nothing.
fn done_as(changed: &Changed, action: TokenAction) -> TokenAction {
    match changed {
        Changed::Done { .. } => action,
        Changed::AlreadyThere(_) => TokenAction::Unchanged,
    }
}
