//! Suspending, unsuspending, soft-deleting and activating users (spec §3).

use super::Changed;
use super::db::Value;
use super::rules::{self, Lockout};
use super::schema::Schema;
use super::tx::Tx;
use crate::error::Result;
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
        Change::Suspend | Change::Unsuspend | Change::Activate => {
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

/// The word stored for a status (a soft-delete's depends on the database).
pub fn stored_status(s: &Schema, st: &Status) -> String {
    match st {
        Status::Deleted => s.deleted_value().to_string(),
        other => other.to_string(),
    }
}
