//! Forgetting a soft-deleted user: every personal value and credential of the
//! row erased, the row and its id kept, and (when asked) the copies of those
//! values in the row's revisions too.

use super::audit::{self, Action};
use super::db::Value;
use super::rules;
use super::status_changes::STATUS_LOCK;
use super::tx::{Columns, Tx};
use super::{Changed, Forgotten};
use crate::error::{Error, Result};
use crate::fields;
use crate::status::Status;
use serde_json::Value as Json;

/// The email a forgotten user gets: unique, and in a reserved domain that can
/// never receive mail or match a login.
pub fn tombstone(id: &str) -> String {
    format!("forgotten-{id}@forgotten.invalid")
}

/// Erases a soft-deleted user's personal data and credentials, keeping the row
/// and its id; with `scrub_revisions`, in the row's revisions as well.
pub fn forget(tx: &mut Tx, key: &str, scrub_revisions: bool) -> Result<Forgotten> {
    tx.lock(STATUS_LOCK)?;
    let found = tx.get(key)?;
    // The lock a reviving create takes on this email: held, the row read again
    // is the row as it stays until the commit, never one brought back meanwhile.
    tx.lock(&found.email)?;
    let user = tx.get(&found.id)?;
    if user.status() != Status::Deleted {
        return Err(Error::conflict(format!(
            "{} is {}: only a soft-deleted user can be forgotten (run `roster soft-delete` first)",
            user.email, user.status
        )));
    }
    let email = tombstone(&user.id);
    let erased = erasable(tx);
    let held = holding(tx, &user.id, &erased)?;
    // The revisions that still hold a personal value, scrubbed in memory.
    let holding_values: Vec<Revision> = revisions_of(tx, &user.id)?
        .into_iter()
        .filter_map(|mut r| r.scrub(&email).then_some(r))
        .collect();
    let n = holding_values.len() as u64;
    let (scrubbed, revisions_kept) = match scrub_revisions {
        true => (write_back(tx, &holding_values)?, 0),
        false => (0, n),
    };
    let changed = match user.email == email && held.is_empty() {
        true => Changed::AlreadyThere(user),
        false => erase(tx, &user.id, &email, &erased, user.status())?,
    };
    Ok(Forgotten {
        changed,
        erased: held,
        revisions_scrubbed: scrubbed,
        revisions_kept,
    })
}

/// The columns forget sets to NULL on this database: personal data and credentials.
fn erasable(tx: &Tx) -> Vec<&'static str> {
    let personal = fields::personal_columns().filter(|c| tx.schema.has(c));
    let secrets = rules::cleared_secrets(tx.schema)
        .into_iter()
        .map(|(c, _)| c);
    personal.chain(secrets).collect()
}

/// The erasable columns that still hold a value (what this run erases).
fn holding(tx: &mut Tx, id: &str, cols: &[&'static str]) -> Result<Vec<&'static str>> {
    let tests: Vec<String> = cols
        .iter()
        .map(|c| format!("CASE WHEN {c} IS NULL THEN 0 ELSE 1 END"))
        .collect();
    let sql = format!(
        "SELECT {} FROM directus_users WHERE id = ?",
        tests.join(", ")
    );
    let rows = tx.db.query(&sql, &[Value::from(id)])?;
    let Some(row) = rows.first() else {
        return Ok(Vec::new());
    };
    Ok(cols
        .iter()
        .enumerate()
        .filter(|(i, _)| row.int(*i).unwrap_or(0) != 0)
        .map(|(_, c)| *c)
        .collect())
}

fn erase(
    tx: &mut Tx,
    id: &str,
    email: &str,
    cols: &[&'static str],
    from: Status,
) -> Result<Changed> {
    let mut set: Columns = vec![("email", Value::from(email))];
    set.extend(cols.iter().map(|c| (*c, Value::Null)));
    // The audit trail records that the user was forgotten, not what was erased.
    let unaudited = super::WriteOpts {
        audit: false,
        ..tx.opts.clone()
    };
    tx.with(&unaudited).update(id, &set)?;
    let mut delta = audit::to_json(set.iter().map(|(c, _)| (*c, &Value::Null)));
    delta["email"] = Json::from(email);
    audit::record_raw(tx, Action::Update, "directus_users", id, &delta, &delta)?;
    Ok(Changed::Done {
        from,
        user: tx.get(id)?,
    })
}

/// One revision of the user's row: its id, and its data and delta as stored.
struct Revision {
    id: i64,
    data: Option<Json>,
    delta: Option<Json>,
}

impl Revision {
    /// Replaces every personal value in data and delta; whether any was there.
    fn scrub(&mut self, email: &str) -> bool {
        [&mut self.data, &mut self.delta]
            .into_iter()
            .flatten()
            // Every one scrubbed: `any` would stop at the first.
            .map(|json| scrub_json(json, email))
            .filter(|changed| *changed)
            .count()
            > 0
    }
}

/// The user's email becomes the tombstone; every other personal or secret key, null.
fn scrub_json(json: &mut Json, email: &str) -> bool {
    let Some(map) = json.as_object_mut() else {
        return false;
    };
    let mut changed = false;
    for (key, value) in map.iter_mut() {
        let replacement = match key.as_str() {
            "email" => Json::from(email),
            k if is_personal_key(k) => Json::Null,
            _ => continue,
        };
        if *value != replacement {
            *value = replacement;
            changed = true;
        }
    }
    changed
}

/// The keys of a revision that hold personal data or a credential.
fn is_personal_key(key: &str) -> bool {
    fields::personal_columns()
        .chain(fields::secret_columns())
        .any(|c| c == key)
}

fn revisions_of(tx: &mut Tx, id: &str) -> Result<Vec<Revision>> {
    if !tx.schema.has_revisions {
        return Ok(Vec::new());
    }
    let rows = tx.db.query(
        "SELECT id, data, delta FROM directus_revisions WHERE collection = 'directus_users' AND item = ? ORDER BY id",
        &[Value::from(id)],
    )?;
    Ok(rows
        .iter()
        .map(|r| Revision {
            id: r.int(0).unwrap_or_default(),
            data: r.text(1).and_then(|t| serde_json::from_str(&t).ok()),
            delta: r.text(2).and_then(|t| serde_json::from_str(&t).ok()),
        })
        .collect())
}

/// Writes scrubbed revisions back; how many.
fn write_back(tx: &mut Tx, revisions: &[Revision]) -> Result<u64> {
    let text = |j: &Option<Json>| Value::opt(j.as_ref().map(Json::to_string).as_deref());
    for r in revisions {
        tx.db.execute(
            "UPDATE directus_revisions SET data = ?, delta = ? WHERE id = ?",
            &[text(&r.data), text(&r.delta), Value::Int(r.id)],
        )?;
    }
    Ok(revisions.len() as u64)
}
