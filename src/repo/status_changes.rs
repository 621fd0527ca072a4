//! Suspending, unsuspending, soft-deleting and activating users (spec §3).

use super::db::Value;
use super::rules::{self, Lockout};
use super::schema::Schema;
use super::tx::Tx;
use super::{Changed, User};
use crate::error::{Error, Result};
use crate::status::{self, Change, Status};

/// The key that serialises every decision about a status: two operators cannot
/// each suspend one of the last two administrators.
pub const STATUS_LOCK: &str = "roster:status";

/// Applies a status change from the table of spec §3.
pub fn change_status(tx: &mut Tx, key: &str, change: Change) -> Result<Changed> {
    tx.lock(STATUS_LOCK)?;
    let user = tx.get(key)?;
    let from = user.status();
    if !status::plan(&user.email, &from, change)? {
        return Ok(Changed::AlreadyThere(user));
    }
    if matches!(change, Change::Suspend | Change::SoftDelete) {
        rules::keep_admin(tx, &user, false, Lockout::StatusChange(&user.email))?;
    }
    let cols = match change {
        Change::SoftDelete => rules::soft_deleted(tx.schema),
        Change::Unsuspend => {
            let before = status_before_suspension(tx, &user)?;
            vec![("status", Value::from(stored_status(tx.schema, &before)))]
        }
        Change::Suspend | Change::Activate => {
            let target = stored_status(tx.schema, &change.target());
            vec![("status", Value::from(target))]
        }
    };
    tx.update(&user.id, &cols)?;
    Ok(Changed::Done {
        from,
        user: tx.get(&user.id)?,
    })
}

/// The status a suspended user had before the suspension, from the audit trail
/// (roster's and Directus's revisions record each status written), when its
/// newest status is this suspension: an invited or draft user unsuspended is
/// invited or draft again, never an active user with no password, and a user
/// who can log in is never invited again. With no sure trail, active when the
/// user can log in at all.
fn status_before_suspension(tx: &mut Tx, user: &User) -> Result<Status> {
    let sso = user.sso_provider().is_some();
    let can_log_in = user.has_password || sso;
    match recorded_before_suspension(tx, &user.id)? {
        // A user who can log in is never sent back to an invite: the trail can
        // miss the change that made them active (Directus's invite acceptance and
        // `--no-audit` write no revision), and the old link would work again.
        Some(Status::Invited) if can_log_in => return Ok(Status::Active),
        Some(before) => return Ok(before),
        None => {}
    }
    if can_log_in {
        return Ok(Status::Active);
    }
    Err(Error::conflict(format!(
        "cannot unsuspend {}: the audit trail does not say what the user was before the \
         suspension, and without a password an active user could not log in",
        user.email
    ))
    .hint(format!(
        "`roster set-password {}` gives a password and makes the user active",
        user.email
    )))
}

/// The last status other than suspended that the revisions of the row wrote.
fn recorded_before_suspension(tx: &mut Tx, id: &str) -> Result<Option<Status>> {
    if !tx.schema.has_revisions {
        return Ok(None);
    }
    let rows = tx.db.query(
        "SELECT delta FROM directus_revisions WHERE collection = 'directus_users' AND item = ? ORDER BY id DESC",
        &[Value::from(id)],
    )?;
    let written = rows.iter().filter_map(|r| {
        let delta: serde_json::Value = serde_json::from_str(&r.text(0)?).ok()?;
        delta.get("status")?.as_str().map(Status::from_db)
    });
    // The newest status written must be this suspension's, or the trail missed
    // a change since and says nothing sure about before it.
    let mut written = written.peekable();
    if written.peek() != Some(&Status::Suspended) {
        return Ok(None);
    }
    let mut earlier = written.skip_while(|s| *s == Status::Suspended);
    Ok(earlier.next().filter(|s| *s != Status::Deleted))
}

/// The word stored for a status (a soft-delete's depends on the database).
pub fn stored_status(s: &Schema, st: &Status) -> String {
    match st {
        Status::Deleted => s.deleted_value().to_string(),
        other => other.to_string(),
    }
}
