//! Directus sessions: who is logged in where, and logging a user out everywhere
//! without touching the password.

use super::db::{Db, Value};
use super::schema::Schema;
use super::tx::Tx;
use super::users::get;
use super::{Session, User};
use crate::error::{Error, Result};

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
