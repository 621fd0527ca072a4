//! Directus 11's policies as a user base carries them between projects: by name,
//! with their admin and app access and the roles and users they are attached to.
//! Permissions stay with the project (they name its collections).

use super::db::{Db, Value};
use super::schema::Schema;
use super::tx::Tx;
use crate::error::{Error, Result};
use serde::Serialize;

/// A policy: its name, what it grants, and who holds it (roles by name, users by email).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub name: String,
    pub admin: bool,
    pub app_access: bool,
    pub enforce_tfa: bool,
    pub roles: Vec<String>,
    pub users: Vec<String>,
}

/// Every policy attached to a role or a user, by name; none before Directus 11.
pub fn list(db: &mut dyn Db, s: &Schema) -> Result<Vec<Policy>> {
    if !s.uses_policies() {
        return Ok(Vec::new());
    }
    let rows = db.query(
        "SELECT p.name, p.admin_access, p.app_access, p.enforce_tfa, r.name, u.email \
         FROM directus_policies p JOIN directus_access a ON a.policy = p.id \
         LEFT JOIN directus_roles r ON r.id = a.role LEFT JOIN directus_users u ON u.id = a.\"user\" \
         WHERE a.role IS NOT NULL OR (a.\"user\" IS NOT NULL AND u.status NOT IN ('deleted', 'archived')) \
         ORDER BY lower(p.name), p.name, lower(r.name), u.email",
        &[],
    )?;
    let mut out: Vec<Policy> = Vec::new();
    for r in &rows {
        let name = r.string(0);
        if out.last().is_none_or(|p| p.name != name) {
            out.push(Policy {
                name,
                admin: r.flag(1).unwrap_or(false),
                app_access: r.flag(2).unwrap_or(false),
                enforce_tfa: r.flag(3).unwrap_or(false),
                ..Policy::default()
            });
        }
        let Some(p) = out.last_mut() else { continue };
        p.roles.extend(r.text(4));
        p.users.extend(r.text(5));
    }
    Ok(out)
}

/// Makes each declared policy exist with its access and attachments: made when
/// no policy has its name, its flags set when they differ, and attached to every
/// role and user it names (attachments it has beyond those stay).
pub fn apply(tx: &mut Tx, declared: &[Policy]) -> Result<()> {
    for (i, p) in declared.iter().enumerate() {
        let place = format!("policies[{i}]");
        let id = match find(tx.db, &p.name)? {
            Some(id) => set_flags(tx.db, &id, p).map(|_| id)?,
            None => create(tx.db, p)?,
        };
        for role in &p.roles {
            let found = super::roles::find(tx.db, tx.schema, role)?;
            let role =
                found.ok_or_else(|| Error::not_found(format!("{place}: no role {role:?}")))?;
            attach(tx.db, &id, "role", &role.id)?;
        }
        for email in &p.users {
            let user = tx.holder(email)?;
            let user = user.ok_or_else(|| Error::not_found(format!("{place}: no user {email}")))?;
            attach(tx.db, &id, "\"user\"", &user.id)?;
        }
    }
    Ok(())
}

/// The id of the policy with this name (any case); the first, should two share it.
fn find(db: &mut dyn Db, name: &str) -> Result<Option<String>> {
    let row = db.query_opt(
        "SELECT id FROM directus_policies WHERE lower(name) = lower(?) ORDER BY id",
        &[Value::from(name)],
    )?;
    Ok(row.map(|r| r.string(0)))
}

/// Makes a policy; its id.
pub(super) fn create(db: &mut dyn Db, p: &Policy) -> Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let icon = if p.admin { "verified" } else { "badge" };
    db.execute(
        "INSERT INTO directus_policies (id, name, icon, admin_access, app_access, enforce_tfa) VALUES (?, ?, ?, ?, ?, ?)",
        &[
            Value::from(id.as_str()),
            Value::from(p.name.as_str()),
            Value::from(icon),
            Value::Bool(p.admin),
            Value::Bool(p.app_access || p.admin),
            Value::Bool(p.enforce_tfa),
        ],
    )?;
    Ok(id)
}

fn set_flags(db: &mut dyn Db, id: &str, p: &Policy) -> Result<()> {
    db.execute(
        "UPDATE directus_policies SET admin_access = ?, app_access = ?, enforce_tfa = ? WHERE id = ? \
         AND (admin_access <> ? OR app_access <> ? OR enforce_tfa <> ?)",
        &[
            Value::Bool(p.admin),
            Value::Bool(p.app_access || p.admin),
            Value::Bool(p.enforce_tfa),
            Value::from(id),
            Value::Bool(p.admin),
            Value::Bool(p.app_access || p.admin),
            Value::Bool(p.enforce_tfa),
        ],
    )
    .map(|_| ())
}

/// A `directus_access` row linking the policy to a role or a user, unless one does.
pub(super) fn attach(db: &mut dyn Db, policy: &str, column: &str, holder: &str) -> Result<()> {
    let there = db.query_opt(
        &format!("SELECT 1 FROM directus_access WHERE policy = ? AND {column} = ?"),
        &[Value::from(policy), Value::from(holder)],
    )?;
    if there.is_some() {
        return Ok(());
    }
    let sql =
        format!("INSERT INTO directus_access (id, {column}, policy, sort) VALUES (?, ?, ?, ?)");
    let id = uuid::Uuid::new_v4().to_string();
    db.execute(
        &sql,
        &[id.into(), holder.into(), policy.into(), Value::Int(1)],
    )
    .map(|_| ())
}
