//! Renaming and deleting roles, keeping Directus 11's access rows and every
//! user's one role consistent, and never leaving the project without an admin.

use super::audit::{self, Action};
use super::db::{Db, Value};
use super::roles::{self, find};
use super::schema::Schema;
use super::users::write_row;
use super::{Role, WriteOpts};
use crate::error::{Error, Result};

fn get(db: &mut dyn Db, s: &Schema, key: &str) -> Result<Role> {
    find(db, s, key)?.ok_or_else(|| Error::not_found(format!("no role {:?}", key.trim())))
}

/// Renames a role; a name another role has (in any case) is a conflict.
pub fn rename(
    db: &mut dyn Db,
    s: &Schema,
    key: &str,
    name: &str,
    opts: &WriteOpts,
) -> Result<Role> {
    db.lock_key(&format!("role:{}", name.to_lowercase()))?;
    let role = get(db, s, key)?;
    if let Some(other) = find(db, s, name)?.filter(|o| o.id != role.id) {
        return Err(Error::conflict(format!(
            "a role named {:?} already exists ({})",
            other.name, other.id
        )));
    }
    if role.name == name {
        return Ok(role);
    }
    let params = [Value::from(name), Value::from(role.id.as_str())];
    db.execute("UPDATE directus_roles SET name = ? WHERE id = ?", &params)?;
    let delta = serde_json::json!({ "name": name });
    audit::record_raw(
        db,
        s,
        opts,
        Action::Update,
        "directus_roles",
        &role.id,
        &delta,
        &delta,
    )?;
    get(db, s, &role.id)
}

/// Deletes a role, first moving its users to `reassign` (a role id); refused
/// while users hold it and none is given. Returns the role and how many moved.
pub fn delete(
    db: &mut dyn Db,
    s: &Schema,
    key: &str,
    reassign: Option<&str>,
    opts: &WriteOpts,
) -> Result<(Role, u64)> {
    db.lock_key("roster:status")?;
    let role = get(db, s, key)?;
    let had_admin = roles::any_active_admin(db, s)?;
    let moved = move_users(db, s, &role, reassign, opts)?;
    let id = [Value::from(role.id.as_str())];
    db.execute(
        "UPDATE directus_roles SET parent = NULL WHERE parent = ?",
        &id,
    )?;
    if s.uses_policies() {
        db.execute("DELETE FROM directus_access WHERE role = ?", &id)?;
    }
    db.execute("DELETE FROM directus_roles WHERE id = ?", &id)?;
    let data = serde_json::json!({ "id": role.id, "name": role.name });
    audit::record_raw(
        db,
        s,
        opts,
        Action::Delete,
        "directus_roles",
        &role.id,
        &data,
        &data,
    )?;
    if had_admin && !opts.force && !roles::any_active_admin(db, s)? {
        return Err(Error::conflict(format!(
            "deleting {} would leave no active administrator; roster will not lock everyone out \
             (use --force to do it anyway)",
            role.name
        )));
    }
    Ok((role, moved))
}

fn move_users(
    db: &mut dyn Db,
    s: &Schema,
    role: &Role,
    reassign: Option<&str>,
    opts: &WriteOpts,
) -> Result<u64> {
    let held = db.query(
        "SELECT id FROM directus_users WHERE role = ?",
        &[Value::from(role.id.as_str())],
    )?;
    if held.is_empty() {
        return Ok(0);
    }
    let Some(to) = reassign.filter(|r| *r != role.id) else {
        return Err(Error::conflict(format!(
            "{} user(s) hold the role {}: give --reassign OTHER to move them first",
            held.len(),
            role.name
        )));
    };
    for user in &held {
        write_row(db, s, &user.string(0), &[("role", Value::from(to))], opts)?;
    }
    Ok(held.len() as u64)
}
