//! Editing a user's profile, role and avatar: only what differs is written,
//! and the last active administrator cannot be edited out of admin access.

use super::db::{Db, Value};
use super::rules::{self, Lockout};
use super::schema::Schema;
use super::status_changes::STATUS_LOCK;
use super::tx::{Columns, Tx};
use super::users::stored;
use super::{Changed, Edit, User};
use crate::error::{Error, Result};

/// Applies an edit in the caller's transaction.
pub fn edit(tx: &mut Tx, key: &str, e: &Edit) -> Result<Changed> {
    tx.lock(STATUS_LOCK)?;
    let user = tx.get(key)?;
    rules::refuse_deleted(&user, "edit")?;
    super::custom_fields::refuse_missing_related(tx.db, &e.profile, "")?;
    let mut cols = changed_columns(tx.db, tx.schema, &user, e)?;
    let new_email = new_email(tx, &user, e)?;
    if cols.is_empty() && new_email.is_none() {
        return Ok(Changed::AlreadyThere(user));
    }
    match new_email {
        // A new email is a new login name: the sessions of the old one end.
        Some(email) => {
            cols.push(("email", Value::from(email)));
            tx.update(&user.id, &cols)?;
        }
        None => tx.write_row(&user.id, &cols)?,
    }
    let after = tx.get(&user.id)?;
    rules::keep_admin(tx, &user, after.is_admin, Lockout::RoleChange(&user.email))?;
    Ok(Changed::Done {
        from: user.status(),
        user: after,
    })
}

/// The email to change to, when it differs; one another user has (in any case,
/// soft-deleted ones included: there is one row per email) is a conflict.
fn new_email(tx: &mut Tx, user: &User, e: &Edit) -> Result<Option<String>> {
    let Some(email) = e.email.as_deref().filter(|m| *m != user.email) else {
        return Ok(None);
    };
    tx.lock(email)?;
    if let Some(other) = tx.holder(email)?.filter(|o| o.id != user.id) {
        return Err(rules::email_held(email, &other));
    }
    Ok(Some(email.to_string()))
}

/// The (column, value) pairs whose new value differs from the stored one.
fn changed_columns(db: &mut dyn Db, s: &Schema, user: &User, e: &Edit) -> Result<Columns> {
    let mut cols = Vec::new();
    for (field, value) in e.profile.given() {
        let Some(column) = s.column_to_set(field, value)? else {
            continue;
        };
        if user.profile.get(field.name) != value {
            cols.push((column, stored(field, value)));
        }
    }
    if let Some(role) = e
        .role
        .as_deref()
        .filter(|r| user.role.as_deref() != Some(*r))
    {
        cols.push(("role", Value::from(role)));
    }
    if let Some(avatar) = &e.avatar {
        let avatar = match avatar {
            Some(id) => Some(check_file(db, id)?),
            None => None,
        };
        if user.profile.get("avatar") != avatar.as_deref() {
            cols.push(("avatar", Value::opt(avatar.as_deref())));
        }
    }
    Ok(cols)
}

/// An avatar must be an existing row of `directus_files`; returns its canonical id.
fn check_file(db: &mut dyn Db, id: &str) -> Result<String> {
    let Some(id) = super::canonical_id(id) else {
        return Err(Error::validation(format!(
            "avatar {id:?} is not a file id (a UUID)"
        )));
    };
    if db.columns("directus_files")?.is_empty() {
        return Err(Error::validation(
            "this database has no directus_files table to take an avatar from",
        ));
    }
    let found = db.query_opt(
        "SELECT 1 FROM directus_files WHERE id = ?",
        &[Value::from(id.as_str())],
    )?;
    found
        .map(|_| id.clone())
        .ok_or_else(|| Error::not_found(format!("no file {id} in directus_files")))
}
