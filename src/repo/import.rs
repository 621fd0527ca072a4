//! Importing a whole file of users in the caller's transaction: inserts,
//! revivals, updates and prunes, with the last-administrator rule applied to the
//! state at the end.

use super::batch;
use super::db::{Db, Dialect, Value, placeholders};
use super::roles;
use super::schema::Schema;
use super::users::{self, cleared_secrets, get, profile_columns, stored_status};
use super::{FieldChange, Import, ImportRow, OnConflict, RowAction, RowResult, User, WriteOpts};
use crate::error::{Error, Result};
use crate::status::Status;
use std::collections::{HashMap, HashSet};

/// Columns to write, with their values.
type Columns = Vec<(&'static str, Value)>;

/// Every user's lower-cased email and status (the live one wins over a soft-deleted twin).
pub fn statuses(db: &mut dyn Db) -> Result<HashMap<String, Status>> {
    let mut map: HashMap<String, Status> = HashMap::new();
    db.query_each(
        "SELECT lower(email), status FROM directus_users WHERE email IS NOT NULL",
        &[],
        &mut |r| {
            let status = Status::from_db(&r.string(1));
            let live = status != Status::Deleted;
            let entry = map.entry(r.string(0)).or_insert(status.clone());
            if live {
                *entry = status;
            }
            Ok(())
        },
    )?;
    Ok(map)
}

/// Writes every row, then prunes, then checks that an administrator is left.
pub fn run(db: &mut dyn Db, s: &Schema, imp: &Import, opts: &WriteOpts) -> Result<Vec<RowResult>> {
    db.lock_key("roster:status")?;
    let emails: Vec<String> = imp.rows.iter().map(|r| r.email.clone()).collect();
    db.lock_keys(&emails)?;
    let had_admin = roles::any_active_admin(db, s)?;
    let known = statuses(db)?;
    let mut results = Vec::with_capacity(imp.rows.len());
    // New users are written together, in multi-row statements, a batch at a
    // time: a large file never holds all its new rows' columns at once.
    let mut new_rows = Vec::with_capacity(batch::MAX_ROWS);
    let mut new_emails = Vec::with_capacity(batch::MAX_ROWS);
    for row in &imp.rows {
        let result = match known.get(&row.email) {
            None => {
                let (id, cols) = new_row(s, row)?;
                new_rows.push((id.clone(), cols));
                new_emails.push(row);
                created(row, id)
            }
            state => one(db, s, imp.on_conflict, state, row, opts)?,
        };
        results.push(result);
        if new_rows.len() == batch::MAX_ROWS {
            insert_new(db, s, opts, &mut new_rows, &mut new_emails)?;
        }
    }
    insert_new(db, s, opts, &mut new_rows, &mut new_emails)?;
    if imp.prune {
        let named: HashSet<&str> = imp.rows.iter().map(|r| r.email.as_str()).collect();
        results.extend(prune(db, s, &named, opts)?);
    }
    if had_admin && !opts.force && !roles::any_active_admin(db, s)? {
        return Err(Error::conflict(
            "this would leave no active administrator; roster will not lock everyone out \
             (use --force to do it anyway)",
        ));
    }
    Ok(results)
}

/// Writes the new rows gathered so far, and empties the batch.
fn insert_new(
    db: &mut dyn Db,
    s: &Schema,
    opts: &WriteOpts,
    rows: &mut Vec<batch::NewRow>,
    emails: &mut Vec<&ImportRow>,
) -> Result<()> {
    refuse_collation_twins(db, emails)?;
    batch::insert_all(db, s, opts, rows)?;
    rows.clear();
    emails.clear();
    Ok(())
}

/// On MySQL/MariaDB a new row's email that the collation makes equal to a stored
/// one (é = e, ß = s; `lower()` keeps them apart) is that user's email there: the
/// unique index would refuse the insert. Refuse the file first, naming the row.
fn refuse_collation_twins(db: &mut dyn Db, rows: &[&ImportRow]) -> Result<()> {
    if db.dialect() != Dialect::Mysql {
        return Ok(());
    }
    for chunk in rows.chunks(500) {
        let sql = format!(
            "SELECT 1 FROM directus_users WHERE email IN ({}) LIMIT 1",
            placeholders(chunk.len())
        );
        let params: Vec<Value> = chunk
            .iter()
            .map(|r| Value::from(r.email.as_str()))
            .collect();
        if db.query_opt(&sql, &params)?.is_none() {
            continue;
        }
        // Rare: find the row, one look-up at a time, and the user it collides with.
        for row in chunk {
            let twin = db.query_opt(
                "SELECT email FROM directus_users WHERE email = ? LIMIT 1",
                &[Value::from(row.email.as_str())],
            )?;
            if let Some(twin) = twin {
                return Err(Error::conflict(format!(
                    "{}: this database treats {} as the email of existing user {}",
                    row.place,
                    row.email,
                    twin.string(0)
                ))
                .hint(
                    "MySQL/MariaDB compare emails with the table's collation (utf8mb4_general_ci), \
                     which ignores case, accents (é = e, ß = s) and trailing spaces",
                ));
            }
        }
    }
    Ok(())
}

fn one(
    db: &mut dyn Db,
    s: &Schema,
    on_conflict: OnConflict,
    known: Option<&Status>,
    row: &ImportRow,
    opts: &WriteOpts,
) -> Result<RowResult> {
    let result = |id: String, action, changes| RowResult {
        at: Some(row.at),
        email: row.email.clone(),
        id,
        action,
        changes,
    };
    match known {
        None | Some(Status::Deleted) => {
            let old = get(db, s, &row.email)?;
            revive(db, s, &old, row, opts)?;
            Ok(result(old.id, RowAction::Revived, vec![]))
        }
        Some(status) => match on_conflict {
            OnConflict::Fail => Err(Error::conflict(format!(
                "{}: a user with email {} already exists (status {status}); \
                 use --on-conflict skip or update",
                row.place, row.email
            ))),
            OnConflict::Skip => {
                let old = get(db, s, &row.email)?;
                Ok(result(old.id, RowAction::Skipped, vec![]))
            }
            OnConflict::Update => {
                let old = get(db, s, &row.email)?;
                let (action, changes) = update(db, s, &old, row, opts)?;
                Ok(result(old.id, action, changes))
            }
        },
    }
}

/// The secret and status columns a row gives, for a new or revived row.
fn credentials(s: &Schema, row: &ImportRow, status: &Status) -> Vec<(&'static str, Value)> {
    let mut cols = vec![
        ("status", Value::from(stored_status(s, status))),
        ("password", Value::opt(row.password_hash.as_deref())),
    ];
    for (col, v) in [("token", &row.token), ("tfa_secret", &row.tfa_secret)] {
        if s.has(col) {
            cols.push((col, Value::opt(v.as_deref())));
        }
    }
    if s.has("provider") {
        cols.push(("provider", Value::from("default")));
    }
    cols
}

/// The status of a row that creates or revives a user (spec §4a).
fn new_status(row: &ImportRow) -> Status {
    row.status.clone().unwrap_or(match row.password_hash {
        Some(_) => Status::Active,
        None => Status::Invited,
    })
}

/// The result of a row that creates a user.
fn created(row: &ImportRow, id: String) -> RowResult {
    RowResult {
        at: Some(row.at),
        email: row.email.clone(),
        id,
        action: RowAction::Created,
        changes: vec![],
    }
}

/// The id and columns of a new user (written by [`batch::insert_all`]).
fn new_row(s: &Schema, row: &ImportRow) -> Result<batch::NewRow> {
    let Some(role) = &row.role else {
        return Err(Error::usage(format!(
            "{}: a new user needs a role: give a role field or --role",
            row.place
        )));
    };
    let id = row
        .id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let mut cols = vec![
        ("id", Value::from(id.as_str())),
        ("email", Value::from(row.email.as_str())),
        ("role", Value::from(role.as_str())),
    ];
    cols.extend(credentials(s, row, &new_status(row)));
    cols.extend(profile_columns(s, &row.profile)?);
    Ok((id, cols))
}

fn revive(
    db: &mut dyn Db,
    s: &Schema,
    old: &User,
    row: &ImportRow,
    opts: &WriteOpts,
) -> Result<()> {
    let mut cols = vec![("email", Value::from(row.email.as_str()))];
    if let Some(role) = row.role.as_ref().or(old.role.as_ref()) {
        cols.push(("role", Value::from(role.as_str())));
    } else {
        return Err(Error::usage(format!(
            "{}: {} is revived but its role was deleted: give a role field or --role",
            row.place, row.email
        )));
    }
    cols.extend(credentials(s, row, &new_status(row)));
    cols.extend(profile_columns(s, &row.profile)?);
    users::update(db, s, &old.id, &cols, opts)
}

/// Gives a live user the fields the row gives; only what differs is written.
fn update(
    db: &mut dyn Db,
    s: &Schema,
    old: &User,
    row: &ImportRow,
    opts: &WriteOpts,
) -> Result<(RowAction, Vec<FieldChange>)> {
    let (cols, changes) = differences(db, s, old, row)?;
    if cols.is_empty() {
        return Ok((RowAction::Unchanged, changes));
    }
    let deleting = row.status == Some(Status::Deleted);
    let mut cols = cols;
    if deleting {
        cols.retain(|(c, _)| !["password", "token", "tfa_secret"].contains(c));
        cols.extend(cleared_secrets(s));
    }
    let ends_sessions = cols
        .iter()
        .any(|(c, _)| ["status", "password", "token"].contains(c));
    match ends_sessions {
        true => users::update(db, s, &old.id, &cols, opts)?,
        false => users::write_row(db, s, &old.id, &cols, opts)?,
    }
    let action = if deleting {
        RowAction::SoftDeleted
    } else {
        RowAction::Updated
    };
    Ok((action, changes))
}

/// The columns to write and the changes to report for an update.
fn differences(
    db: &mut dyn Db,
    s: &Schema,
    old: &User,
    row: &ImportRow,
) -> Result<(Columns, Vec<FieldChange>)> {
    let mut cols = Vec::new();
    let mut changes: Vec<FieldChange> = Vec::new();
    for (field, value) in row.profile.given() {
        let before = old.profile.get(field.name);
        if before != value {
            cols.push((s.column_for(field)?, users::stored(field, value)));
            changes.push((
                field.name,
                before.map(str::to_string),
                value.map(str::to_string),
            ));
        }
    }
    if let Some(role) = row
        .role
        .as_deref()
        .filter(|r| old.role.as_deref() != Some(*r))
    {
        cols.push(("role", Value::from(role)));
        let name = db.query_opt(
            "SELECT name FROM directus_roles WHERE id = ?",
            &[Value::from(role)],
        )?;
        let name = name
            .and_then(|r| r.text(0))
            .unwrap_or_else(|| role.to_string());
        changes.push(("role", old.role_name.clone(), Some(name)));
    }
    if let Some(status) = row.status.as_ref().filter(|st| **st != old.status()) {
        cols.push(("status", Value::from(stored_status(s, status))));
        changes.push(("status", Some(old.status.clone()), Some(status.to_string())));
    }
    secret_differences(db, old, row, &mut cols, &mut changes)?;
    Ok((cols, changes))
}

/// Secrets compared with the stored ones (never shown: only "set").
fn secret_differences(
    db: &mut dyn Db,
    old: &User,
    row: &ImportRow,
    cols: &mut Vec<(&'static str, Value)>,
    changes: &mut Vec<FieldChange>,
) -> Result<()> {
    let given = [
        ("password", "password_hash", &row.password_hash),
        ("token", "token", &row.token),
        ("tfa_secret", "tfa_secret", &row.tfa_secret),
    ];
    for (column, name, value) in given {
        let Some(value) = value else { continue };
        let sql = format!("SELECT {column} FROM directus_users WHERE id = ?");
        let stored = db.query_opt(&sql, &[Value::from(old.id.as_str())])?;
        if stored.and_then(|r| r.text(0)).as_deref() != Some(value.as_str()) {
            cols.push((column, Value::from(value.as_str())));
            changes.push((name, None, Some("(new value)".to_string())));
        }
    }
    Ok(())
}

/// Soft-deletes every live user the file does not name.
fn prune(
    db: &mut dyn Db,
    s: &Schema,
    named: &HashSet<&str>,
    opts: &WriteOpts,
) -> Result<Vec<RowResult>> {
    let mut gone = Vec::new();
    for (email, status) in statuses(db)? {
        if status == Status::Deleted || named.contains(email.as_str()) {
            continue;
        }
        let user = get(db, s, &email)?;
        let mut cols = vec![("status", Value::from(s.deleted_value()))];
        cols.extend(cleared_secrets(s));
        users::update(db, s, &user.id, &cols, opts)?;
        gone.push(RowResult {
            at: None,
            email: user.email,
            id: user.id,
            action: RowAction::SoftDeleted,
            changes: vec![("status", Some(user.status), Some("deleted".into()))],
        });
    }
    gone.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(gone)
}
