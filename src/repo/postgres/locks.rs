//! PostgreSQL's advisory locks for roster's keys: transaction-scoped, so a
//! pooler never hands a held lock to another client, and bounded in number.

use crate::repo::db::Value;
use std::collections::BTreeSet;

/// The first key of roster's two-key advisory locks, so they never meet another
/// application's single-key ones.
const LOCK_SPACE: i32 = 0x524F_5354; // "ROST"

/// The statement that takes the locks of these keys: their distinct buckets
/// ([`lock_buckets`](crate::repo::locks::lock_buckets)), in order, in one statement, so an import of any size holds
/// a bounded number (one lock per email would fill the server's lock table).
pub fn lock_statement(buckets: &BTreeSet<u64>) -> (String, Vec<Value>) {
    let values = vec!["(?)"; buckets.len()].join(", ");
    let sql = format!(
        "SELECT count(pg_advisory_xact_lock({LOCK_SPACE}, CAST(b AS integer))) \
         FROM (VALUES {values}) AS v(b)"
    );
    (sql, buckets.iter().map(|&b| Value::Int(b as i64)).collect())
}
