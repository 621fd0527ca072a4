//! Changing a role's access and description. Directus 10 keeps access on the
//! role; 11 and later on policies, of which roster changes only the one it made
//! for the role (made now when there is none). A policy the project shares, or
//! one given permissions in the app, is never changed: a change that needs it is
//! refused, naming it.

use super::audit::{self, Action};
use super::db::Value;
use super::roles::find;
use super::tx::Tx;
use super::{FieldChange, Role, RoleEdit};
use crate::error::{Error, Result};

/// Applies the edit to the role; the changes made, as (field, old, new).
pub fn edit(tx: &mut Tx, role: &Role, e: &RoleEdit) -> Result<Vec<FieldChange>> {
    let admin = e.admin.unwrap_or(role.admin_access);
    // An admin role uses the app too, as `roles create --admin` makes it.
    let app = e.app_access.unwrap_or(role.app_access) || admin;
    let mut changes = Vec::new();
    for (field, had, wants) in [
        ("admin", role.admin_access, admin),
        ("app_access", role.app_access, app),
    ] {
        if had != wants {
            changes.push((field, Some(had.to_string()), Some(wants.to_string())));
        }
    }
    if !changes.is_empty() {
        set_access(tx, role, admin, app)?;
    }
    if let Some(description) = &e.description {
        changes.extend(set_description(tx, role, description.as_deref())?);
    }
    if !changes.is_empty() {
        let delta: serde_json::Map<String, serde_json::Value> = changes
            .iter()
            .map(|(f, _, new)| (f.to_string(), serde_json::Value::from(new.clone())))
            .collect();
        let delta = serde_json::Value::Object(delta);
        audit::record_raw(
            tx,
            Action::Update,
            "directus_roles",
            &role.id,
            &delta,
            &delta,
        )?;
    }
    Ok(changes)
}

/// The role's access, where this version keeps it.
fn set_access(tx: &mut Tx, role: &Role, admin: bool, app: bool) -> Result<()> {
    if !tx.schema.uses_policies() {
        let params = [
            Value::Bool(admin),
            Value::Bool(app),
            Value::from(role.id.as_str()),
        ];
        tx.db.execute(
            "UPDATE directus_roles SET admin_access = ?, app_access = ? WHERE id = ?",
            &params,
        )?;
        return Ok(());
    }
    let own = super::role_changes::own_policies(tx, role)?;
    refuse_shared(tx, role, &own, admin, app)?;
    for policy in &own {
        let params = [
            Value::Bool(admin),
            Value::Bool(app),
            Value::from(policy.as_str()),
        ];
        tx.db.execute(
            "UPDATE directus_policies SET admin_access = ?, app_access = ? WHERE id = ?",
            &params,
        )?;
    }
    if own.is_empty() && app {
        super::roles::grant_policy(tx.db, &role.id, &role.name, admin, app)?;
    }
    check_result(tx, role, admin, app)
}

/// Refuses a change that would take access a policy roster did not make gives.
fn refuse_shared(tx: &mut Tx, role: &Role, own: &[String], admin: bool, app: bool) -> Result<()> {
    let rows = tx.db.query(
        "SELECT p.id, p.name, p.admin_access, p.app_access FROM directus_policies p \
         JOIN directus_access a ON a.policy = p.id WHERE a.role = ? ORDER BY p.name",
        &[Value::from(role.id.as_str())],
    )?;
    for r in rows.iter().filter(|r| !own.contains(&r.string(0))) {
        let gives_admin = r.flag(2).unwrap_or(false) && !admin;
        let gives_app = r.flag(3).unwrap_or(false) && !app;
        if gives_admin || gives_app {
            let what = if gives_admin { "admin" } else { "app" };
            return Err(Error::conflict(format!(
                "role {}'s {what} access comes from policy {:?}, which roster did not make for it \
                 (it is shared, or holds permissions); change that policy in the Directus app",
                role.name,
                r.string(1)
            )));
        }
    }
    Ok(())
}

/// Refuses an edit whose access another way still decides (a parent role's
/// admin access, which roster leaves to the app).
fn check_result(tx: &mut Tx, role: &Role, admin: bool, app: bool) -> Result<()> {
    let now = find(tx.db, tx.schema, &role.id)?
        .ok_or_else(|| Error::Internal("the edited role vanished".into()))?;
    if now.admin_access != admin || now.app_access != app {
        return Err(Error::conflict(format!(
            "role {} keeps admin = {} and app_access = {} from its parent role; change the parent role instead",
            role.name, now.admin_access, now.app_access
        )));
    }
    Ok(())
}

/// The role's description, when it differs; a database without the column
/// refuses a description (exit 5), as a user's missing column does.
fn set_description(tx: &mut Tx, role: &Role, text: Option<&str>) -> Result<Option<FieldChange>> {
    if !tx
        .db
        .columns("directus_roles")?
        .iter()
        .any(|c| c == "description")
    {
        return Err(Error::validation(
            "this database's directus_roles table has no description column",
        ));
    }
    let id = Value::from(role.id.as_str());
    let row = tx.db.query_opt(
        "SELECT description FROM directus_roles WHERE id = ?",
        std::slice::from_ref(&id),
    )?;
    let old = row.and_then(|r| r.text(0));
    if old.as_deref() == text {
        return Ok(None);
    }
    tx.db.execute(
        "UPDATE directus_roles SET description = ? WHERE id = ?",
        &[Value::opt(text), id],
    )?;
    Ok(Some(("description", old, text.map(str::to_string))))
}
