//! roster's named locks on MySQL/MariaDB: `GET_LOCK` on the buckets of the keys
//! (shared as PostgreSQL's advisory locks are), named per database, taken in
//! ascending order and waited for at most the busy timeout in all.

use super::map_err;
use crate::error::{Error, Result};
use mysql::Conn;
use mysql::prelude::Queryable;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// How many locks one statement tries to take.
const CHUNK: usize = 256;

/// The start of a database's lock names: `roster:` and a hash of its name, so
/// that with `:` and a bucket a name stays within MySQL's 64 characters and two
/// databases on one server never wait on each other.
pub fn lock_prefix(database: &str) -> String {
    let digest = Sha256::digest(database);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("roster:{}", &hex[..48])
}

/// Takes the locks of these keys, held until the session releases them. The
/// free ones are taken many to a statement without waiting; at the first one
/// held elsewhere, those after it are given back (no writer waits holding a
/// later lock of its own, so two never wait on each other crosswise) and that
/// one is waited for with what is left of `busy`. `GET_LOCK` does not end its
/// statement when it gives up, so one statement waiting for each lock would
/// wait `busy` for each.
pub fn take(conn: &mut Conn, prefix: &str, buckets: &BTreeSet<u64>, busy: Duration) -> Result<()> {
    let names: Vec<String> = buckets.iter().map(|b| format!("{prefix}:{b}")).collect();
    let deadline = Instant::now() + busy;
    let mut at = 0;
    while at < names.len() {
        let chunk = &names[at..names.len().min(at + CHUNK)];
        let got = try_all(conn, chunk)?;
        let Some(held) = got.iter().position(|g| !g) else {
            at += chunk.len();
            continue;
        };
        give_back(conn, &chunk[held + 1..], &got[held + 1..])?;
        wait_for(conn, &chunk[held], deadline, busy)?;
        at += held + 1;
    }
    Ok(())
}

/// `GET_LOCK(name, 0)` on each name, in order, in one statement: which were granted.
fn try_all(conn: &mut Conn, names: &[String]) -> Result<Vec<bool>> {
    let sql = format!("SELECT {}", vec!["GET_LOCK(?, 0)"; names.len()].join(", "));
    let params: Vec<mysql::Value> = names.iter().map(|n| n.as_str().into()).collect();
    let row: Option<mysql::Row> = conn.exec_first(sql, params).map_err(map_err)?;
    let row = row.ok_or_else(|| Error::Internal("GET_LOCK returned no row".into()))?;
    Ok(row
        .unwrap()
        .into_iter()
        .map(|v| v == mysql::Value::Int(1))
        .collect())
}

/// Releases the names that were `granted`.
fn give_back(conn: &mut Conn, names: &[String], granted: &[bool]) -> Result<()> {
    let taken: Vec<mysql::Value> = names
        .iter()
        .zip(granted)
        .filter(|(_, g)| **g)
        .map(|(n, _)| n.as_str().into())
        .collect();
    if taken.is_empty() {
        return Ok(());
    }
    let sql = format!("DO {}", vec!["RELEASE_LOCK(?)"; taken.len()].join(", "));
    conn.exec_drop(sql, taken).map_err(map_err)
}

/// Waits for one lock until `deadline`.
fn wait_for(conn: &mut Conn, name: &str, deadline: Instant, busy: Duration) -> Result<()> {
    let left = deadline.saturating_duration_since(Instant::now());
    let got: Option<Option<i64>> = conn
        .exec_first("SELECT GET_LOCK(?, ?)", (name, left.as_secs_f64()))
        .map_err(map_err)?;
    if got.flatten() == Some(1) {
        return Ok(());
    }
    Err(Error::unavailable(format!(
        "another roster is changing the same users and did not finish within the busy timeout \
         ({} ms; see --busy-timeout)",
        busy.as_millis()
    )))
}
