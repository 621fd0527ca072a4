//! MySQL and MariaDB (as Directus lays its tables out on them): session settings
//! that make roster's SQL mean the same as on the other two databases, locks
//! that last until the transaction ends, value conversion, error mapping, and
//! the standalone schema in MariaDB's dialect.
//!
//! InnoDB has no transaction-scoped advisory lock, so [`Db::lock_key`] takes a
//! session-scoped `GET_LOCK` on the key's bucket (as PostgreSQL's advisory locks
//! share buckets) and every end of the transaction (commit, rollback, and the
//! connection closing when roster dies) releases them all.

use super::db::{Db, InsertMany, Row, Value, group_columns, placeholders};
use super::pipelined::Pipelined;
use crate::error::{Error, Result};
use mysql::prelude::Queryable;
use mysql::{Conn, Params};
use std::collections::HashMap;
use std::time::Duration;

pub mod connect;
mod errors;
mod locks;
mod standalone;

use errors::map_err;
use locks::lock_prefix;
use standalone::STANDALONE;

/// A MySQL/MariaDB connection, and what roster's transaction holds on it.
pub struct MyDb {
    /// Lent to an import's last INSERT while roster prepares the next.
    conn: Pipelined<Conn>,
    in_tx: bool,
    busy: Duration,
    /// What every lock name starts with: per database, so two databases on one
    /// server never wait on each other.
    lock_prefix: String,
    /// `GET_LOCK`s taken since the transaction began.
    locked: bool,
    /// Tables `create_standalone_tables` made in this transaction: DDL commits at
    /// once on MySQL, so a rollback (a dry run, a failed init) drops them again.
    created: Vec<&'static str>,
    /// `auto_increment_increment`, asked once.
    id_step: Option<i64>,
    /// Whether `directus_users.email` compares case-insensitively (read with its columns).
    email_ci: bool,
    /// host:port/database, for messages.
    target: String,
}

/// The session roster's SQL expects: double-quoted identifiers (`"user"`), `\` as an
/// ordinary character in literals (`ESCAPE '\'`), strict mode (an over-long value is
/// an error, not truncated), UTC (Directus's own values are UTC), and each statement
/// seeing what others committed before it, as on PostgreSQL.
fn session(busy: Duration) -> Vec<String> {
    // innodb_lock_wait_timeout takes whole seconds: round up, never below one.
    let secs = busy.as_millis().div_ceil(1000).max(1);
    vec![
        "SET NAMES utf8mb4".into(),
        "SET SESSION sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES,STRICT_ALL_TABLES,\
         ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_IN_DATE,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION'"
            .into(),
        "SET SESSION time_zone = '+00:00'".into(),
        format!("SET SESSION innodb_lock_wait_timeout = {secs}"),
        format!("SET SESSION lock_wait_timeout = {secs}"),
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED".into(),
    ]
}

impl MyDb {
    /// Connects as the URL says, the whole set-up bounded by its `connect_timeout`
    /// or else `timeout`.
    pub fn connect(url: &str, timeout: Duration, busy: Duration) -> Result<MyDb> {
        let settings = connect::Settings::parse(url)?;
        let conn = connect::connect(&settings, timeout, &session(busy))?;
        Ok(MyDb {
            conn: Pipelined::new(conn),
            in_tx: false,
            busy,
            lock_prefix: lock_prefix(&settings.database),
            locked: false,
            created: Vec::new(),
            email_ci: false,
            id_step: None,
            target: settings.target(),
        })
    }

    /// host:port/database, for messages (never the password).
    pub fn target(&self) -> &str {
        &self.target
    }

    fn run(&mut self, sql: &str) -> Result<()> {
        self.conn.get()?.query_drop(sql).map_err(map_err)
    }

    /// Ends the transaction's locks; a failure only means the session is gone,
    /// and its locks went with it.
    fn release(&mut self) {
        if std::mem::take(&mut self.locked) {
            let _ = self.run("DO RELEASE_ALL_LOCKS()");
        }
    }

    /// The ids MySQL gave the `rows` rows of the INSERT just run on this connection:
    /// InnoDB hands a plain multi-row INSERT its ids at once, from the first (which
    /// the INSERT's own answer carries, so no query waits for it) on,
    /// `auto_increment_increment` apart.
    fn inserted_ids(&mut self, rows: usize) -> Result<Vec<i64>> {
        let first = i64::try_from(self.conn.get()?.last_insert_id()).unwrap_or(0);
        if first == 0 {
            return Err(Error::Internal(
                "MySQL did not report the inserted ids".into(),
            ));
        }
        let step = match self.id_step {
            Some(step) => step,
            None => self.query_int("SELECT @@auto_increment_increment", &[])?,
        };
        self.id_step = Some(step);
        Ok((0..rows as i64).map(|i| first + i * step).collect())
    }
}

fn params(values: &[Value]) -> Params {
    if values.is_empty() {
        Params::Empty
    } else {
        Params::Positional(values.iter().map(to_my).collect())
    }
}

/// A value as MySQL stores it: booleans as 0/1, times as UTC whole seconds.
fn to_my(v: &Value) -> mysql::Value {
    match v {
        Value::Null => mysql::Value::NULL,
        Value::Int(n) => mysql::Value::Int(*n),
        Value::Bool(b) => mysql::Value::Int(i64::from(*b)),
        Value::Text(s) => mysql::Value::Bytes(s.as_bytes().to_vec()),
        Value::Time(ms) => {
            use chrono::{Datelike, Timelike};
            match chrono::DateTime::from_timestamp(ms.div_euclid(1000), 0) {
                Some(t) => mysql::Value::Date(
                    u16::try_from(t.year()).unwrap_or(0),
                    t.month() as u8,
                    t.day() as u8,
                    t.hour() as u8,
                    t.minute() as u8,
                    t.second() as u8,
                    0,
                ),
                None => mysql::Value::Int(*ms),
            }
        }
    }
}

/// A column as roster reads it; DATETIME and TIMESTAMP come back as UTC epoch ms.
fn from_my(v: mysql::Value) -> Value {
    match v {
        mysql::Value::NULL => Value::Null,
        mysql::Value::Int(n) => Value::Int(n),
        mysql::Value::UInt(n) => Value::Int(i64::try_from(n).unwrap_or(i64::MAX)),
        mysql::Value::Bytes(b) => Value::Text(String::from_utf8_lossy(&b).into_owned()),
        mysql::Value::Float(f) => Value::Text(f.to_string()),
        mysql::Value::Double(f) => Value::Text(f.to_string()),
        mysql::Value::Date(y, mo, d, h, mi, s, us) => {
            let t = chrono::NaiveDate::from_ymd_opt(y.into(), mo.into(), d.into())
                .and_then(|day| day.and_hms_micro_opt(h.into(), mi.into(), s.into(), us));
            t.map_or(Value::Null, |t| Value::Time(t.and_utc().timestamp_millis()))
        }
        mysql::Value::Time(neg, d, h, mi, s, us) => Value::Text(format!(
            "{}{}:{mi:02}:{s:02}.{us:06}",
            if neg { "-" } else { "" },
            u64::from(d) * 24 + u64::from(h)
        )),
    }
}

impl MyDb {
    /// Makes one of the standalone tables unless it is there (an init that
    /// stopped midway made it); whether it made it.
    fn make_table(&mut self, table: &'static str, ddl: &str) -> Result<bool> {
        if !self.columns(table)?.is_empty() {
            return Ok(false);
        }
        self.created.push(table);
        self.run(ddl).map(|()| true)
    }
}

/// An error while init makes tables: DDL commits at once on MySQL, so the
/// tables made before it may stay (the rollback drops them only if the
/// connection still answers): never "nothing was changed".
fn stopped_midway(e: Error, made: &[&str]) -> Error {
    if made.is_empty() {
        return e;
    }
    e.reword(|m| {
        format!(
            "{}; init had made {} before it stopped",
            m.trim_end_matches("; nothing was changed"),
            made.join(", ")
        )
    })
    .hint("if they are still there, `roster init` again makes the rest and finishes")
}

impl Db for MyDb {
    /// Inside roster's transaction the INSERT runs while the caller goes on
    /// (its outcome comes with the next statement).
    fn insert_many(&mut self, rows: &InsertMany<'_>) -> Result<Vec<Row>> {
        if !self.in_tx || rows.returning.is_some() {
            let mut out = Vec::new();
            for part in super::batch::statements(rows) {
                out.extend(super::db::insert_values(self, &part)?);
            }
            return Ok(out);
        }
        // One job of all the chunk's statements: the server has the whole chunk
        // to write while roster reads the next.
        let job: Vec<(String, Params)> = super::batch::statements(rows)
            .iter()
            .map(|part| (super::db::values_sql(part), params(part.values)))
            .collect();
        let run = move |c: &mut Conn| {
            job.into_iter()
                .try_for_each(|(sql, values)| c.exec_drop(sql, values).map_err(map_err))
        };
        self.conn.send(run).map(|()| Vec::new())
    }

    // An import's chunk at once (split into statements by `insert_many`).
    fn batch_rows(&self, _width: usize) -> usize {
        5_000
    }

    fn settle(&mut self) -> Result<()> {
        self.conn.settle()
    }

    fn begin(&mut self) -> Result<()> {
        self.created.clear();
        self.run("START TRANSACTION")?;
        self.in_tx = true;
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        // A write still in flight that failed: nothing is committed.
        if let Err(e) = self.conn.settle() {
            let _ = self.rollback();
            return Err(e);
        }
        self.in_tx = false;
        let done = self
            .conn
            .get()?
            .query_drop("COMMIT")
            .map_err(errors::map_commit_err);
        self.created.clear();
        self.release();
        done
    }

    fn rollback(&mut self) -> Result<()> {
        self.in_tx = false;
        // The write in flight is undone with the rest; its error was reported or is moot.
        let _ = self.conn.settle();
        let mut done = self.run("ROLLBACK");
        // Tables made by this transaction's init: the lock still keeps other inits out.
        for table in std::mem::take(&mut self.created).into_iter().rev() {
            let dropped = self.run(&format!("DROP TABLE IF EXISTS {table}"));
            done = done.and(dropped);
        }
        self.release();
        done
    }

    fn execute(&mut self, sql: &str, values: &[Value]) -> Result<u64> {
        let conn = self.conn.get()?;
        conn.exec_drop(sql, params(values)).map_err(map_err)?;
        Ok(conn.affected_rows())
    }

    fn query_each(
        &mut self,
        sql: &str,
        values: &[Value],
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        // Streamed: rows are read from the socket as `each` takes them.
        let rows = self
            .conn
            .get()?
            .exec_iter(sql, params(values))
            .map_err(map_err)?;
        for row in rows {
            let row = row.map_err(map_err)?;
            each(Row(row.unwrap().into_iter().map(from_my).collect()))?;
        }
        Ok(())
    }

    fn describe_columns_sql(&self) -> &'static str {
        "SELECT column_name, column_type, character_maximum_length, is_nullable, \
         column_default FROM information_schema.columns \
         WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position"
    }

    fn table_columns(&mut self, tables: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        let sql = format!(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name IN ({}) \
             ORDER BY table_name, ordinal_position",
            placeholders(tables.len())
        );
        let params: Vec<Value> = tables.iter().map(|t| Value::from(*t)).collect();
        let rows = self.query(&sql, &params)?;
        if tables.contains(&"directus_users") {
            let email = rows
                .iter()
                .find(|r| r.string(0) == "directus_users" && r.string(1) == "email");
            self.email_ci = email.is_some_and(|r| r.string(2).ends_with("_ci"));
        }
        Ok(group_columns(rows))
    }

    fn lock_key(&mut self, key: &str) -> Result<()> {
        self.lock_buckets(&super::locks::lock_buckets([key]))
    }

    /// `GET_LOCK` on the distinct buckets of the keys (at most
    /// [`LOCK_BUCKETS`](super::locks::LOCK_BUCKETS) however many keys), held
    /// until commit or rollback.
    fn lock_buckets(&mut self, buckets: &std::collections::BTreeSet<u64>) -> Result<()> {
        if buckets.is_empty() {
            return Ok(());
        }
        // Set first: locks taken before a failure are released with the rest.
        self.locked = true;
        locks::take(self.conn.get()?, &self.lock_prefix, buckets, self.busy)
    }

    // Not `COLLATE utf8mb4_bin`: older Directus tables may be utf8mb3.
    fn user_order(&self) -> &'static str {
        "CASE WHEN u.email IS NULL THEN 1 ELSE 0 END, CAST(u.email AS BINARY), u.id"
    }

    // A server's database cannot be swapped under an open connection.
    fn confirm_target(&mut self) -> Result<()> {
        Ok(())
    }

    // Under a case-insensitive collation the unique index finds the user whose
    // email lower() folds to the key, except for the few letters the collation
    // and lower() disagree on (the Kelvin sign is not k to utf8mb4_general_ci, but
    // lower() makes it one): only when it finds none does the lookup scan.
    fn email_matches(&self) -> &'static [&'static str] {
        match self.email_ci {
            true => &["u.email = ? AND lower(u.email) = ?", "lower(u.email) = ?"],
            false => &["lower(u.email) = ?"],
        }
    }

    // Directus's utf8mb4_general_ci ignores accents and trailing spaces, and folds ß to s.
    fn email_collation_folds(&self) -> bool {
        true
    }

    // MySQL 8 has no `INSERT … RETURNING`.
    fn insert_id(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.execute(sql, params)?;
        Ok(self.inserted_ids(1)?[0])
    }

    fn insert_ids(&mut self, rows: &InsertMany<'_>, key: &str) -> Result<HashMap<String, i64>> {
        let width = rows.names.len().max(1);
        let at = rows.names.iter().position(|n| n.trim_matches('"') == key);
        let mut found = HashMap::with_capacity(rows.values.len() / width);
        for part in super::batch::statements(rows) {
            self.execute(&super::db::values_sql(&part), part.values)?;
            let keys = part.values.chunks(width).map(|row| match at {
                Some(i) => Row(vec![row[i].clone()]).string(0),
                None => String::new(),
            });
            found.extend(keys.zip(self.inserted_ids(part.values.len() / width)?));
        }
        Ok(found)
    }

    fn create_standalone_tables(&mut self) -> Result<()> {
        self.created.clear();
        let mut made = Vec::new();
        for (table, ddl) in STANDALONE {
            if self
                .make_table(table, ddl)
                .map_err(|e| stopped_midway(e, &made))?
            {
                made.push(table);
            }
            // Where a test kills init with some tables made (DDL commits at once here).
            if table == "directus_users" {
                crate::failpoint::pause("init_midway");
            }
        }
        // DDL committed the transaction; the seed rows go in a new one.
        self.run("START TRANSACTION")
    }
}
