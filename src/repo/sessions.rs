//! Directus sessions: who is logged in where, and logging a user out everywhere
//! without touching the password.

use super::audit::{self, Action};
use super::db::{Db, Value};
use super::schema::Schema;
use super::status_changes::STATUS_LOCK;
use super::tx::{Columns, Tx};
use super::users::get;
use super::{Changed, Session, User, WriteOpts};
use crate::error::{Error, Result};
use crate::fields;
use crate::status::Status;

const LIST: &str = "SELECT s.\"user\", u.email, s.expires, s.ip, s.user_agent, s.origin \
    FROM directus_sessions s JOIN directus_users u ON u.id = s.\"user\"";

fn require(s: &Schema) -> Result<()> {
    match s.has_sessions {
        true => Ok(()),
        false => Err(Error::unavailable(
            "this database has no directus_sessions table, so it keeps no sessions",
        )),
    }
}

/// The sessions of one user, or of everyone, soonest to expire first. Never the token.
pub fn list(db: &mut dyn Db, s: &Schema, key: Option<&str>) -> Result<Vec<Session>> {
    require(s)?;
    let (sql, params) = match key {
        Some(key) => {
            let user = get(db, s, key)?;
            let sql = format!("{LIST} WHERE s.\"user\" = ? ORDER BY s.expires, u.email");
            (sql, vec![Value::from(user.id.as_str())])
        }
        None => (format!("{LIST} ORDER BY s.expires, u.email"), vec![]),
    };
    let rows = db.query(&sql, &params)?;
    Ok(rows
        .iter()
        .map(|r| Session {
            user_id: r.string(0),
            email: r.string(1),
            expires: r.int(2),
            ip: r.text(3),
            user_agent: r.text(4),
            origin: r.text(5),
        })
        .collect())
}

/// Deletes a user's sessions; the number ended.
pub fn revoke(tx: &mut Tx, key: &str) -> Result<(User, u64)> {
    require(tx.schema)?;
    let user = tx.get(key)?;
    let n = tx.end_sessions(&user.id)?;
    Ok((user, n))
}

/// The email a forgotten user gets: unique, and in a reserved domain that can
/// never receive mail or match a login.
pub fn tombstone(id: &str) -> String {
    format!("forgotten-{id}@forgotten.invalid")
}

/// Erases a soft-deleted user's personal data, keeping the row and its id.
pub fn forget(tx: &mut Tx, key: &str) -> Result<Changed> {
    tx.lock(STATUS_LOCK)?;
    let user = tx.get(key)?;
    if user.status() != Status::Deleted {
        return Err(Error::conflict(format!(
            "{} is {}: only a soft-deleted user can be forgotten (run `roster soft-delete` first)",
            user.email, user.status
        )));
    }
    let email = tombstone(&user.id);
    if user.email == email {
        return Ok(Changed::AlreadyThere(user));
    }
    let mut cols: Columns = vec![("email", Value::from(email.as_str()))];
    let personal = fields::personal_columns().filter(|c| tx.schema.has(c));
    cols.extend(personal.map(|c| (c, Value::Null)));
    // The audit trail records that the user was forgotten, not what was erased.
    let unaudited = WriteOpts {
        audit: false,
        ..tx.opts.clone()
    };
    tx.with(&unaudited).update(&user.id, &cols)?;
    let nulls: Vec<(&str, Value)> = cols.iter().map(|(c, _)| (*c, Value::Null)).collect();
    let mut delta = audit::to_json(nulls.iter().map(|(c, v)| (*c, v)));
    delta["email"] = serde_json::Value::from(email);
    audit::record_raw(
        tx,
        Action::Update,
        "directus_users",
        &user.id,
        &delta,
        &delta,
    )?;
    Ok(Changed::Done {
        from: user.status(),
        user: tx.get(&user.id)?,
    })
}
