//! Renaming and deleting roles, keeping Directus 11's access rows and every
//! user's one role consistent, and never leaving the project without an admin.

use super::Role;
use super::audit::{self, Action};
use super::db::Value;
use super::roles::find;
use super::rules::{AdminWatch, Lockout};
use super::status_changes::STATUS_LOCK;
use super::tx::Tx;
use crate::error::{Error, Result};

fn get(tx: &mut Tx, key: &str) -> Result<Role> {
    let found = find(tx.db, tx.schema, key)?;
    found.ok_or_else(|| Error::not_found(format!("no role {:?}", key.trim())))
}

/// Renames a role; a name another role has (in any case) is a conflict.
pub fn rename(tx: &mut Tx, key: &str, name: &str) -> Result<Role> {
    tx.lock(&format!("role:{}", name.to_lowercase()))?;
    let role = get(tx, key)?;
    if let Some(other) = find(tx.db, tx.schema, name)?.filter(|o| o.id != role.id) {
        return Err(Error::conflict(format!(
            "a role named {:?} already exists ({})",
            other.name, other.id
        )));
    }
    if role.name == name {
        return Ok(role);
    }
    let params = [Value::from(name), Value::from(role.id.as_str())];
    tx.db
        .execute("UPDATE directus_roles SET name = ? WHERE id = ?", &params)?;
    let delta = serde_json::json!({ "name": name });
    audit::record_raw(
        tx,
        Action::Update,
        "directus_roles",
        &role.id,
        &delta,
        &delta,
    )?;
    get(tx, &role.id)
}

/// Deletes a role, first moving its users to `reassign` (a role id); refused
/// while users hold it and none is given. Returns the role and how many moved.
pub fn delete(tx: &mut Tx, key: &str, reassign: Option<&str>) -> Result<(Role, u64)> {
    tx.lock(STATUS_LOCK)?;
    let role = get(tx, key)?;
    let watch = AdminWatch::before(tx)?;
    let moved = move_users(tx, &role, reassign)?;
    let id = [Value::from(role.id.as_str())];
    tx.db.execute(
        "UPDATE directus_roles SET parent = NULL WHERE parent = ?",
        &id,
    )?;
    if tx.schema.uses_policies() {
        tx.db
            .execute("DELETE FROM directus_access WHERE role = ?", &id)?;
    }
    tx.db
        .execute("DELETE FROM directus_roles WHERE id = ?", &id)?;
    let data = serde_json::json!({ "id": role.id, "name": role.name });
    audit::record_raw(tx, Action::Delete, "directus_roles", &role.id, &data, &data)?;
    watch.after(tx, Lockout::RoleDelete(&role.name))?;
    Ok((role, moved))
}

fn move_users(tx: &mut Tx, role: &Role, reassign: Option<&str>) -> Result<u64> {
    let held = tx.db.query(
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
        tx.write_row(&user.string(0), &[("role", Value::from(to))])?;
    }
    Ok(held.len() as u64)
}
