//! Finding a user, and creating one: a new row, or the soft-deleted row with the
//! email brought back.

use super::audit::{self, Action};
use super::db::{Db, Row, Value, placeholders};
use super::roles::Admins;
use super::rules;
use super::schema::Schema;
use super::select::Select;
use super::tx::{Columns, Tx};
use super::{Created, NewUser, User, canonical_id};
use crate::error::{Error, Result};
use crate::fields::{Field, Kind, Rule};
use crate::profile::Profile;
use crate::status::Status;

/// A user by email (any case) or id. A live user is found as the database
/// compares emails (as Directus's login finds them); a soft-deleted one never
/// by a collation twin: on MySQL/MariaDB `strase@x.com` finds the archived row
/// of `straße@x.com`, another person's, which `forget` would erase.
pub fn find(db: &mut dyn Db, s: &Schema, key: &str) -> Result<Option<User>> {
    let found = holder(db, s, key)?;
    let twin = |u: &User| canonical_id(key).is_none() && rules::is_collation_twin(key.trim(), u);
    Ok(found.filter(|u| u.status() != Status::Deleted || !twin(u)))
}

/// The user holding this email as the database compares emails (a collation twin
/// included), or this id: who a new row with this email would collide with. An
/// email two live accounts share (Directus's PostgreSQL constraint is
/// case-sensitive) is ambiguous: roster names both ids rather than pick one.
pub fn holder(db: &mut dyn Db, s: &Schema, key: &str) -> Result<Option<User>> {
    let select = Select::new(s, false);
    let rows = candidates(db, &select, key)?;
    let status = select.status_at();
    let live = |r: &Row| Status::from_db(&r.string(status)) != Status::Deleted;
    if rows.len() == 2 && rows.iter().all(live) {
        return Err(Error::usage(format!(
            "two users have the email {} in different case ({} and {}): give the id instead",
            key.trim(),
            rows[0].string(select.index(Kind::Id)),
            rows[1].string(select.index(Kind::Id))
        )));
    }
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let admins = Admins::load(db, s)?;
    Ok(Some(select.user(row, &admins)))
}

/// At most two users with this id or email, live ones first: by each of the
/// database's [`Db::email_matches`] in turn until one finds any.
fn candidates(db: &mut dyn Db, select: &Select, key: &str) -> Result<Vec<Row>> {
    let (clauses, value) = match canonical_id(key) {
        Some(id) => (&["u.id = ?"][..], Value::Text(id)),
        None => (db.email_matches(), Value::Text(key.trim().to_lowercase())),
    };
    for clause in clauses {
        let params = vec![value.clone(); clause.matches('?').count()];
        // Deleted rows sort last so a live account wins over an old mixed-case twin.
        let sql = format!(
            "{} WHERE {clause} ORDER BY CASE WHEN u.status IN ('deleted', 'archived') THEN 1 ELSE 0 END, u.id LIMIT 2",
            select.sql
        );
        let rows = db.query(&sql, &params)?;
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    Ok(Vec::new())
}

/// A user that must exist.
pub fn get(db: &mut dyn Db, s: &Schema, key: &str) -> Result<User> {
    find(db, s, key)?.ok_or_else(|| rules::no_user(key))
}

/// Inserts a user, or revives the soft-deleted row that has this email.
pub fn create(tx: &mut Tx, new: &NewUser) -> Result<Created> {
    tx.lock(&new.email)?;
    match tx.holder(&new.email)? {
        Some(old) if rules::is_collation_twin(&new.email, &old) => {
            Err(rules::collation_twin(&new.email, &old))
        }
        Some(old) if old.status() == Status::Deleted => {
            super::custom_fields::refuse_missing_related(tx.db, &new.profile, "")?;
            revive(tx, &old, new)?;
            Ok(Created::Revived(tx.get(&old.id)?))
        }
        Some(old) if new.if_not_exists => Ok(Created::Existing(old)),
        Some(old) => Err(rules::email_taken(&new.email, &old)),
        None => {
            let id = insert(tx, new)?;
            Ok(Created::Inserted(tx.get(&id)?))
        }
    }
}

/// The columns and values a create or revive writes, profile fields included.
fn assignments(s: &Schema, new: &NewUser) -> Result<Columns> {
    let mut cols: Columns = vec![
        ("email", Value::from(new.email.as_str())),
        ("status", Value::from(new.status.as_str())),
        ("password", Value::opt(new.password_hash.as_deref())),
    ];
    if let Some(role) = &new.role {
        cols.push(("role", Value::from(role.as_str())));
    }
    cols.extend(profile_columns(s, &new.profile)?);
    Ok(cols)
}

/// The (column, value) pairs of the profile fields given, each stored as its kind.
pub fn profile_columns(s: &Schema, p: &Profile) -> Result<Columns> {
    let mut cols = Vec::new();
    for (field, value) in p.given() {
        if let Some(column) = s.column_to_set(field, value)? {
            cols.push((column, stored(field, value)));
        }
    }
    Ok(cols)
}

/// A profile value as the database stores it: booleans as booleans, instants
/// as instants, empty as NULL.
pub fn stored(field: &Field, value: Option<&str>) -> Value {
    match (field.rule(), value) {
        (Some(Rule::Bool), Some(v)) => Value::Bool(v == "true"),
        (Some(Rule::Time), Some(v)) => {
            crate::profile::millis(v).map_or(Value::from(v), Value::Time)
        }
        (Some(Rule::Custom(i)), Some(v)) => {
            crate::custom::value::stored(crate::fields::custom(i), v)
        }
        (_, v) => Value::opt(v),
    }
}

fn insert(tx: &mut Tx, new: &NewUser) -> Result<String> {
    if new.role.is_none() {
        return Err(Error::usage("a new user needs a role: give --role NAME"));
    }
    super::custom_fields::refuse_missing_related(tx.db, &new.profile, "")?;
    let id = uuid::Uuid::new_v4().to_string();
    let mut cols = assignments(tx.schema, new)?;
    cols.insert(0, ("id", Value::from(id.as_str())));
    if tx.schema.has("provider") {
        cols.push(("provider", Value::from("default")));
    }
    let names: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "INSERT INTO directus_users ({}) VALUES ({})",
        names.join(", "),
        placeholders(names.len())
    );
    let values: Vec<Value> = cols.iter().map(|(_, v)| v.clone()).collect();
    tx.db.execute(&sql, &values)?;
    audit::record(tx, Action::Create, &id, &cols)?;
    Ok(id)
}

fn revive(tx: &mut Tx, old: &User, new: &NewUser) -> Result<()> {
    let s = tx.schema;
    let mut cols = assignments(s, new)?;
    // The password is the one the create gives (or none); the others go.
    let others = rules::cleared_secrets(s).into_iter();
    cols.extend(others.filter(|(c, _)| *c != "password"));
    // Directus lets only `default` users log in with a password: an account that
    // came from SSO before it was deleted comes back as a local one.
    if s.has("provider") {
        cols.push(("provider", Value::from("default")));
    }
    tx.update(&old.id, &cols)
}
