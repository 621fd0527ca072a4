//! PostgreSQL, the production database: connection set-up as libpq does it,
//! statements that need no server-side state beyond their transaction (so
//! transaction poolers work), error mapping, and the standalone schema in
//! PostgreSQL's dialect.

use super::db::{
    Db, InsertMany, Row, Value, group_columns, placeholders, push_json_str, returned_ids,
};
use super::pipelined::Pipelined;
use crate::error::{Error, Result};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::Type;
use postgres::{Client, Config};
use std::collections::HashMap;
use std::time::Duration;

mod connect;
mod copy;
mod libpq;
mod locks;
mod pgpass;
mod tls;
mod values;

/// A PostgreSQL connection, and whether roster's transaction is open on it.
pub struct PgDb {
    /// Lent to the import's last COPY while roster prepares the next.
    client: Pipelined<Client>,
    /// How long to wait for a lock: `lock_timeout`, set in every transaction.
    busy: Duration,
    in_tx: bool,
    /// host:port/database, for messages.
    target: String,
}

/// host:port,host:port/database, for messages (never the password).
fn describe(c: &Config) -> String {
    let ports = c.get_ports();
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            match h {
                postgres::config::Host::Tcp(h) => format!("{h}:{port}"),
                #[cfg(unix)]
                postgres::config::Host::Unix(p) => format!("{}:{port}", p.display()),
            }
        })
        .collect();
    format!("{}/{}", hosts.join(","), c.get_dbname().unwrap_or(""))
}

impl PgDb {
    /// Connects as libpq would (URL, then `PG*` variables and `~/.pgpass`), the
    /// whole set-up bounded by the URL's `connect_timeout`, else `PGCONNECT_TIMEOUT`,
    /// else `timeout` (roster's config or its default).
    pub fn connect(url: &str, opts: &super::ConnectOpts) -> Result<PgDb> {
        let (timeout, busy) = (opts.connect_timeout, opts.busy_timeout);
        let env = &libpq::process_env;
        let settings = libpq::settings_with(url, Some(timeout), env, opts.host_bound_credentials)?;
        let target = describe(&settings.config);
        let client = connect::connect(&settings, &target)?;
        Ok(PgDb {
            client: Pipelined::new(client),
            busy,
            in_tx: false,
            target,
        })
    }

    /// host:port/database, for messages (never the password).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Opens a transaction with roster's lock bound. `SET LOCAL` dies with the
    /// transaction, so a pooler's server connection is handed back as it came.
    fn open_tx(&mut self) -> Result<()> {
        // PostgreSQL reads 0 as "wait forever"; SQLite's 0 means "do not wait".
        let ms = self.busy.as_millis().clamp(1, i32::MAX as u128);
        self.client
            .get()?
            .batch_execute(&format!("BEGIN; SET LOCAL lock_timeout = {ms}"))
            .map_err(map_err)
    }

    /// Runs `work` in roster's transaction, or in one of its own when none is open,
    /// so a statement outside a transaction has its lock bound too.
    fn within_tx<T>(&mut self, work: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        if self.in_tx {
            return work(self.client.get()?);
        }
        self.open_tx()?;
        let client = self.client.get()?;
        let result = work(client);
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = client.batch_execute(end).map_err(map_err);
        let value = result?;
        ended.map(|()| value)
    }

    /// Copies the rows in: inside roster's transaction the COPY runs while the
    /// caller goes on (its outcome comes with the next statement); outside one,
    /// at once in a transaction of its own.
    fn copy_in(&mut self, rows: &InsertMany<'_>) -> Result<()> {
        let copy = copy::Copy::of(rows);
        if !self.in_tx {
            return self.within_tx(|c| copy.send(c));
        }
        self.client.send(move |c| copy.send(c))
    }
}

/// The most specific message of an error: the server's own words where it sent some.
fn cause(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => said(db.message()),
        None => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg = s.to_string();
                src = s.source();
            }
            msg
        }
    }
}

/// A server message with the values it quotes left out: the value may be a
/// password or token bound to the statement.
fn without_values(message: &str) -> String {
    match (message.find('"'), message.rfind('"')) {
        (Some(a), Some(b)) if a < b => format!("{}…{}", &message[..a], &message[b + 1..]),
        _ => message.to_string(),
    }
}

/// The server's words, labelled as PostgreSQL's.
fn said(words: &str) -> String {
    super::db::server_said("PostgreSQL", words)
}

fn map_err(e: postgres::Error) -> Error {
    let detail = server_report(&e);
    kind_of(e).because(detail)
}

/// The server's report for `-v`: severity, SQLSTATE, message without quoted values,
/// and the table, column and constraint it names (never DETAIL, which quotes rows).
fn server_report(e: &postgres::Error) -> String {
    let Some(db) = e.as_db_error() else {
        return format!("PostgreSQL: {}", cause(e));
    };
    let mut out = format!(
        "PostgreSQL {} {}: {}",
        db.severity(),
        db.code().code(),
        crate::output::safe::clean(&without_values(db.message()))
    );
    for (what, name) in [
        ("table", db.table()),
        ("column", db.column()),
        ("constraint", db.constraint()),
    ] {
        if let Some(name) = name {
            out.push_str(&format!("; {what} {name}"));
        }
    }
    out
}

/// The error an operator acts on, for what PostgreSQL reported.
fn kind_of(e: postgres::Error) -> Error {
    if e.is_closed() {
        return Error::unavailable("the connection to PostgreSQL was lost; nothing was changed");
    }
    let Some(db) = e.as_db_error() else {
        return Error::unavailable(format!("PostgreSQL failed: {}", cause(&e)));
    };
    let code = db.code().code();
    match code {
        "55P03" => Error::unavailable(
            "the database is locked by another session (gave up after the busy timeout; see --busy-timeout)",
        ),
        "25006" => Error::unavailable(READ_ONLY).hint(READ_ONLY_HINT),
        // A table or column roster needs is missing: not the database roster expects.
        "42P01" | "42703" => Error::unavailable(super::db::missing_schema(&said(db.message()))),
        // Class 23: integrity constraints (unique, foreign key, not null), as SQLite's
        // constraint errors are mapped.
        _ if code.starts_with("23") => Error::conflict(format!(
            "the database refused the change: {}",
            said(db.message())
        )),
        // Class 22, data exceptions: a value too long for its column, a malformed value.
        _ if code.starts_with("22") => Error::validation(format!(
            "the database refused a value: {}",
            said(&without_values(db.message()))
        )),
        _ if ["08", "57", "53"].iter().any(|c| code.starts_with(c)) => {
            Error::unavailable(format!("PostgreSQL is unavailable: {}", said(db.message())))
        }
        _ => Error::Internal(format!("PostgreSQL failed: {}", said(db.message()))),
    }
}

/// A write refused by a standby or a read-only default (SQLSTATE 25006).
const READ_ONLY: &str = "the PostgreSQL server is read-only (a standby, or default_transaction_read_only is on); nothing was changed";
const READ_ONLY_HINT: &str = "connect to the primary: list every host in the URL with target_session_attrs=read-write (postgres://h1,h2/db?target_session_attrs=read-write), or give the primary's address";

/// Turns `?` placeholders into `$1, $2, ...` (outside quoted strings).
fn numbered(sql: &str) -> String {
    let (mut out, mut n, mut quoted) = (String::with_capacity(sql.len() + 8), 0, false);
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                n += 1;
                out.push_str(&format!("${n}"));
            }
            _ => out.push(c),
        }
    }
    out
}

/// `sql` with numbered placeholders, and each value as text of a type the server infers.
fn typed(sql: &str, params: &[Value]) -> (String, Vec<(values::Text, Type)>) {
    let params = params
        .iter()
        .map(|v| (values::Text::of(v), Type::UNKNOWN))
        .collect();
    (numbered(sql), params)
}

impl Db for PgDb {
    fn begin(&mut self) -> Result<()> {
        self.open_tx()?;
        self.in_tx = true;
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        // A write still in flight that failed: nothing is committed.
        if let Err(e) = self.client.settle() {
            let _ = self.rollback();
            return Err(e);
        }
        self.in_tx = false;
        // Anything but the server's own refusal (a closed socket, a TLS stream
        // cut short) is a connection lost at COMMIT, whose outcome is unknown:
        // no claim that nothing was changed.
        self.client
            .get()?
            .batch_execute("COMMIT")
            .map_err(|e| match e.as_db_error() {
                None => {
                    Error::unavailable("the connection to PostgreSQL was lost").because(cause(&e))
                }
                Some(_) => map_err(e),
            })
    }

    fn rollback(&mut self) -> Result<()> {
        self.in_tx = false;
        // The write in flight is undone with the rest; its error was reported or is moot.
        let _ = self.client.settle();
        self.client
            .get()?
            .batch_execute("ROLLBACK")
            .map_err(map_err)
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let (sql, params) = typed(sql, params);
        // Unnamed statements: parsed, bound and run in one round trip, and gone with it.
        self.within_tx(|c| c.execute_typed(&sql, &as_refs(&params)).map_err(map_err))
    }

    /// The rows as one JSON array that `json_populate_recordset` turns into the
    /// table's row type: one parameter instead of thousands, so a large import
    /// spends its time inserting rather than binding and planning.
    fn insert_many(&mut self, rows: &InsertMany<'_>) -> Result<Vec<Row>> {
        if rows.returning.is_none() {
            return self.copy_in(rows).map(|_| Vec::new());
        }
        let cols = rows.names.join(", ");
        let sql = format!(
            "INSERT INTO {table} ({cols}) SELECT {cols} FROM json_populate_recordset(NULL::{table}, ?::json)",
            table = rows.table,
        );
        rows.run(self, &sql, &[Value::Text(json_rows(rows))])
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        let (sql, params) = typed(sql, params);
        self.within_tx(|c| {
            let refs = params
                .iter()
                .map(|(v, t)| (v as &dyn postgres::types::ToSql, t.clone()));
            // Streamed: rows are read from the socket as `each` takes them.
            let mut rows = c.query_typed_raw(&sql, refs).map_err(map_err)?;
            while let Some(row) = rows.next().map_err(map_err)? {
                each(Row((0..row.len()).map(|i| values::read(&row, i)).collect()))?;
            }
            Ok(())
        })
    }

    fn describe_columns_sql(&self) -> &'static str {
        "SELECT column_name::text, data_type::text, character_maximum_length::bigint, \
         is_nullable::text, column_default::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
    }

    fn table_columns(&mut self, tables: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        let sql = format!(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name IN ({}) \
             ORDER BY table_name, ordinal_position",
            placeholders(tables.len())
        );
        let params: Vec<Value> = tables.iter().map(|t| Value::from(*t)).collect();
        Ok(group_columns(self.query(&sql, &params)?))
    }

    fn lock_key(&mut self, key: &str) -> Result<()> {
        // Directus's unique constraint on email is case-sensitive here; this lock on the
        // lower-cased key makes roster's check-then-insert atomic across processes. It is
        // transaction-scoped, so a pooler never hands a held lock to another client.
        self.lock_buckets(&super::locks::lock_buckets([key]))
    }

    fn lock_buckets(&mut self, buckets: &std::collections::BTreeSet<u64>) -> Result<()> {
        if buckets.is_empty() {
            return Ok(());
        }
        let (sql, params) = locks::lock_statement(buckets);
        self.query(&sql, &params).map(|_| ())
    }

    // ASC puts NULL last already.
    fn user_order(&self) -> &'static str {
        "u.email COLLATE \"C\", u.id"
    }

    // A server's database cannot be swapped under an open connection.
    fn confirm_target(&mut self) -> Result<()> {
        Ok(())
    }

    // roster's own schema indexes lower(email); Directus's does not, and scans.
    fn email_matches(&self) -> &'static [&'static str] {
        &["lower(u.email) = ?"]
    }

    // Text compares by its characters here; only case needs folding.
    fn email_collation_folds(&self) -> bool {
        false
    }

    // COPY binds no parameters: a statement per 5,000 rows (an import's chunk)
    // rather than per 500 saves its setup 9 times in 10.
    fn batch_rows(&self, _width: usize) -> usize {
        5_000
    }

    fn insert_id(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.query_int(&format!("{sql} RETURNING id"), params)
    }

    /// The ids drawn from the table's sequence first, then the rows copied with
    /// them; where the id has no sequence, an INSERT … RETURNING instead.
    fn insert_ids(&mut self, rows: &InsertMany<'_>, key: &str) -> Result<HashMap<String, i64>> {
        let width = rows.names.len().max(1);
        let n = rows.values.len() / width;
        let Some(ids) = self.within_tx(|c| copy::next_ids(c, rows.table, n))? else {
            return returned_ids(self, rows, key);
        };
        let at = rows.names.iter().position(|c| *c == key);
        let mut names = vec!["id"];
        names.extend_from_slice(rows.names);
        let mut values = Vec::with_capacity(rows.values.len() + n);
        let mut found = HashMap::with_capacity(n);
        for (id, row) in ids.iter().zip(rows.values.chunks(width)) {
            values.push(Value::Int(*id));
            values.extend_from_slice(row);
            if let Some(Value::Text(k)) = at.map(|i| &row[i]) {
                found.insert(k.clone(), *id);
            }
        }
        let copied = InsertMany {
            names: &names,
            values: &values,
            ..*rows
        };
        self.copy_in(&copied)?;
        Ok(found)
    }

    fn settle(&mut self) -> Result<()> {
        self.client.settle()
    }

    fn create_standalone_tables(&mut self) -> Result<()> {
        let sql = super::db::if_not_exists(STANDALONE);
        self.within_tx(|c| c.batch_execute(&sql).map_err(map_err))
    }
}

fn as_refs(params: &[(values::Text, Type)]) -> Vec<(&(dyn postgres::types::ToSql + Sync), Type)> {
    params
        .iter()
        .map(|(v, t)| (v as &(dyn postgres::types::ToSql + Sync), t.clone()))
        .collect()
}

/// roster's standalone schema in PostgreSQL types, as Directus 11 lays these tables out.
const STANDALONE: &str = r#"
CREATE TABLE directus_roles (id uuid NOT NULL PRIMARY KEY, name varchar(100) NOT NULL,
  icon varchar(64) NOT NULL DEFAULT 'supervised_user_circle', description text,
  parent uuid REFERENCES directus_roles (id));
CREATE TABLE directus_policies (id uuid NOT NULL PRIMARY KEY, name varchar(100) NOT NULL,
  icon varchar(64) NOT NULL DEFAULT 'badge', description text, ip_access text,
  enforce_tfa boolean NOT NULL DEFAULT false, admin_access boolean NOT NULL DEFAULT false,
  app_access boolean NOT NULL DEFAULT false);
CREATE TABLE directus_users (id uuid NOT NULL PRIMARY KEY, first_name varchar(50),
  last_name varchar(50), email varchar(128) UNIQUE, password varchar(255), location varchar(255),
  title varchar(50), description text, tags json, avatar uuid, language varchar(255) DEFAULT NULL,
  tfa_secret varchar(255), status varchar(16) NOT NULL DEFAULT 'active',
  role uuid REFERENCES directus_roles (id) ON DELETE SET NULL, token varchar(255) UNIQUE,
  last_access timestamptz, last_page varchar(255), provider varchar(128) NOT NULL DEFAULT 'default',
  external_identifier varchar(255) UNIQUE, auth_data json, email_notifications boolean DEFAULT true,
  appearance varchar(255), theme_dark varchar(255), theme_light varchar(255),
  theme_light_overrides json, theme_dark_overrides json, company varchar(255), timezone varchar(64));
CREATE UNIQUE INDEX directus_users_email_lower_unique ON directus_users (lower(email));
CREATE TABLE directus_access (id uuid NOT NULL PRIMARY KEY,
  role uuid REFERENCES directus_roles (id) ON DELETE CASCADE,
  "user" uuid REFERENCES directus_users (id) ON DELETE CASCADE,
  policy uuid NOT NULL REFERENCES directus_policies (id) ON DELETE CASCADE, sort integer);
CREATE TABLE directus_settings (id serial PRIMARY KEY,
  project_name varchar(100) NOT NULL DEFAULT 'Directus', auth_login_attempts integer DEFAULT 25,
  auth_password_policy varchar(100), default_language varchar(255) NOT NULL DEFAULT 'en-US');
CREATE TABLE directus_sessions (token varchar(64) NOT NULL PRIMARY KEY,
  "user" uuid REFERENCES directus_users (id) ON DELETE CASCADE, expires timestamptz NOT NULL,
  ip varchar(255), user_agent text, share uuid, origin varchar(255), next_token varchar(64));
CREATE TABLE directus_activity (id serial PRIMARY KEY, action varchar(45) NOT NULL, "user" uuid,
  "timestamp" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP, ip varchar(50), user_agent text,
  collection varchar(64) NOT NULL, item varchar(255) NOT NULL, origin varchar(255));
CREATE TABLE directus_revisions (id serial PRIMARY KEY,
  activity integer NOT NULL REFERENCES directus_activity (id) ON DELETE CASCADE,
  collection varchar(64) NOT NULL, item varchar(255) NOT NULL, data json, delta json,
  parent integer REFERENCES directus_revisions (id), version uuid);
"#;

/// `[{"col": value, ...}, ...]`: every value as the text PostgreSQL's input
/// function reads (so any column type takes it), JSON documents as themselves.
fn json_rows(rows: &InsertMany<'_>) -> String {
    let keys: Vec<&str> = rows.names.iter().map(|n| n.trim_matches('"')).collect();
    let mut out = String::with_capacity(rows.values.len() * 24);
    out.push('[');
    for (i, row) in rows.values.chunks(keys.len().max(1)).enumerate() {
        out.push_str(if i == 0 { "{" } else { ",{" });
        for (j, (key, v)) in keys.iter().zip(row).enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_json_str(&mut out, key);
            out.push(':');
            match (v, values::input_text(v)) {
                (Value::Text(doc), _) if rows.json.contains(key) => out.push_str(doc),
                (_, Some(text)) => push_json_str(&mut out, &text),
                (_, None) => out.push_str("null"),
            }
        }
        out.push('}');
    }
    out.push(']');
    out
}
