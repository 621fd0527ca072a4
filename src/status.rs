//! User statuses and the transitions between them (spec §3).

use crate::error::{Error, Result};
use std::fmt;

/// A user's status as roster understands it; unknown values are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Draft,
    Invited,
    Active,
    Suspended,
    /// Soft-deleted: stored as `archived` on Directus, `deleted` on roster's schema.
    Deleted,
    /// Anything else a Directus database may hold (`unverified`, ...).
    Other(String),
}

impl Status {
    /// Reads a stored value; `archived` and `deleted` both mean soft-deleted.
    pub fn from_db(raw: &str) -> Status {
        match raw {
            "draft" => Status::Draft,
            "invited" => Status::Invited,
            "active" => Status::Active,
            "suspended" => Status::Suspended,
            "deleted" | "archived" => Status::Deleted,
            other => Status::Other(other.to_string()),
        }
    }

    /// A status named in `--status`: the five of spec §3, `unverified` (Directus's
    /// public registration), `inactive-license` (Directus 12: no seat was free) or
    /// `archived` (read as deleted); anything else is exit 2.
    pub fn parse_filter(raw: &str) -> Result<Status> {
        match Status::from_db(&raw.trim().to_lowercase()) {
            Status::Other(s) if s != "unverified" && s != "inactive-license" => {
                Err(Error::usage(format!(
                    "unknown status {raw:?}: use draft, invited, active, suspended, deleted, unverified or inactive-license"
                )))
            }
            known => Ok(known),
        }
    }

    /// The name roster shows (and accepts in `--status`).
    pub fn as_str(&self) -> &str {
        match self {
            Status::Draft => "draft",
            Status::Invited => "invited",
            Status::Active => "active",
            Status::Suspended => "suspended",
            Status::Deleted => "deleted",
            Status::Other(s) => s,
        }
    }

    /// A user who registered through Directus's public registration and awaits approval.
    /// Directus 12's status for a user its licence has no seat for.
    pub fn is_inactive_license(&self) -> bool {
        matches!(self, Status::Other(s) if s == "inactive-license")
    }

    pub fn is_unverified(&self) -> bool {
        matches!(self, Status::Other(s) if s == "unverified")
    }

    /// The values stored in the database that read as this status.
    pub fn stored_values(&self) -> Vec<&str> {
        match self {
            Status::Deleted => vec!["deleted", "archived"],
            other => vec![other.as_str()],
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status change a command asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Suspend,
    Unsuspend,
    SoftDelete,
    Activate,
}

impl Change {
    /// The status the change leads to.
    pub fn target(self) -> Status {
        match self {
            Change::Suspend => Status::Suspended,
            Change::Unsuspend | Change::Activate => Status::Active,
            Change::SoftDelete => Status::Deleted,
        }
    }

    fn allowed_from(self, from: &Status) -> bool {
        match self {
            Change::Suspend => {
                matches!(from, Status::Draft | Status::Invited | Status::Active)
                    || from.is_unverified()
            }
            // Directus 12 sets inactive-license when seats ran out; either
            // command makes the user active again, under the seat rule.
            Change::Unsuspend => *from == Status::Suspended || from.is_inactive_license(),
            Change::Activate => {
                matches!(from, Status::Draft | Status::Invited)
                    || from.is_unverified()
                    || from.is_inactive_license()
            }
            Change::SoftDelete => *from != Status::Deleted,
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Change::Suspend => "suspend",
            Change::Unsuspend => "unsuspend",
            Change::SoftDelete => "soft-delete",
            Change::Activate => "activate",
        }
    }
}

/// Whether a change has work to do: `Ok(false)` is the idempotent no-op,
/// an error is a transition the table does not allow.
pub fn plan(email: &str, from: &Status, change: Change) -> Result<bool> {
    if *from == change.target() {
        return Ok(false);
    }
    if change.allowed_from(from) {
        return Ok(true);
    }
    let refused = Error::conflict(format!(
        "cannot {} {email}: the user is {from}",
        change.verb()
    ));
    Err(match (change, from) {
        (Change::Unsuspend, Status::Invited | Status::Draft) => refused.hint(
            "`roster activate` gives an invited or draft user a password and makes it active",
        ),
        (Change::Suspend | Change::Unsuspend | Change::Activate, Status::Deleted) => refused.hint(
            "`roster create` or `roster invite` of the same email revives a soft-deleted user",
        ),
        _ => refused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_status_is_a_noop() {
        assert!(!plan("a@b.co", &Status::Suspended, Change::Suspend).unwrap());
        assert!(!plan("a@b.co", &Status::Active, Change::Unsuspend).unwrap());
        assert!(!plan("a@b.co", &Status::Deleted, Change::SoftDelete).unwrap());
    }

    #[test]
    fn illegal_transition_names_current_status() {
        let err = plan("a@b.co", &Status::Deleted, Change::Suspend).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot suspend a@b.co: the user is deleted\n\
             hint: `roster create` or `roster invite` of the same email revives a soft-deleted user"
        );
        assert_eq!(err.exit_code(), 4);
        assert!(plan("a@b.co", &Status::Invited, Change::Unsuspend).is_err());
    }

    #[test]
    fn archived_reads_as_deleted() {
        assert_eq!(Status::from_db("archived"), Status::Deleted);
        assert_eq!(Status::from_db("unverified").as_str(), "unverified");
    }
}
