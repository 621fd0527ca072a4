//! Importing a whole file of users in the caller's transaction: inserts,
//! revivals, updates and prunes, a chunk of rows at a time, with the
//! last-administrator rule applied to the state at the end.

use super::batch;
use super::db::{Db, Value};
use super::existing::{Existing, Stored};
use super::new_ids::NewIds;
use super::rules::{self, AdminWatch, Lockout};
use super::schema::Schema;
use super::status_changes::{STATUS_LOCK, stored_status};
use super::taken;
use super::tx::{Columns, Tx};
use super::users::{profile_columns, stored};
use super::{
    FieldChange, Found, Import, ImportRow, ImportWriter, OnConflict, RowAction, RowResult, User,
};
use crate::error::{Error, Result};
use crate::fields::SECRETS;
use crate::status::Status;

/// Takes the locks, reads the users the rows name once, lets `feed` hand the
/// rows over, then prunes and checks that an administrator is left.
pub fn run(
    tx: &mut Tx,
    imp: &Import,
    feed: &mut dyn FnMut(&mut dyn ImportWriter) -> Result<()>,
) -> Result<Vec<RowResult>> {
    tx.lock(STATUS_LOCK)?;
    tx.db.lock_buckets(imp.buckets)?;
    let watch = AdminWatch::before(tx)?;
    for (id, edit) in imp.role_edits {
        let role = super::roles::find(tx.db, tx.schema, id)?.ok_or_else(|| {
            Error::conflict(format!("role {id} was deleted while the file was applied"))
        })?;
        super::role_edit::edit(tx, &role, edit)?;
    }
    let known = Existing::read(tx.db, tx.schema, imp.named)?;
    // Tests hold the import here, under its locks, to write as Directus would
    // (Directus takes none of roster's locks).
    crate::failpoint::pause("import_locked");
    feed(&mut Writer {
        tx: &mut *tx,
        drawn: Drawn {
            foldable: known.foldable,
            ids: NewIds::draw(imp.rows),
        },
        known: &known,
        on_conflict: imp.on_conflict,
        ignore_ids: imp.ignore_ids,
    })?;
    // The last batch may still be in flight: its error is the import's, before
    // anything is shown as written.
    tx.db.settle()?;
    super::policies::apply(tx, imp.policies)?;
    let mut results = Vec::new();
    if imp.prune {
        results = prune(tx, imp.named)?;
    }
    watch.after(tx, Lockout::Import)?;
    Ok(results)
}

/// The rows' writes, against the users read under the locks.
struct Writer<'t, 'a> {
    tx: &'t mut Tx<'a>,
    known: &'t Existing,
    drawn: Drawn,
    on_conflict: OnConflict,
    ignore_ids: bool,
}

impl ImportWriter for Writer<'_, '_> {
    fn status_of(&self, email: &str) -> Result<Option<Status>> {
        Ok(self.known.get(email)?.map(|s| s.user.status()))
    }

    fn write(&mut self, rows: &[ImportRow]) -> Result<Vec<RowResult>> {
        let how = How {
            on_conflict: self.on_conflict,
            ignore_ids: self.ignore_ids,
        };
        write_rows(self.tx, rows, how, self.known, &mut self.drawn)
    }
}

/// What the run has learnt or drawn so far, beside the users it read.
struct Drawn {
    /// Whether a stored email, or one this import wrote, is [`rules::foldable`].
    foldable: bool,
    ids: NewIds,
}

/// What a row whose email a user has gets.
#[derive(Clone, Copy)]
struct How {
    on_conflict: OnConflict,
    ignore_ids: bool,
}

/// Every row's write, in file order. The chunk's new users are written
/// together, in multi-row statements, after the others.
fn write_rows(
    tx: &mut Tx,
    rows: &[ImportRow],
    how: How,
    known: &Existing,
    drawn: &mut Drawn,
) -> Result<Vec<RowResult>> {
    let is_new: Vec<bool> = rows
        .iter()
        .map(|r| known.get(&r.email).map(|k| k.is_none()))
        .collect::<Result<_>>()?;
    taken::refuse_taken(tx.db, tx.schema, rows, &is_new)?;
    taken::refuse_missing_files(tx.db, rows)?;
    for row in rows {
        let place = format!("{}: ", row.place);
        super::custom_fields::refuse_missing_related(tx.db, &row.profile, &place)?;
    }
    let mut results = Vec::with_capacity(rows.len());
    let mut new_rows = Vec::with_capacity(rows.len());
    let mut new_emails = Vec::with_capacity(rows.len());
    for row in rows {
        let result = match known.get(&row.email)? {
            None => {
                let (id, cols) = new_row(tx.schema, row, &mut drawn.ids)?;
                new_rows.push((id.clone(), cols));
                new_emails.push(row);
                created(row, id)
            }
            Some(old) => one(tx, how, old, row)?,
        };
        results.push(result);
    }
    insert_new(tx, &mut new_rows, &mut new_emails, &mut drawn.foldable)?;
    Ok(results)
}

/// Writes the new rows gathered so far, and empties the batch.
fn insert_new(
    tx: &mut Tx,
    rows: &mut Vec<batch::NewRow>,
    emails: &mut Vec<&ImportRow>,
    foldable: &mut bool,
) -> Result<()> {
    rules::refuse_collation_twins(tx.db, emails, *foldable)?;
    *foldable |= emails.iter().any(|r| rules::foldable(&r.email));
    batch::insert_all(tx, rows)?;
    rows.clear();
    emails.clear();
    Ok(())
}

/// Refuses a row whose `id` is not the id of the user its email names: the
/// file means another row, or a migration expects references that would not line up.
fn same_id(old: &Stored, row: &ImportRow) -> Result<()> {
    let Some(given) = &row.id else {
        return Ok(());
    };
    let canonical = |id: &str| super::canonical_id(id).unwrap_or_else(|| id.to_lowercase());
    if canonical(given) == canonical(&old.user.id) {
        return Ok(());
    }
    Err(Error::validation(format!(
        "{}: id {given} is not the id of {}, the user with this email ({})",
        row.place, old.user.email, old.user.id
    ))
    .hint("--ignore-ids updates the user the email names and keeps its id"))
}

/// The write of a row whose email a stored user has.
fn one(tx: &mut Tx, how: How, old: &Stored, row: &ImportRow) -> Result<RowResult> {
    let result = |action, changes| RowResult {
        at: Some(row.at),
        email: row.email.clone(),
        id: old.user.id.clone(),
        action,
        changes,
    };
    let status = old.user.status();
    // Only a row that writes to the user: revived, kept deleted, or updated.
    let writes = status == Status::Deleted || how.on_conflict == OnConflict::Update;
    if writes && !how.ignore_ids {
        same_id(old, row)?;
    }
    if status == Status::Deleted {
        // A soft-deleted user the file keeps deleted (as `export` writes them) is
        // no revival: only what differs is written, and nothing usually does.
        if row.status == Some(Status::Deleted) {
            let (action, changes) = update(tx, old, row)?;
            return Ok(result(action, changes));
        }
        revive(tx, &old.user, row)?;
        return Ok(result(RowAction::Revived, vec![]));
    }
    match how.on_conflict {
        OnConflict::Fail => Err(rules::email_taken_at(&row.place, &row.email, &status)),
        OnConflict::Skip => Ok(result(RowAction::Skipped, vec![])),
        OnConflict::Update => {
            let (action, changes) = update(tx, old, row)?;
            Ok(result(action, changes))
        }
    }
}

/// The secret and status columns a row gives, for a new or revived row.
fn credentials(s: &Schema, row: &ImportRow, status: &Status) -> Columns {
    let mut cols = vec![("status", Value::from(stored_status(s, status)))];
    // A soft-deleted row never holds a credential, whatever the file carries
    // (an export of a user Directus archived carries its hash).
    let deleted = *status == Status::Deleted;
    // Every user table has a password; the other secrets came with later versions.
    for (col, _, v) in secrets(row) {
        if col == "password" || s.has(col) {
            cols.push((col, Value::opt(v.filter(|_| !deleted))));
        }
    }
    // A row that gives no provider makes a local account (as a revival does).
    if s.has("provider") && row.profile.get("provider").is_none() {
        cols.push(("provider", Value::from("default")));
    }
    cols
}

/// The secrets a row gives, as (column, name, value), one for each of [`SECRETS`].
fn secrets(row: &ImportRow) -> impl Iterator<Item = (&'static str, &'static str, Option<&str>)> {
    let values: [&Option<String>; SECRETS.len()] = [
        &row.password_hash,
        &row.token,
        &row.tfa_secret,
        &row.auth_data,
    ];
    let named = SECRETS.iter().zip(values);
    named.map(|((name, column), v)| (*column, *name, v.as_deref()))
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
fn new_row(s: &Schema, row: &ImportRow, ids: &mut NewIds) -> Result<batch::NewRow> {
    let Some(role) = &row.role else {
        return Err(Error::usage(format!(
            "{}: a new user needs a role: give a role field or --role",
            row.place
        )));
    };
    crate::custom::required_given(&row.profile)
        .map_err(|e| Error::validation(format!("{}: {}", row.place, e.message())))?;
    let id = row.id.clone().unwrap_or_else(|| ids.next_id());
    let mut cols = vec![
        ("id", Value::from(id.as_str())),
        ("email", Value::from(row.email.as_str())),
        ("role", Value::from(role.as_str())),
    ];
    // Only what the row gives, as the API's own create writes: the columns'
    // defaults (no secret, the local provider) are the rest, and the revision
    // records no more than was given.
    let given = credentials(s, row, &new_status(row));
    cols.extend(
        given
            .into_iter()
            .filter(|(c, v)| !matches!(v, Value::Null) && *c != "provider"),
    );
    cols.extend(profile_columns(s, &row.profile)?);
    Ok((id, cols))
}

fn revive(tx: &mut Tx, old: &User, row: &ImportRow) -> Result<()> {
    let s = tx.schema;
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
    tx.update(&old.id, &cols)
}

/// Gives a live user the fields the row gives; only what differs is written.
fn update(tx: &mut Tx, old: &Stored, row: &ImportRow) -> Result<(RowAction, Vec<FieldChange>)> {
    let deleting = row.status == Some(Status::Deleted);
    let (mut cols, changes) = differences(tx.db, tx.schema, old, row, deleting)?;
    if cols.is_empty() {
        return Ok((RowAction::Unchanged, changes));
    }
    if deleting {
        rules::clear_secrets(tx.schema, &mut cols);
    }
    let ends_sessions = cols
        .iter()
        .any(|(c, _)| ["status", "password", "token"].contains(c));
    match ends_sessions {
        true => tx.update(&old.user.id, &cols)?,
        false => tx.write_row(&old.user.id, &cols)?,
    }
    let action = match deleting && old.found() == Found::Live {
        true => RowAction::SoftDeleted,
        false => RowAction::Updated,
    };
    Ok((action, changes))
}

/// The columns to write and the changes to report for an update; a row that
/// soft-deletes sets no secret (the soft-delete clears them all).
fn differences(
    db: &mut dyn Db,
    s: &Schema,
    have: &Stored,
    row: &ImportRow,
    deleting: bool,
) -> Result<(Columns, Vec<FieldChange>)> {
    let old = &have.user;
    let mut cols = Vec::new();
    let mut changes: Vec<FieldChange> = Vec::new();
    for (field, value) in row.profile.given() {
        let before = old.profile.get(field.name);
        let Some(column) = s.column_to_set(field, value)? else {
            continue;
        };
        if !crate::profile::same(field.rule(), before, value) {
            cols.push((column, stored(field, value)));
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
    if !deleting {
        secret_differences(have, row, &mut cols, &mut changes);
    }
    Ok((cols, changes))
}

/// Secrets compared with the stored ones (never shown: only "set").
fn secret_differences(
    old: &Stored,
    row: &ImportRow,
    cols: &mut Columns,
    changes: &mut Vec<FieldChange>,
) {
    for (column, name, value) in secrets(row) {
        let Some(value) = value else { continue };
        if old.secret(name) != Some(value) {
            cols.push((column, Value::from(value)));
            changes.push((name, None, Some("(new value)".to_string())));
        }
    }
}

/// Soft-deletes every live user the file does not name, read in one pass.
fn prune(tx: &mut Tx, named: &dyn Fn(&str) -> bool) -> Result<Vec<RowResult>> {
    let others = Existing::read(tx.db, tx.schema, &|e| !named(e))?;
    let mut gone = Vec::new();
    for email in others.emails() {
        let Some(user) = others.get(email)?.map(|s| &s.user) else {
            continue;
        };
        if user.status() == Status::Deleted {
            continue;
        }
        tx.update(&user.id, &rules::soft_deleted(tx.schema))?;
        gone.push(RowResult {
            at: None,
            email: user.email.clone(),
            id: user.id.clone(),
            action: RowAction::SoftDeleted,
            changes: vec![("status", Some(user.status.clone()), Some("deleted".into()))],
        });
    }
    gone.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(gone)
}
