//! Creating a user, inviting one, or reviving the soft-deleted row with the same
//! email: the checks in the documented order, then one write.

use super::{Run, commit_after, roles};
use crate::error::Result;
use crate::password::Chosen;
use crate::repo::{self, Created, NewUser, Repo, User};
use crate::status::Status;
use serde::Serialize;

/// The result word of `create` and `invite` (and their JSON `result`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CreateResult {
    Created,
    Revived,
    Exists,
}

impl CreateResult {
    /// The word for a repository outcome.
    pub fn of(created: &Created) -> CreateResult {
        match created {
            Created::Inserted(_) => CreateResult::Created,
            Created::Revived(_) => CreateResult::Revived,
            Created::Existing(_) => CreateResult::Exists,
        }
    }
}

/// What the database checks decided.
pub enum Plan {
    /// A live user has the email and `--if-not-exists` was given: nothing to do.
    Exists(User),
    /// Write, with this role id (`None`: a revived row keeps its own).
    Write(Option<String>),
}

/// What a create or invite shows once: a generated password, an invite link
/// (with its expiry, epoch seconds).
#[derive(Default, Clone, Copy)]
pub struct Shown<'a> {
    pub password: Option<&'a Chosen>,
    pub link: Option<(&'a str, u64)>,
}

/// The database checks of create and invite, in the documented order: an existing
/// user (4, or [`Plan::Exists`] with `if_not_exists` or when the user already has
/// the status `already`, whatever role is named: an invite of an invited user is
/// a re-run), the role named (3), then a role for a new row (asked at a terminal,
/// else 2).
pub fn prepare(
    run: &Run,
    repo: &mut dyn Repo,
    email: &str,
    role: Option<&str>,
    if_not_exists: bool,
    already: Option<Status>,
) -> Result<Plan> {
    let existing = repo.email_holder(email)?;
    if let Some(user) = existing
        .as_ref()
        .filter(|u| repo::is_collation_twin(email, u))
    {
        return Err(repo::collation_twin(email, user));
    }
    if let Some(user) = existing.as_ref().filter(|u| u.status() != Status::Deleted) {
        if !if_not_exists && already.as_ref() != Some(&user.status()) {
            return Err(repo::email_taken(&user.email, user));
        }
        return Ok(Plan::Exists(user.clone()));
    }
    // A revived row keeps its role, unless that role was deleted since: every
    // user has exactly one.
    let needs_role = existing.as_ref().is_none_or(|u| u.role.is_none());
    let role = match role {
        Some(r) => Some(roles::resolve(repo, r)?.id),
        None if needs_role => Some(roles::choose(run.io, repo)?.id),
        None => None,
    };
    Ok(Plan::Write(role))
}

/// Creates (or revives) the user; `report` runs before the change is committed,
/// so a generated secret is shown before it is stored.
pub fn write(
    run: &Run,
    repo: &mut dyn Repo,
    new: &NewUser,
    (dry_run, force): (bool, bool),
    report: impl FnOnce(&Created) -> Result<()>,
) -> Result<Created> {
    let opts = run.write_opts(repo, dry_run, force)?;
    commit_after(repo, dry_run, |r| r.create_user(new, &opts), report)
}
