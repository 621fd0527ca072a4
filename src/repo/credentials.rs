//! Setting a user's password or static token.

use super::Changed;
use super::db::Value;
use super::rules;
use super::status_changes::STATUS_LOCK;
use super::tx::Tx;
use crate::error::Result;
use crate::status::Status;

/// Sets a password; an invited or draft user becomes active.
pub fn set_password(tx: &mut Tx, key: &str, hash: &str) -> Result<Changed> {
    // A suspension that lands between this read and the write must not be undone
    // by the activation.
    tx.lock(STATUS_LOCK)?;
    let user = tx.get(key)?;
    let from = user.status();
    rules::refuse_deleted(&user, "set a password for")?;
    let mut cols = vec![("password", Value::from(hash))];
    if matches!(from, Status::Invited | Status::Draft) || from.is_unverified() {
        cols.push(("status", Value::from("active")));
    }
    // Directus lets only `default` users log in with a password: an SSO account
    // given one becomes a local account, as a revived one does.
    if tx.schema.has("provider") && user.profile.get("provider") != Some("default") {
        cols.push(("provider", Value::from("default")));
    }
    tx.update(&user.id, &cols)?;
    Ok(Changed::Done {
        from,
        user: tx.get(&user.id)?,
    })
}

/// Sets or clears a static token, refusing one another user already has. The
/// token the user already has (or clearing one they lack) changes nothing: no
/// write, no audit row, and their sessions stay.
pub fn set_token(tx: &mut Tx, key: &str, token: Option<&str>) -> Result<Changed> {
    tx.lock(STATUS_LOCK)?;
    let user = tx.get(key)?;
    // Clearing what is not there is a no-op, a deleted user's too (soft-delete
    // took their token).
    if token.is_none() && !user.has_token {
        return Ok(Changed::AlreadyThere(user));
    }
    rules::refuse_deleted(&user, "set a token for")?;
    // Compared here, byte for byte, not in SQL: MySQL's collation would call a
    // token differing only in case the same, yet storing it changes the row.
    if token.is_some() && stored_token(tx, &user.id)?.as_deref() == token {
        return Ok(Changed::AlreadyThere(user));
    }
    if let Some(t) = token {
        let taken = tx.db.query_opt(
            "SELECT token FROM directus_users WHERE token = ? AND id <> ?",
            &[Value::from(t), Value::from(user.id.as_str())],
        )?;
        if let Some(other) = taken {
            return Err(rules::token_taken(t, &other.string(0)));
        }
    }
    tx.update(&user.id, &[("token", Value::opt(token))])?;
    Ok(Changed::Done {
        from: user.status(),
        user: tx.get(&user.id)?,
    })
}

/// The token stored for the user with this id.
fn stored_token(tx: &mut Tx, id: &str) -> Result<Option<String>> {
    let row = tx.db.query_opt(
        "SELECT token FROM directus_users WHERE id = ?",
        &[Value::from(id)],
    )?;
    Ok(row.and_then(|r| r.text(0)))
}
