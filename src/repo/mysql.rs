//! MySQL and MariaDB (as Directus lays its tables out on them): session settings
//! that make roster's SQL mean the same as on the other two databases, locks
//! that last until the transaction ends, value conversion, error mapping, and
//! the standalone schema in MariaDB's dialect.
//!
//! InnoDB has no transaction-scoped advisory lock, so [`Db::lock_key`] takes a
//! session-scoped `GET_LOCK` and every end of the transaction (commit,
//! rollback, and the connection closing when roster dies) releases them all.

use super::db::{Db, Dialect, Row, Value, group_columns, placeholders};
use crate::error::{Error, Result};
use mysql::prelude::Queryable;
use mysql::{Conn, Params};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::Duration;

pub mod connect;

/// A MySQL/MariaDB connection, and what roster's transaction holds on it.
pub struct MyDb {
    conn: Conn,
    busy: Duration,
    /// Lock names are per database, so two databases on one server never wait on each other.
    database: String,
    /// `GET_LOCK`s taken since the transaction began.
    locked: bool,
    /// Tables `create_standalone_tables` made in this transaction: DDL commits at
    /// once on MySQL, so a rollback (a dry run, a failed init) drops them again.
    created: Vec<&'static str>,
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
            conn,
            busy,
            database: settings.database,
            locked: false,
            created: Vec::new(),
        })
    }

    fn run(&mut self, sql: &str) -> Result<()> {
        self.conn.query_drop(sql).map_err(map_err)
    }

    /// Ends the transaction's locks; a failure only means the session is gone,
    /// and its locks went with it.
    fn release(&mut self) {
        if std::mem::take(&mut self.locked) {
            let _ = self.conn.query_drop("DO RELEASE_ALL_LOCKS()");
        }
    }

    /// The `GET_LOCK` name of a key: at most 64 characters, per database.
    fn lock_name(&self, key: &str) -> String {
        let digest = Sha256::digest(format!("{}\n{}", self.database, key.to_lowercase()));
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("roster:{}", &hex[..56])
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

/// What a unique index on these tables means under `utf8mb4_general_ci`.
const COLLATION_HINT: &str = "MySQL/MariaDB compare text with the table's collation (Directus uses utf8mb4_general_ci): \
emails and tokens that differ only in case, accents (é = e, ß = s) or trailing spaces are the same value there";

fn map_err(e: mysql::Error) -> Error {
    let detail = match &e {
        mysql::Error::MySqlError(m) => format!(
            "MySQL error {} (SQLSTATE {}): {}",
            m.code,
            m.state,
            without_values(&m.message)
        ),
        other => format!("MySQL: {other}"),
    };
    kind_of(e).because(detail)
}

/// A server message with the values it quotes left out (`Duplicate entry '…'`,
/// `Incorrect … value: '…'`): the value may be a token bound to the statement.
fn without_values(message: &str) -> String {
    let mut out = message.to_string();
    for lead in ["entry '", "value: '"] {
        if let Some(a) = out.find(lead).map(|a| a + lead.len()) {
            let end = out[a..].find("' ").map_or(out.len(), |b| a + b);
            out.replace_range(a..end, "…");
        }
    }
    out
}

/// The error an operator acts on, for what MySQL reported.
fn kind_of(e: mysql::Error) -> Error {
    match e {
        mysql::Error::MySqlError(m) => reported(m),
        mysql::Error::DriverError(mysql::DriverError::SetupError) => {
            Error::Internal(format!("MySQL driver error: {e}"))
        }
        // I/O, a closed connection, a broken packet: the server is gone, and with it
        // the transaction, which it rolls back.
        other => Error::unavailable(format!(
            "the connection to MySQL was lost ({other}); nothing was changed"
        )),
    }
}

/// The error an operator acts on, for an error the server reported.
fn reported(m: mysql::MySqlError) -> Error {
    match m.code {
        1205 | 3572 => Error::unavailable(
            "the database is locked by another session (gave up after the busy timeout; see --busy-timeout)",
        ),
        1213 | 3058 => Error::unavailable(
            "MySQL ended a deadlock by rolling back roster's transaction; nothing was changed (run the command again)",
        ),
        // Killed, shut down, server gone.
        1927 | 1053 | 1317 | 2006 | 2013 | 1152 | 1158..=1161 => Error::unavailable(format!(
            "the connection to MySQL was lost ({}); nothing was changed",
            m.message
        )),
        1290 | 1792 | 1836 => Error::unavailable(format!(
            "the MySQL server is read-only ({}); nothing was changed",
            m.message
        ))
        .hint("connect to the primary"),
        // No such table or column: not the database roster expects.
        1146 | 1054 => Error::unavailable(super::db::missing_schema(&m.message)),
        1062 | 1586 => Error::conflict(format!(
            "the database refused the change: {}",
            without_values(&m.message)
        ))
        .hint(COLLATION_HINT),
        1292 => Error::validation(format!(
            "the database refused a value: {}",
            without_values(&m.message)
        ))
        .hint("MySQL/MariaDB timestamp columns hold whole seconds from 1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC"),
        // CHECK (json_valid(...)) and other check constraints refuse a value.
        4025 | 3819 => Error::validation(format!("the database refused a value: {}", m.message)),
        _ if m.state.starts_with("23") => Error::conflict(format!(
            "the database refused the change: {}",
            without_values(&m.message)
        )),
        _ if m.state.starts_with("22") => Error::validation(format!(
            "the database refused a value: {}",
            without_values(&m.message)
        )),
        _ if m.state.starts_with("08") || m.state == "70100" => Error::unavailable(format!(
            "MySQL is unavailable: {}; nothing was changed",
            m.message
        )),
        1040 | 1203 | 1226 => Error::unavailable(format!("MySQL is unavailable: {}", m.message)),
        _ => Error::Internal(format!("MySQL error {}: {}", m.code, m.message)),
    }
}

impl Db for MyDb {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn begin(&mut self) -> Result<()> {
        self.created.clear();
        self.run("START TRANSACTION")
    }

    fn commit(&mut self) -> Result<()> {
        let done = self.run("COMMIT");
        self.created.clear();
        self.release();
        done
    }

    fn rollback(&mut self) -> Result<()> {
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
        self.conn.exec_drop(sql, params(values)).map_err(map_err)?;
        Ok(self.conn.affected_rows())
    }

    fn query_each(
        &mut self,
        sql: &str,
        values: &[Value],
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        // Streamed: rows are read from the socket as `each` takes them.
        let rows = self.conn.exec_iter(sql, params(values)).map_err(map_err)?;
        for row in rows {
            let row = row.map_err(map_err)?;
            each(Row(row.unwrap().into_iter().map(from_my).collect()))?;
        }
        Ok(())
    }

    fn table_columns(&mut self, tables: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        let sql = format!(
            "SELECT table_name, column_name FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name IN ({}) \
             ORDER BY table_name, ordinal_position",
            placeholders(tables.len())
        );
        let params: Vec<Value> = tables.iter().map(|t| Value::from(*t)).collect();
        Ok(group_columns(self.query(&sql, &params)?))
    }

    fn lock_key(&mut self, key: &str) -> Result<()> {
        self.lock_keys(&[key.to_string()])
    }

    /// `GET_LOCK` on each key, many to a statement, in one order so that two
    /// writers never wait on each other crosswise. Held until commit or rollback.
    fn lock_keys(&mut self, keys: &[String]) -> Result<()> {
        let mut names: Vec<String> = keys.iter().map(|k| self.lock_name(k)).collect();
        names.sort();
        names.dedup();
        let wait = mysql::Value::Double(self.busy.as_secs_f64());
        for chunk in names.chunks(500) {
            let sql = format!("SELECT {}", vec!["GET_LOCK(?, ?)"; chunk.len()].join(", "));
            let params: Vec<mysql::Value> = chunk
                .iter()
                .flat_map(|n| [mysql::Value::from(n.as_str()), wait.clone()])
                .collect();
            self.locked = true;
            let got: Option<mysql::Row> = self.conn.exec_first(sql, params).map_err(map_err)?;
            let all = got.is_some_and(|r| r.unwrap().iter().all(|v| *v == mysql::Value::Int(1)));
            if !all {
                return Err(Error::unavailable(format!(
                    "another roster is changing the same users and did not finish within the busy timeout ({} ms; see --busy-timeout)",
                    self.busy.as_millis()
                )));
            }
        }
        Ok(())
    }

    fn create_standalone_tables(&mut self) -> Result<()> {
        for (table, ddl) in STANDALONE {
            self.created.push(table);
            self.run(ddl)?;
        }
        // DDL committed the transaction; the seed rows go in a new one.
        self.run("START TRANSACTION")
    }
}

/// roster's standalone schema as Directus 11 lays these tables out on MariaDB:
/// `utf8mb4_general_ci` text (so email and token uniqueness ignore case, accents
/// and trailing spaces, as on a Directus database), json as checked text, booleans
/// as tinyint(1), `timestamp` columns. In creation order (foreign keys).
const STANDALONE: [(&str, &str); 8] = [
    (
        "directus_roles",
        "CREATE TABLE directus_roles (id char(36) NOT NULL, name varchar(100) NOT NULL,
  icon varchar(64) NOT NULL DEFAULT 'supervised_user_circle', description text DEFAULT NULL,
  parent char(36) DEFAULT NULL, PRIMARY KEY (id),
  CONSTRAINT directus_roles_parent_foreign FOREIGN KEY (parent) REFERENCES directus_roles (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_policies",
        "CREATE TABLE directus_policies (id char(36) NOT NULL, name varchar(100) NOT NULL,
  icon varchar(64) NOT NULL DEFAULT 'badge', description text DEFAULT NULL, ip_access text DEFAULT NULL,
  enforce_tfa tinyint(1) NOT NULL DEFAULT 0, admin_access tinyint(1) NOT NULL DEFAULT 0,
  app_access tinyint(1) NOT NULL DEFAULT 0, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_users",
        "CREATE TABLE directus_users (id char(36) NOT NULL, first_name varchar(50) DEFAULT NULL,
  last_name varchar(50) DEFAULT NULL, email varchar(128) DEFAULT NULL, password varchar(255) DEFAULT NULL,
  location varchar(255) DEFAULT NULL, title varchar(50) DEFAULT NULL, description text DEFAULT NULL,
  tags longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(tags)),
  avatar char(36) DEFAULT NULL, language varchar(255) DEFAULT NULL, tfa_secret varchar(255) DEFAULT NULL,
  status varchar(16) NOT NULL DEFAULT 'active', role char(36) DEFAULT NULL, token varchar(255) DEFAULT NULL,
  last_access timestamp NULL DEFAULT NULL, last_page varchar(255) DEFAULT NULL,
  provider varchar(128) NOT NULL DEFAULT 'default', external_identifier varchar(255) DEFAULT NULL,
  auth_data longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(auth_data)),
  email_notifications tinyint(1) DEFAULT 1, appearance varchar(255) DEFAULT NULL,
  theme_dark varchar(255) DEFAULT NULL, theme_light varchar(255) DEFAULT NULL,
  theme_light_overrides longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(theme_light_overrides)),
  theme_dark_overrides longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(theme_dark_overrides)),
  company varchar(255) DEFAULT NULL, timezone varchar(64) DEFAULT NULL, PRIMARY KEY (id),
  UNIQUE KEY directus_users_external_identifier_unique (external_identifier),
  UNIQUE KEY directus_users_email_unique (email), UNIQUE KEY directus_users_token_unique (token),
  KEY directus_users_role_foreign (role),
  CONSTRAINT directus_users_role_foreign FOREIGN KEY (role) REFERENCES directus_roles (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_access",
        "CREATE TABLE directus_access (id char(36) NOT NULL, role char(36) DEFAULT NULL,
  \"user\" char(36) DEFAULT NULL, policy char(36) NOT NULL, sort int(11) DEFAULT NULL, PRIMARY KEY (id),
  CONSTRAINT directus_access_policy_foreign FOREIGN KEY (policy) REFERENCES directus_policies (id) ON DELETE CASCADE,
  CONSTRAINT directus_access_role_foreign FOREIGN KEY (role) REFERENCES directus_roles (id) ON DELETE CASCADE,
  CONSTRAINT directus_access_user_foreign FOREIGN KEY (\"user\") REFERENCES directus_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_settings",
        "CREATE TABLE directus_settings (id int(10) unsigned NOT NULL AUTO_INCREMENT,
  project_name varchar(100) NOT NULL DEFAULT 'Directus', auth_login_attempts int(10) unsigned DEFAULT 25,
  auth_password_policy varchar(100) DEFAULT NULL, default_language varchar(255) NOT NULL DEFAULT 'en-US',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_sessions",
        "CREATE TABLE directus_sessions (token varchar(64) NOT NULL, \"user\" char(36) DEFAULT NULL,
  expires timestamp NOT NULL, ip varchar(255) DEFAULT NULL, user_agent text DEFAULT NULL,
  share char(36) DEFAULT NULL, origin varchar(255) DEFAULT NULL, next_token varchar(64) DEFAULT NULL,
  PRIMARY KEY (token),
  CONSTRAINT directus_sessions_user_foreign FOREIGN KEY (\"user\") REFERENCES directus_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_activity",
        "CREATE TABLE directus_activity (id int(10) unsigned NOT NULL AUTO_INCREMENT,
  action varchar(45) NOT NULL, \"user\" char(36) DEFAULT NULL,
  timestamp timestamp NOT NULL DEFAULT current_timestamp(), ip varchar(50) DEFAULT NULL,
  user_agent text DEFAULT NULL, collection varchar(64) NOT NULL, item varchar(255) NOT NULL,
  origin varchar(255) DEFAULT NULL, PRIMARY KEY (id), KEY directus_activity_collection_foreign (collection)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
    (
        "directus_revisions",
        "CREATE TABLE directus_revisions (id int(10) unsigned NOT NULL AUTO_INCREMENT,
  activity int(10) unsigned NOT NULL, collection varchar(64) NOT NULL, item varchar(255) NOT NULL,
  data longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(data)),
  delta longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(delta)),
  parent int(10) unsigned DEFAULT NULL, version char(36) DEFAULT NULL, PRIMARY KEY (id),
  CONSTRAINT directus_revisions_activity_foreign FOREIGN KEY (activity) REFERENCES directus_activity (id) ON DELETE CASCADE,
  CONSTRAINT directus_revisions_parent_foreign FOREIGN KEY (parent) REFERENCES directus_revisions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ),
];

#[cfg(test)]
mod tests {
    use super::without_values;

    #[test]
    fn server_messages_lose_the_values_they_quote() {
        assert_eq!(
            without_values("Duplicate entry 'tok-SECRET' for key 'token'"),
            "Duplicate entry '…' for key 'token'"
        );
        assert_eq!(
            without_values("Incorrect string value: '\\xF0\\x9F' for column 'token' at row 1"),
            "Incorrect string value: '…' for column 'token' at row 1"
        );
        assert_eq!(
            without_values("Data too long for column 'token' at row 1"),
            "Data too long for column 'token' at row 1"
        );
    }
}
