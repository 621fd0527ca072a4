//! Inserting many new users at once: multi-row INSERTs of rows that set the same
//! columns, and their audit rows the same way, so a large import costs a few
//! statements per few hundred users rather than three per user.

use super::audit;
use super::db::{Db, InsertMany, Value};
use super::tx::Tx;
use crate::error::Result;
use std::collections::{BTreeMap, HashMap};

/// One new row: its id and the columns it sets.
pub type NewRow = (String, Vec<(&'static str, Value)>);

/// Bound parameters per statement: under SQLite's 32766 and PostgreSQL's and MySQL's 65535.
const MAX_PARAMS: usize = 30_000;
/// Rows per statement, whatever their width: larger statements gain nothing more.
pub const MAX_ROWS: usize = 1_000;

/// Values per statement, in bytes: under the smallest `max_allowed_packet`
/// MySQL has shipped with (4 MiB), whatever the rows hold.
const MAX_BYTES: usize = 2 << 20;

/// Rows of `width` columns per multi-row INSERT.
pub fn rows_per_insert(width: usize) -> usize {
    (MAX_PARAMS / width.max(1)).clamp(1, MAX_ROWS)
}

/// The rows as statements of at most [`rows_per_insert`] rows and about
/// [`MAX_BYTES`] of values each (a row is never split).
pub fn statements<'a>(rows: &InsertMany<'a>) -> Vec<InsertMany<'a>> {
    let width = rows.names.len().max(1);
    let per = rows_per_insert(width);
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, row) in rows.values.chunks(width).enumerate() {
        let size: usize = row
            .iter()
            .map(|v| 8 + if let Value::Text(t) = v { t.len() } else { 0 })
            .sum();
        if i > start && (i - start == per || bytes + size > MAX_BYTES) {
            parts.push(part(rows, start, i));
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    let end = rows.values.len() / width;
    if end > start {
        parts.push(part(rows, start, end));
    }
    parts
}

/// Rows `from..to` of `rows`.
fn part<'a>(rows: &InsertMany<'a>, from: usize, to: usize) -> InsertMany<'a> {
    let width = rows.names.len().max(1);
    InsertMany {
        values: &rows.values[from * width..to * width],
        ..*rows
    }
}

/// Inserts every row and records each as created; rows setting the same columns
/// go in one statement (SQLite cannot write DEFAULT in a VALUES list).
pub fn insert_all(tx: &mut Tx, rows: &[NewRow]) -> Result<()> {
    let mut groups: BTreeMap<Vec<&str>, Vec<&NewRow>> = BTreeMap::new();
    for row in rows {
        let names = row.1.iter().map(|(c, _)| *c).collect();
        groups.entry(names).or_default().push(row);
    }
    for (names, group) in groups {
        let per = tx.db.batch_rows(names.len());
        // The audit rows first, in the file's order: the users' own rows are
        // then the last write, which runs while the next chunk is read (see
        // `pipelined`), and the largest.
        for chunk in group.chunks(per) {
            record_created(tx, chunk)?;
        }
        // In id order, each statement's random v4 ids land on neighbouring pages
        // of the primary key's index, not all over it (a fifth of MariaDB's time).
        let mut by_id = group;
        by_id.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for chunk in by_id.chunks(per) {
            insert_chunk(tx.db, &names, chunk)?;
        }
    }
    Ok(())
}

fn insert_chunk(db: &mut dyn Db, names: &[&str], chunk: &[&NewRow]) -> Result<()> {
    let values: Vec<Value> = chunk
        .iter()
        .flat_map(|(_, cols)| cols.iter().map(|(_, v)| v.clone()))
        .collect();
    db.insert_many(&InsertMany {
        table: "directus_users",
        names,
        values: &values,
        json: &[],
        returning: None,
    })
    .map(|_| ())
}

/// The activity and revision rows of created users, two statements per chunk;
/// each activity id is matched to its user by the item it names.
fn record_created(tx: &mut Tx, chunk: &[&NewRow]) -> Result<()> {
    if !tx.opts.audit || !tx.schema.has_activity {
        return Ok(());
    }
    // The revisions' documents first: on a server the previous batch is still
    // being written meanwhile, where the activity rows' ids would make it wait.
    let deltas: Vec<String> = match tx.schema.has_revisions {
        true => chunk
            .iter()
            .map(|(_, cols)| audit::to_json_text(cols.iter().map(|(c, v)| (*c, v))))
            .collect(),
        false => Vec::new(),
    };
    let activity = insert_activity(tx, chunk)?;
    if !tx.schema.has_revisions {
        return Ok(());
    }
    let mut params = Vec::with_capacity(chunk.len() * 5);
    for ((id, _), delta) in chunk.iter().zip(deltas) {
        params.extend([
            Value::Int(activity.get(id).copied().unwrap_or_default()),
            Value::from("directus_users"),
            Value::from(id.as_str()),
            Value::Text(delta.clone()),
            Value::Text(delta),
        ]);
    }
    tx.db
        .insert_many(&InsertMany {
            table: "directus_revisions",
            names: &["activity", "collection", "item", "data", "delta"],
            values: &params,
            json: &["data", "delta"],
            returning: None,
        })
        .map(|_| ())
}

/// One `create` activity row per user; the id of each by the user's id.
fn insert_activity(tx: &mut Tx, chunk: &[&NewRow]) -> Result<HashMap<String, i64>> {
    let now = Value::Time(audit::now_ms());
    let mut params = Vec::with_capacity(chunk.len() * 6);
    for (id, _) in chunk {
        params.extend([
            Value::from("create"),
            Value::opt(tx.opts.actor.as_deref()),
            now.clone(),
            Value::from(audit::AGENT),
            Value::from("directus_users"),
            Value::from(id.as_str()),
        ]);
    }
    let rows = InsertMany {
        table: "directus_activity",
        names: &[
            "action",
            "\"user\"",
            "timestamp",
            "user_agent",
            "collection",
            "item",
        ],
        values: &params,
        json: &[],
        returning: None,
    };
    tx.db.insert_ids(&rows, "item")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(values: &[Value], width: usize) -> Vec<usize> {
        let names = vec!["c"; width];
        let rows = InsertMany {
            table: "t",
            names: &names,
            values,
            json: &[],
            returning: None,
        };
        statements(&rows)
            .iter()
            .map(|p| p.values.len() / width)
            .collect()
    }

    #[test]
    fn statements_hold_at_most_their_rows_and_bytes_and_every_row_once() {
        let small = vec![Value::Int(1); 2 * 2_500];
        assert_eq!(split(&small, 2), [1_000, 1_000, 500]);
        let big = vec![Value::Text("x".repeat(1 << 20)); 5];
        assert_eq!(split(&big, 1), [1, 1, 1, 1, 1]);
        let half = vec![Value::Text("x".repeat(600 << 10)); 7];
        assert_eq!(split(&half, 1), [3, 3, 1]);
        assert!(split(&[], 3).is_empty());
    }
}
