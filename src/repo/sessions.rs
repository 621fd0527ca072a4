//! Directus sessions: who is logged in where, and logging a user out everywhere
//! without touching the password.

use super::audit::{self, Action};
use super::db::{Db, Value};
use super::schema::Schema;
use super::users::get;
use super::{Session, User, WriteOpts};
use crate::error::{Error, Result};
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
pub fn revoke(db: &mut dyn Db, s: &Schema, key: &str) -> Result<(User, u64)> {
    require(s)?;
    let user = get(db, s, key)?;
    let n = db.execute(
        "DELETE FROM directus_sessions WHERE \"user\" = ?",
        &[Value::from(user.id.as_str())],
    )?;
    Ok((user, n))
}

/// Columns of personal data `forget` clears, where the database has them.
const PERSONAL: [&str; 13] = [
    "first_name",
    "last_name",
    "title",
    "company",
    "location",
    "description",
    "avatar",
    "tags",
    "auth_data",
    "external_identifier",
    "last_page",
    "timezone",
    "language",
];

/// The email a forgotten user gets: unique, and in a reserved domain that can
/// never receive mail or match a login.
pub fn tombstone(id: &str) -> String {
    format!("forgotten-{id}@forgotten.invalid")
}

/// Erases a soft-deleted user's personal data, keeping the row and its id.
pub fn forget(db: &mut dyn Db, s: &Schema, key: &str, opts: &WriteOpts) -> Result<super::Changed> {
    db.lock_key("roster:status")?;
    let user = get(db, s, key)?;
    if user.status() != Status::Deleted {
        return Err(Error::conflict(format!(
            "{} is {}: only a soft-deleted user can be forgotten (run `roster soft-delete` first)",
            user.email, user.status
        )));
    }
    let email = tombstone(&user.id);
    if user.email == email {
        return Ok(super::Changed::AlreadyThere(user));
    }
    let mut cols: Vec<(&'static str, Value)> = vec![("email", Value::from(email.as_str()))];
    cols.extend(
        PERSONAL
            .iter()
            .filter(|c| s.has(c))
            .map(|c| (*c, Value::Null)),
    );
    super::users::update(
        db,
        s,
        &user.id,
        &cols,
        &WriteOpts {
            audit: false,
            ..opts.clone()
        },
    )?;
    // The audit trail records that the user was forgotten, not what was erased.
    let delta: Vec<(&str, Value)> = cols.iter().map(|(c, _)| (*c, Value::Null)).collect();
    let mut delta = audit::to_json(delta.iter().map(|(c, v)| (*c, v)));
    delta["email"] = serde_json::Value::from(email);
    audit::record_raw(
        db,
        s,
        opts,
        Action::Update,
        "directus_users",
        &user.id,
        &delta,
        &delta,
    )?;
    let from = user.status();
    Ok(super::Changed::Done {
        from,
        user: get(db, s, &user.id)?,
    })
}
