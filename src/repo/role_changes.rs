//! Renaming and deleting roles, keeping Directus 11's access rows and every
//! user's one role consistent, and never leaving the project without an admin.

use super::audit::{self, Action};
use super::db::Value;
use super::roles::find;
use super::rules::{AdminWatch, Lockout};
use super::status_changes::STATUS_LOCK;
use super::tx::Tx;
use super::{FieldChange, Role, RoleEdit};
use crate::error::{Error, Result};
use crate::status::Status;

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
    // The policy made for the role keeps its role's name, so the app shows the pair.
    for policy in own_policies(tx, &role)? {
        let params = [Value::from(name), Value::from(policy.as_str())];
        tx.db.execute(
            "UPDATE directus_policies SET name = ? WHERE id = ?",
            &params,
        )?;
    }
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

/// Changes a role's access or description, never taking the last active
/// administrator's admin access unless forced.
pub fn edit(tx: &mut Tx, key: &str, e: &RoleEdit) -> Result<(Role, Vec<FieldChange>)> {
    tx.lock(STATUS_LOCK)?;
    let role = get(tx, key)?;
    let watch = AdminWatch::before(tx)?;
    let changes = super::role_edit::edit(tx, &role, e)?;
    watch.after(tx, Lockout::RoleEdit(&role.name))?;
    Ok((get(tx, &role.id)?, changes))
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
    let own = own_policies(tx, &role)?;
    if tx.schema.uses_policies() {
        tx.db
            .execute("DELETE FROM directus_access WHERE role = ?", &id)?;
    }
    // Left behind, an admin policy would be one click from granting admin.
    for policy in &own {
        tx.db.execute(
            "DELETE FROM directus_policies WHERE id = ?",
            &[Value::from(policy.as_str())],
        )?;
        let data = serde_json::json!({ "id": policy, "name": role.name });
        audit::record_raw(
            tx,
            Action::Delete,
            "directus_policies",
            policy,
            &data,
            &data,
        )?;
    }
    tx.db
        .execute("DELETE FROM directus_roles WHERE id = ?", &id)?;
    let data = serde_json::json!({ "id": role.id, "name": role.name });
    audit::record_raw(tx, Action::Delete, "directus_roles", &role.id, &data, &data)?;
    watch.after(tx, Lockout::RoleDelete(&role.name))?;
    Ok((role, moved))
}

/// The policies that belong to this role alone (11.x): named as the role, as
/// `roles create` names the policy it makes, attached to no other role or user,
/// and holding no permissions. A policy shared, renamed or given permissions
/// in the app is the project's, and stays.
pub(super) fn own_policies(tx: &mut Tx, role: &Role) -> Result<Vec<String>> {
    if !tx.schema.uses_policies() {
        return Ok(Vec::new());
    }
    let mut sql = "SELECT p.id FROM directus_policies p JOIN directus_access a ON a.policy = p.id \
         WHERE a.role = ? AND p.name = ? AND NOT EXISTS (SELECT 1 FROM directus_access b \
         WHERE b.policy = p.id AND (b.role IS NULL OR b.role <> ?))"
        .to_string();
    if !tx.db.columns("directus_permissions")?.is_empty() {
        sql.push_str(
            " AND NOT EXISTS (SELECT 1 FROM directus_permissions x WHERE x.policy = p.id)",
        );
    }
    let id = Value::from(role.id.as_str());
    let rows = tx
        .db
        .query(&sql, &[id.clone(), Value::from(role.name.as_str()), id])?;
    Ok(rows.iter().map(|r| r.string(0)).collect())
}

fn move_users(tx: &mut Tx, role: &Role, reassign: Option<&str>) -> Result<u64> {
    let held = tx.db.query(
        "SELECT id, status FROM directus_users WHERE role = ?",
        &[Value::from(role.id.as_str())],
    )?;
    if held.is_empty() {
        return Ok(0);
    }
    let Some(to) = reassign.filter(|r| *r != role.id) else {
        let deleted = held
            .iter()
            .filter(|u| Status::from_db(&u.string(1)) == Status::Deleted);
        let deleted = deleted.count() as u64;
        let live = crate::output::counted(held.len() as u64 - deleted, "user");
        let also = match deleted {
            0 => String::new(),
            n => format!(" (and {n} soft-deleted)"),
        };
        let verb = if held.len() == 1 { "holds" } else { "hold" };
        return Err(Error::conflict(format!(
            "{live}{also} {verb} the role {}: give --reassign OTHER to move them first",
            role.name
        )));
    };
    for user in &held {
        tx.write_row(&user.string(0), &[("role", Value::from(to))])?;
    }
    Ok(held.len() as u64)
}
