//! SQLite, the embedded default: connection settings, value conversion and the
//! standalone schema in SQLite's dialect.

use super::db::{Db, InsertMany, Row, Value, group_columns, placeholders, returned_ids};
use crate::error::{Error, Result};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags, params_from_iter};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// A SQLite connection with foreign keys on and a busy timeout.
pub struct SqliteDb {
    conn: Connection,
    busy: Busy,
    /// The file opened (device and inode), to notice it being replaced.
    opened: Option<(u64, u64)>,
    /// Whether `directus_users` has both of [`EMAIL_INDEXES`] (read with its columns).
    email_indexed: bool,
}

/// The device and inode of the file at `path`, if there is one.
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// What an error message needs: the wait given and the file's path.
#[derive(Clone)]
struct Busy {
    wait: Duration,
    path: std::path::PathBuf,
}

/// The two indexes that serve a lookup by email without roster's own `lower()`
/// (which SQLite cannot index, being roster's function): ASCII emails by the
/// built-in NOCASE collation, and the few others by a partial index. Both use only
/// what every SQLite has, so the file stays usable by any tool. roster knows
/// them by their text, which SQLite keeps as written here.
pub const EMAIL_INDEXES: [&str; 2] = [
    "CREATE INDEX directus_users_email_nocase ON directus_users (email COLLATE NOCASE)",
    "CREATE INDEX directus_users_email_unusual ON directus_users (id) WHERE email GLOB '*[^ -~]*'",
];

/// [`Db::email_matches`] served by [`EMAIL_INDEXES`]: the rows whose email NOCASE
/// equals the key, or that are not printable ASCII, and of those the ones that
/// `lower()` folds to it: the same rows as `lower(u.email) = ?` alone.
const EMAIL_MATCH_INDEXED: &str = "u.rowid IN (\
SELECT rowid FROM directus_users WHERE email = ? COLLATE NOCASE UNION ALL \
SELECT rowid FROM directus_users INDEXED BY directus_users_email_unusual WHERE email GLOB '*[^ -~]*'\
) AND lower(u.email) = ?";

/// Makes a missing database file readable by its owner only, before SQLite
/// opens it: it holds plaintext tokens. SQLite gives its journals the file's
/// permissions. An empty file is an empty database to SQLite.
fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // One made meanwhile by another process is left as it is.
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
    }
}

impl SqliteDb {
    /// Opens a file; a missing file is an error unless `create` is set.
    /// Opens the file (made first when `create` allows and it is missing).
    pub fn open(path: &Path, create: bool, busy: Duration) -> Result<SqliteDb> {
        if path.as_os_str().is_empty() {
            return Err(Error::usage(
                "the SQLite URL names no file (write sqlite:PATH)",
            ));
        }
        if !create && !path.exists() {
            return Err(missing(path));
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
            owner_only(path);
        }
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| Error::unavailable(format!("cannot open {}: {e}", path.display())))?;
        let busy = Busy {
            wait: busy,
            path: path.to_path_buf(),
        };
        // The journal mode is the database owner's choice (Directus uses rollback
        // journals): roster never changes it.
        conn.busy_timeout(busy.wait)
            .map_err(|e| map_err(e, &busy))?;
        conn.execute_batch("PRAGMA foreign_keys = ON")
            .map_err(|e| map_err(e, &busy))?;
        unicode_lower(&conn).map_err(|e| map_err(e, &busy))?;
        let opened = identity(path);
        Ok(SqliteDb {
            conn,
            busy,
            opened,
            email_indexed: false,
        })
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        map_err(e, &self.busy)
    }
}

/// SQLite's own `lower()` folds ASCII only; PostgreSQL's folds all of Unicode.
/// Replacing it on this connection makes email and search matching the same on both.
fn unicode_lower(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("lower", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Null => None,
            ValueRef::Integer(n) => Some(n.to_string()),
            ValueRef::Real(f) => Some(f.to_string()),
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Some(String::from_utf8_lossy(t).to_lowercase())
            }
        })
    })
}

/// A missing file: at a path whose folder exists, `roster init` makes it; else the
/// path is probably mistyped, and init would not help.
fn missing(path: &Path) -> Error {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    match folder {
        Some(dir) if !dir.is_dir() => Error::unavailable(format!(
            "database file {} does not exist, nor does its folder {}: check the path",
            path.display(),
            dir.display()
        )),
        _ => Error::unavailable(format!(
            "database file {} does not exist (run `roster init -d {}` to create it)",
            path.display(),
            path.display()
        )),
    }
}

fn map_err(e: rusqlite::Error, busy: &Busy) -> Error {
    let detail = match e.sqlite_error() {
        Some(f) => format!("SQLite error {}: {e}", f.extended_code),
        None => format!("SQLite: {e}"),
    };
    kind_of(e, busy).because(detail)
}

/// The error an operator acts on, for what SQLite reported.
fn kind_of(e: rusqlite::Error, busy: &Busy) -> Error {
    let file = busy.path.display();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::unavailable(format!(
            "the database {file} is locked by another process (waited {} ms; see --busy-timeout)",
            busy.wait.as_millis()
        )),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Error::unavailable(format!("{file} is not a SQLite database, or it is damaged"))
        }
        Some(ErrorCode::ReadOnly) => Error::unavailable(format!("cannot write to {file}: {e}"))
            .hint("SQLite needs write permission on the file and on its folder (for its journal)"),
        Some(ErrorCode::CannotOpen | ErrorCode::SystemIoFailure) => {
            Error::unavailable(format!("cannot use the database file {file}: {e}"))
        }
        // A trigger's RAISE text is the database's words, not roster's.
        Some(ErrorCode::ConstraintViolation) => Error::conflict(format!(
            "the database refused the change: {}",
            super::db::server_said("SQLite", &e.to_string())
        )),
        _ if e.to_string().starts_with("no such ") => {
            Error::unavailable(super::db::missing_schema(&e.to_string()))
        }
        _ => Error::Internal(format!(
            "SQLite failed: {}",
            super::db::server_said("SQLite", &e.to_string())
        )),
    }
}

fn to_sql(v: &Value) -> ToSqlOutput<'_> {
    match v {
        Value::Null => ToSqlOutput::Owned(SqlValue::Null),
        Value::Int(n) | Value::Time(n) => ToSqlOutput::Owned(SqlValue::Integer(*n)),
        Value::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
        Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
    }
}

fn from_sql(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Real(f) => Value::Text(f.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            Value::Text(String::from_utf8_lossy(t).into_owned())
        }
    }
}

impl Db for SqliteDb {
    fn insert_many(&mut self, rows: &InsertMany<'_>) -> Result<Vec<Row>> {
        super::db::insert_values(self, rows)
    }

    fn begin(&mut self) -> Result<()> {
        // SQLite would only say "readonly database" of a file moved away.
        self.confirm_target()?;
        // IMMEDIATE takes the write lock now, so a read-then-write cannot race another writer.
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))
    }

    fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    fn rollback(&mut self) -> Result<()> {
        self.conn.execute_batch("ROLLBACK").map_err(|e| self.err(e))
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(|e| map_err(e, &self.busy))?;
        let n = stmt.execute(params_from_iter(params.iter().map(to_sql)));
        n.map(|n| n as u64).map_err(|e| map_err(e, &self.busy))
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        let busy = self.busy.clone();
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(|e| map_err(e, &busy))?;
        let width = stmt.column_count();
        let mut rows = stmt
            .query(params_from_iter(params.iter().map(to_sql)))
            .map_err(|e| map_err(e, &busy))?;
        while let Some(row) = rows.next().map_err(|e| map_err(e, &busy))? {
            let values = (0..width).map(|i| row.get_ref(i).map(from_sql).unwrap_or(Value::Null));
            each(Row(values.collect()))?;
        }
        Ok(())
    }

    fn describe_columns_sql(&self) -> &'static str {
        "SELECT name, type, NULL, \"notnull\", dflt_value FROM pragma_table_info(?) ORDER BY cid"
    }

    fn table_columns(&mut self, tables: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        let sql = format!(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name IN ({}) ORDER BY m.name, p.cid",
            placeholders(tables.len())
        );
        let params: Vec<Value> = tables.iter().map(|t| Value::from(*t)).collect();
        if tables.contains(&"directus_users") {
            let have = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IN (?, ?)";
            let params = EMAIL_INDEXES.map(Value::from);
            self.email_indexed = self.query_int(have, &params)? == 2;
        }
        Ok(group_columns(self.query(&sql, &params)?))
    }

    fn email_matches(&self) -> &'static [&'static str] {
        match self.email_indexed {
            true => &[EMAIL_MATCH_INDEXED],
            false => &["lower(u.email) = ?"],
        }
    }

    // BEGIN IMMEDIATE already serialises every writer of the file.
    fn lock_key(&mut self, _key: &str) -> Result<()> {
        Ok(())
    }

    fn lock_buckets(&mut self, _buckets: &std::collections::BTreeSet<u64>) -> Result<()> {
        Ok(())
    }

    fn user_order(&self) -> &'static str {
        "u.email NULLS LAST, u.id"
    }

    fn confirm_target(&mut self) -> Result<()> {
        if self.opened.is_none() || identity(&self.busy.path) == self.opened {
            return Ok(());
        }
        Err(Error::unavailable(format!(
            "the database file {} was deleted or replaced while roster ran; nothing was written",
            self.busy.path.display()
        )))
    }

    // SQLite compares text byte by byte (roster's lower() folds case only).
    fn email_collation_folds(&self) -> bool {
        false
    }

    fn insert_id(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.query_int(&format!("{sql} RETURNING id"), params)
    }

    fn insert_ids(&mut self, rows: &InsertMany<'_>, key: &str) -> Result<HashMap<String, i64>> {
        returned_ids(self, rows, key)
    }

    fn create_standalone_tables(&mut self) -> Result<()> {
        let sql = format!("{STANDALONE}{};", EMAIL_INDEXES.join(";\n"));
        let sql = super::db::if_not_exists(&sql);
        self.conn.execute_batch(&sql).map_err(|e| self.err(e))
    }
}

/// roster's standalone schema: Directus 11's layout for the tables roster uses,
/// plus the seed's `company` and `timezone` columns.
const STANDALONE: &str = r#"
CREATE TABLE directus_roles (id char(36) NOT NULL PRIMARY KEY, name varchar(100) NOT NULL,
  icon varchar(64) NOT NULL DEFAULT 'supervised_user_circle', description text,
  parent char(36) REFERENCES directus_roles (id));
CREATE TABLE directus_policies (id char(36) NOT NULL PRIMARY KEY, name varchar(100) NOT NULL,
  icon varchar(64) NOT NULL DEFAULT 'badge', description text, ip_access text,
  enforce_tfa boolean NOT NULL DEFAULT '0', admin_access boolean NOT NULL DEFAULT '0',
  app_access boolean NOT NULL DEFAULT '0');
CREATE TABLE directus_users (id char(36) NOT NULL PRIMARY KEY, first_name varchar(50),
  last_name varchar(50), email varchar(128), password varchar(255), location varchar(255),
  title varchar(50), description text, tags json, avatar char(36), language varchar(255) DEFAULT NULL,
  tfa_secret varchar(255), status varchar(16) NOT NULL DEFAULT 'active',
  role char(36) REFERENCES directus_roles (id) ON DELETE SET NULL, token varchar(255),
  last_access datetime, last_page varchar(255), provider varchar(128) NOT NULL DEFAULT 'default',
  external_identifier varchar(255), auth_data json, email_notifications boolean DEFAULT '1',
  appearance varchar(255), theme_dark varchar(255), theme_light varchar(255),
  theme_light_overrides json, theme_dark_overrides json, company varchar(255), timezone varchar(64));
CREATE UNIQUE INDEX directus_users_email_unique ON directus_users (email);
CREATE UNIQUE INDEX directus_users_token_unique ON directus_users (token);
CREATE UNIQUE INDEX directus_users_external_identifier_unique ON directus_users (external_identifier);
CREATE TABLE directus_access (id char(36) NOT NULL PRIMARY KEY,
  role char(36) REFERENCES directus_roles (id) ON DELETE CASCADE,
  "user" char(36) REFERENCES directus_users (id) ON DELETE CASCADE,
  policy char(36) NOT NULL REFERENCES directus_policies (id) ON DELETE CASCADE, sort integer);
CREATE TABLE directus_settings (id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  project_name varchar(100) NOT NULL DEFAULT 'Directus', auth_login_attempts integer DEFAULT '25',
  auth_password_policy varchar(100), default_language varchar(255) NOT NULL DEFAULT 'en-US');
CREATE TABLE directus_sessions (token varchar(64) NOT NULL PRIMARY KEY,
  "user" char(36) REFERENCES directus_users (id) ON DELETE CASCADE, expires datetime NOT NULL,
  ip varchar(255), user_agent text, share char(36), origin varchar(255), next_token varchar(64));
CREATE TABLE directus_activity (id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  action varchar(45) NOT NULL, "user" char(36), timestamp datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  ip varchar(50), user_agent text, collection varchar(64) NOT NULL, item varchar(255) NOT NULL,
  origin varchar(255));
CREATE TABLE directus_revisions (id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  activity integer NOT NULL REFERENCES directus_activity (id) ON DELETE CASCADE,
  collection varchar(64) NOT NULL, item varchar(255) NOT NULL, data json, delta json,
  parent integer REFERENCES directus_revisions (id), version char(36));
"#;
