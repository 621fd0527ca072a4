//! PostgreSQL's advisory locks for roster's keys: transaction-scoped, so a
//! pooler never hands a held lock to another client, and bounded in number.

use crate::repo::db::Value;

/// How many advisory locks roster's keys share on PostgreSQL: enough that
/// unrelated writers rarely wait on each other, few enough for any lock table.
pub const LOCK_BUCKETS: u64 = 512;
/// The first key of roster's two-key advisory locks, so they never meet another
/// application's single-key ones.
const LOCK_SPACE: i32 = 0x524F_5354; // "ROST"

/// The lock a key (a lower-cased email, or a name such as `roster:status`) maps to:
/// FNV-1a, stable across processes and versions.
pub fn lock_bucket(key: &str) -> i64 {
    let hash = key
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    (hash % LOCK_BUCKETS) as i64
}

/// The statement that takes the locks of these keys. Keys share [`LOCK_BUCKETS`]
/// locks, taken in order in one statement: an import of any size holds a bounded
/// number (one lock per email would fill the server's lock table), and two
/// writers never wait on each other in a cycle.
pub fn lock_statement(keys: &[String]) -> (String, Vec<Value>) {
    let buckets: std::collections::BTreeSet<i64> = keys.iter().map(|k| lock_bucket(k)).collect();
    let values = vec!["(?)"; buckets.len()].join(", ");
    let sql = format!(
        "SELECT count(pg_advisory_xact_lock({LOCK_SPACE}, CAST(b AS integer))) \
         FROM (VALUES {values}) AS v(b)"
    );
    (sql, buckets.into_iter().map(Value::Int).collect())
}
