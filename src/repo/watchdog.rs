//! The last guard against a server that stops answering after roster connected
//! (frozen, or behind a network or proxy that silently holds everything): a
//! statement that hears nothing from the server for twice the busy timeout plus
//! a second ends the run with exit 6, saying what it waited for. A lock held by
//! another session ends sooner, with its own message: the servers bound those
//! waits by the busy timeout. Nothing roster sends can be cut off mid-way, so
//! the run ends whole: the server rolls back what it had not committed.

use super::db::{Db, InsertMany, Row, Value};
use crate::error::{Error, Result};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A server database behind its watchdog: every statement is watched.
pub struct Watched<D: Db> {
    inner: D,
    dog: Watchdog,
}

impl<D: Db> Watched<D> {
    /// `target` names the server in the message (never with a password).
    pub fn new(inner: D, busy: Duration, target: String) -> Self {
        Watched {
            inner,
            dog: Watchdog::start(2 * busy + Duration::from_secs(1), target),
        }
    }
}

/// What the watching thread reads: since when roster waits for the server
/// (milliseconds after `base`, plus one; 0 while it does not wait) and for what.
/// Atomics, not a lock and a condition variable: a query marks every row it
/// hands on (handling a row does not count as waiting), and waking the watching
/// thread for each of 100,000 rows cost a sixth of a re-run's time.
struct Shared {
    limit: Duration,
    target: String,
    base: Instant,
    since: AtomicU64,
    what: Mutex<&'static str>,
    stopped: AtomicBool,
}

/// A handle on the watching thread, which ends when the handle is dropped.
#[derive(Clone)]
struct Watchdog(Arc<Shared>);

impl Watchdog {
    fn start(limit: Duration, target: String) -> Watchdog {
        let shared = Arc::new(Shared {
            limit,
            target,
            base: Instant::now(),
            since: AtomicU64::new(0),
            what: Mutex::new("a statement"),
            stopped: AtomicBool::new(false),
        });
        let watched = Arc::clone(&shared);
        std::thread::spawn(move || watch(&watched));
        Watchdog(shared)
    }

    /// Runs `work`, which waits for the server's answer to `what`.
    fn wait<T>(&self, what: &'static str, work: impl FnOnce() -> T) -> T {
        *self.0.what.lock().unwrap_or_else(|p| p.into_inner()) = what;
        self.waiting();
        let done = work();
        self.idle();
        done
    }

    /// From now on roster waits for the server's answer.
    fn waiting(&self) {
        let ms = self.0.base.elapsed().as_millis() as u64;
        self.0.since.store(ms + 1, Ordering::Release);
    }

    /// roster is not waiting for the server (it is between statements, or
    /// handling a row, which may wait for a reader of its output).
    fn idle(&self) {
        self.0.since.store(0, Ordering::Release);
    }
}

/// The watching thread: looks a few times a limit whether a wait has gone on
/// too long, and ends the run if it has.
fn watch(shared: &Shared) {
    let tick = (shared.limit / 8).min(Duration::from_millis(250));
    while !shared.stopped.load(Ordering::Acquire) {
        let since = shared.since.load(Ordering::Acquire);
        let waited = shared
            .base
            .elapsed()
            .saturating_sub(Duration::from_millis(since.saturating_sub(1)));
        if since != 0 && waited >= shared.limit {
            let what = *shared.what.lock().unwrap_or_else(|p| p.into_inner());
            crate::error::fatal(stalled(&shared.target, shared.limit, what));
        }
        std::thread::sleep(tick);
    }
}

/// The error of a server that did not answer.
fn stalled(target: &str, limit: Duration, what: &str) -> Error {
    let outcome = match what {
        "COMMIT" => "whether the change was committed is not known: look before running it again",
        _ => "nothing was committed",
    };
    Error::unavailable(format!(
        "the database server at {target} did not answer for {} s while roster waited for its answer to {what}; {outcome}",
        limit.as_secs_f64().round()
    ))
    .hint("check the server and the network to it; --busy-timeout waits longer")
}

/// The statement's kind, for the message: its first word, when it is one roster sends.
fn verb(sql: &str) -> &'static str {
    let first = sql.split_whitespace().next().unwrap_or("");
    const KNOWN: [&str; 11] = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "COPY", "CREATE", "BEGIN", "COMMIT", "ROLLBACK",
        "SET", "DO",
    ];
    KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(first))
        .copied()
        .unwrap_or("a statement")
}

impl<D: Db> Drop for Watched<D> {
    fn drop(&mut self) {
        self.dog.0.stopped.store(true, Ordering::Release);
    }
}

impl<D: Db> Db for Watched<D> {
    fn begin(&mut self) -> Result<()> {
        self.dog.wait("BEGIN", || self.inner.begin())
    }

    fn commit(&mut self) -> Result<()> {
        self.dog.wait("COMMIT", || self.inner.commit())
    }

    fn rollback(&mut self) -> Result<()> {
        self.dog.wait("ROLLBACK", || self.inner.rollback())
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        self.dog.wait(verb(sql), || self.inner.execute(sql, params))
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        // Only the waits for the server count, not the time a row takes to
        // handle: `roster list | less` may wait on its reader for as long as it likes.
        let dog = self.dog.clone();
        self.dog.wait(verb(sql), || {
            self.inner.query_each(sql, params, &mut |row| {
                dog.idle();
                let done = each(row);
                dog.waiting();
                done
            })
        })
    }

    fn table_columns(&mut self, tables: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        self.dog.wait("SELECT", || self.inner.table_columns(tables))
    }

    fn lock_key(&mut self, key: &str) -> Result<()> {
        self.dog.wait("SELECT", || self.inner.lock_key(key))
    }

    fn batch_rows(&self, width: usize) -> usize {
        self.inner.batch_rows(width)
    }

    fn lock_buckets(&mut self, buckets: &BTreeSet<u64>) -> Result<()> {
        self.dog.wait("SELECT", || self.inner.lock_buckets(buckets))
    }

    fn user_order(&self) -> &'static str {
        self.inner.user_order()
    }

    fn describe_columns_sql(&self) -> &'static str {
        self.inner.describe_columns_sql()
    }

    fn email_matches(&self) -> &'static [&'static str] {
        self.inner.email_matches()
    }

    fn email_collation_folds(&self) -> bool {
        self.inner.email_collation_folds()
    }

    fn confirm_target(&mut self) -> Result<()> {
        self.inner.confirm_target()
    }

    fn insert_id(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.dog
            .wait("INSERT", || self.inner.insert_id(sql, params))
    }

    fn insert_ids(&mut self, rows: &InsertMany<'_>, key: &str) -> Result<HashMap<String, i64>> {
        self.dog.wait("INSERT", || self.inner.insert_ids(rows, key))
    }

    fn create_standalone_tables(&mut self) -> Result<()> {
        self.dog
            .wait("CREATE", || self.inner.create_standalone_tables())
    }

    fn settle(&mut self) -> Result<()> {
        self.dog.wait("INSERT", || self.inner.settle())
    }

    fn insert_many(&mut self, rows: &InsertMany<'_>) -> Result<Vec<Row>> {
        self.dog.wait("INSERT", || self.inner.insert_many(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_is_named_by_its_first_word() {
        assert_eq!(verb("  update directus_users SET x = 1"), "UPDATE");
        assert_eq!(verb("COMMIT"), "COMMIT");
        assert_eq!(verb("WITH x AS (SELECT 1) SELECT 1"), "a statement");
    }

    #[test]
    fn the_message_says_what_was_waited_for_and_what_is_known() {
        let e = stalled("db:5432/app", Duration::from_secs(11), "COMMIT");
        assert_eq!(
            e.message(),
            "the database server at db:5432/app did not answer for 11 s while roster waited for its answer to COMMIT; whether the change was committed is not known: look before running it again"
        );
    }
}
