//! Roles, policies and access: who is an administrator, and making roles whose
//! users really get the access asked for (Directus 11 policies or 10.x columns).

use super::audit::{self, Action};
use super::db::{Db, Row, Value, placeholders};
use super::schema::Schema;
use super::tx::Tx;
use super::{NewRole, Role};
use crate::error::{Error, Result};
use std::collections::HashSet;

/// Roles whose users are administrators: (11.x) roles linked to a policy with
/// `admin_access`, and every role below one of them; (10.x) roles with `admin_access`.
const ADMIN_ROLES_V11: &str = "WITH RECURSIVE admin_roles(id) AS (
        SELECT a.role FROM directus_access a JOIN directus_policies p ON p.id = a.policy
        WHERE p.admin_access = ? AND a.role IS NOT NULL
        UNION
        SELECT r.id FROM directus_roles r JOIN admin_roles ar ON r.parent = ar.id)
    SELECT id FROM admin_roles";
const ADMIN_ROLES_V10: &str = "SELECT id FROM directus_roles WHERE admin_access = ?";
/// Users given an admin policy of their own (11.x).
const ADMIN_USERS_V11: &str = "SELECT a.\"user\" FROM directus_access a
    JOIN directus_policies p ON p.id = a.policy WHERE p.admin_access = ? AND a.\"user\" IS NOT NULL";

/// Who is an administrator, as two small sets, so that checking a user costs no query.
#[derive(Debug, Clone, Default)]
pub struct Admins {
    roles: HashSet<String>,
    users: HashSet<String>,
}

impl Admins {
    /// Reads the admin roles (parents included) and the users with an admin policy of their own.
    pub fn load(db: &mut dyn Db, s: &Schema) -> Result<Admins> {
        let ids = |rows: Vec<Row>| rows.iter().map(|r| r.string(0)).collect::<HashSet<_>>();
        if !s.uses_policies() {
            let roles = ids(db.query(ADMIN_ROLES_V10, &[Value::Bool(true)])?);
            return Ok(Admins {
                roles,
                users: HashSet::new(),
            });
        }
        Ok(Admins {
            roles: ids(db.query(ADMIN_ROLES_V11, &[Value::Bool(true)])?),
            users: ids(db.query(ADMIN_USERS_V11, &[Value::Bool(true)])?),
        })
    }

    /// Whether a user (by id and role) is an administrator.
    pub fn contains(&self, id: &str, role: Option<&str>) -> bool {
        self.users.contains(id) || role.is_some_and(|r| self.roles.contains(r))
    }
}

/// Whether an active administrator other than `id` exists (one probe that stops
/// at the first match, however many users there are).
pub fn other_active_admin(db: &mut dyn Db, s: &Schema, id: &str) -> Result<bool> {
    let Some((clause, mut params)) = admin_clause(db, s)? else {
        return Ok(false);
    };
    params.push(Value::from(id));
    let sql = format!(
        "SELECT 1 FROM directus_users WHERE status = 'active' AND ({clause}) AND id <> ? LIMIT 1"
    );
    Ok(db.query_opt(&sql, &params)?.is_some())
}

/// Whether any active administrator exists (the nil id belongs to nobody).
pub fn any_active_admin(db: &mut dyn Db, s: &Schema) -> Result<bool> {
    other_active_admin(db, s, "00000000-0000-0000-0000-000000000000")
}

/// How many active administrators there are.
pub fn active_admins(db: &mut dyn Db, s: &Schema) -> Result<u64> {
    let Some((clause, params)) = admin_clause(db, s)? else {
        return Ok(0);
    };
    let sql = format!("SELECT count(*) FROM directus_users WHERE status = 'active' AND ({clause})");
    Ok(db.query_int(&sql, &params)?.max(0) as u64)
}

/// "The user is an administrator" as SQL over `directus_users`; `None` when nobody can be.
fn admin_clause(db: &mut dyn Db, s: &Schema) -> Result<Option<(String, Vec<Value>)>> {
    let admins = Admins::load(db, s)?;
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    for (column, set) in [("role", &admins.roles), ("id", &admins.users)] {
        if !set.is_empty() {
            clauses.push(format!("{column} IN ({})", placeholders(set.len())));
            params.extend(set.iter().map(|v| Value::from(v.as_str())));
        }
    }
    Ok((!clauses.is_empty()).then(|| (clauses.join(" OR "), params)))
}

const ROLES_V11: &str = "SELECT r.id, r.name,
      EXISTS (SELECT 1 FROM directus_access a JOIN directus_policies p ON p.id = a.policy
              WHERE a.role = r.id AND p.admin_access = ?),
      EXISTS (SELECT 1 FROM directus_access a JOIN directus_policies p ON p.id = a.policy
              WHERE a.role = r.id AND p.app_access = ?),
      (SELECT COUNT(*) FROM directus_users u WHERE u.role = r.id AND u.status NOT IN ('deleted', 'archived'))
    FROM directus_roles r";
const ROLES_V10: &str = "SELECT r.id, r.name, r.admin_access, r.app_access,
      (SELECT COUNT(*) FROM directus_users u WHERE u.role = r.id AND u.status NOT IN ('deleted', 'archived'))
    FROM directus_roles r";

fn role_rows(db: &mut dyn Db, s: &Schema, clause: &str, params: &[Value]) -> Result<Vec<Role>> {
    let (base, mut all) = if s.uses_policies() {
        (ROLES_V11, vec![Value::Bool(true), Value::Bool(true)])
    } else {
        (ROLES_V10, vec![])
    };
    all.extend_from_slice(params);
    let sql = format!("{base}{clause} ORDER BY lower(r.name), r.id");
    let admins = Admins::load(db, s)?;
    Ok(db
        .query(&sql, &all)?
        .iter()
        .map(|r| role_from_row(r, &admins))
        .collect())
}

/// A role row; a role below an admin role is an admin role too.
fn role_from_row(r: &Row, admins: &Admins) -> Role {
    let id = r.string(0);
    Role {
        admin_access: r.flag(2).unwrap_or(false) || admins.roles.contains(&id),
        id,
        name: r.string(1),
        app_access: r.flag(3).unwrap_or(false),
        users: r.int(4).unwrap_or(0),
    }
}

/// Every role, sorted by name.
pub fn list(db: &mut dyn Db, s: &Schema) -> Result<Vec<Role>> {
    role_rows(db, s, "", &[])
}

/// A role by id or by name (case-insensitive); a name two roles share is ambiguous.
pub fn find(db: &mut dyn Db, s: &Schema, key: &str) -> Result<Option<Role>> {
    let key = key.trim();
    let found = if let Some(id) = super::canonical_id(key) {
        role_rows(db, s, " WHERE r.id = ?", &[Value::from(id)])?
    } else {
        role_rows(
            db,
            s,
            " WHERE lower(r.name) = lower(?)",
            &[Value::from(key)],
        )?
    };
    if found.len() > 1 {
        return Err(Error::usage(format!(
            "{} roles are named {key:?}: give the role's id instead",
            found.len()
        )));
    }
    Ok(found.into_iter().next())
}

/// Creates a role; admin or app access goes on a new policy (11.x) or the role (10.x).
pub fn create(tx: &mut Tx, new: &NewRole) -> Result<Role> {
    // Serialise creators of one name: PostgreSQL has no unique constraint on it.
    tx.lock(&format!("role:{}", new.name.to_lowercase()))?;
    if let Some(old) = find(tx.db, tx.schema, &new.name)? {
        return match new.if_not_exists {
            true => Ok(old),
            false => Err(Error::conflict(format!(
                "a role named {:?} already exists ({})",
                old.name, old.id
            ))),
        };
    }
    let id = uuid::Uuid::new_v4().to_string();
    insert_with_access(tx.db, tx.schema, &id, new)?;
    let delta = serde_json::json!({ "id": id, "name": new.name });
    audit::record_raw(tx, Action::Create, "directus_roles", &id, &delta, &delta)?;
    let made = find(tx.db, tx.schema, &id)?;
    made.ok_or_else(|| Error::Internal("the new role vanished".into()))
}

/// The role row, and the access asked for where this version keeps it.
fn insert_with_access(db: &mut dyn Db, s: &Schema, id: &str, new: &NewRole) -> Result<()> {
    // Administrators use the app too, as Directus's own admin policy has it.
    let app = new.app_access || new.admin_access;
    if !s.uses_policies() {
        return insert_role(db, id, &new.name, Some((new.admin_access, app)));
    }
    insert_role(db, id, &new.name, None)?;
    if app {
        grant_policy(db, id, &new.name, new.admin_access, app)?;
    }
    Ok(())
}

fn insert_role(db: &mut dyn Db, id: &str, name: &str, access: Option<(bool, bool)>) -> Result<()> {
    match access {
        None => db.execute(
            "INSERT INTO directus_roles (id, name) VALUES (?, ?)",
            &[id.into(), name.into()],
        ),
        Some((admin, app)) => db.execute(
            "INSERT INTO directus_roles (id, name, admin_access, app_access) VALUES (?, ?, ?, ?)",
            &[id.into(), name.into(), Value::Bool(admin), Value::Bool(app)],
        ),
    }
    .map(|_| ())
}

/// A policy with the given access, linked to the role by a `directus_access` row.
pub(super) fn grant_policy(
    db: &mut dyn Db,
    role: &str,
    name: &str,
    admin: bool,
    app: bool,
) -> Result<()> {
    let policy = super::policies::Policy {
        name: name.to_string(),
        admin,
        app_access: app,
        ..Default::default()
    };
    let id = super::policies::create(db, &policy)?;
    super::policies::attach(db, &id, "role", role)
}

/// The rows `roster init` starts with: an Administrator role linked to an admin policy,
/// and the settings row Directus keeps.
pub fn seed_standalone(db: &mut dyn Db) -> Result<()> {
    let id = uuid::Uuid::new_v4().to_string();
    insert_role(db, &id, "Administrator", None)?;
    grant_policy(db, &id, "Administrator", true, true)?;
    db.execute(
        "INSERT INTO directus_settings (id) VALUES (?)",
        &[Value::Int(1)],
    )?;
    Ok(())
}
