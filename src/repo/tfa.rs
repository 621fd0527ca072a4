//! Two-factor authentication: storing or clearing a user's TOTP secret.

use super::Changed;
use super::db::Value;
use super::rules;
use super::status_changes::STATUS_LOCK;
use super::tx::Tx;
use crate::error::{Error, Result};

/// Stores a new TOTP secret (enrol) or clears it (disable). Enrolling a user who
/// has 2FA is refused: it would silently break their authenticator app.
pub fn set_secret(tx: &mut Tx, key: &str, secret: Option<&str>) -> Result<Changed> {
    tx.lock(STATUS_LOCK)?;
    let user = tx.get(key)?;
    rules::refuse_deleted(&user, "change two-factor authentication for")?;
    let column = tx.schema.require("tfa_secret")?;
    match (secret, user.tfa_enabled) {
        (None, false) => return Ok(Changed::AlreadyThere(user)),
        (Some(_), true) => {
            return Err(Error::conflict(format!(
                "{} already has two-factor authentication",
                user.email
            ))
            .hint("`roster 2fa disable` it first to enrol again"));
        }
        (None, true) | (Some(_), false) => {}
    }
    tx.write_row(&user.id, &[(column, Value::opt(secret))])?;
    Ok(Changed::Done {
        from: user.status(),
        user: tx.get(&user.id)?,
    })
}
