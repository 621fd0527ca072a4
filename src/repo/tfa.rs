//! Two-factor authentication: storing or clearing a user's TOTP secret.

use super::db::{Db, Value};
use super::schema::Schema;
use super::users::{get, refuse_deleted, write_row};
use super::{Changed, WriteOpts};
use crate::error::{Error, Result};

/// Stores a new TOTP secret (enrol) or clears it (disable). Enrolling a user who
/// has 2FA is refused: it would silently break their authenticator app.
pub fn set_secret(
    db: &mut dyn Db,
    s: &Schema,
    key: &str,
    secret: Option<&str>,
    opts: &WriteOpts,
) -> Result<Changed> {
    db.lock_key("roster:status")?;
    let user = get(db, s, key)?;
    refuse_deleted(&user, "change two-factor authentication for")?;
    let column = s.require("tfa_secret")?;
    match (secret, user.tfa_enabled) {
        (None, false) => return Ok(Changed::AlreadyThere(user)),
        (Some(_), true) => {
            return Err(Error::conflict(format!(
                "{} already has two-factor authentication",
                user.email
            ))
            .hint("`roster 2fa disable` it first to enrol again"));
        }
        _ => {}
    }
    write_row(db, s, &user.id, &[(column, Value::opt(secret))], opts)?;
    let from = user.status();
    Ok(Changed::Done {
        from,
        user: get(db, s, &user.id)?,
    })
}
