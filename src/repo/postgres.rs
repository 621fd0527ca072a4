//! PostgreSQL, the production database: URL and TLS handling, value conversion
//! by each parameter's type, and the standalone schema in PostgreSQL's dialect.

use super::db::{Db, Dialect, Row, Value, group_columns, placeholders};
use crate::error::{Error, Result};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod tls;

/// A PostgreSQL connection with a cache of prepared statements.
pub struct PgDb {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// The parts of a URL roster handles itself, because the driver does not know them.
struct Parsed {
    config: Config,
    sslmode: String,
    rootcert: Option<String>,
    password: Option<String>,
}

fn parse(url: &str) -> Result<Parsed> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let authority = base.split_once("://").map_or(base, |(_, a)| a);
    let authority = authority.split('/').next().unwrap_or("");
    if authority.matches('@').count() > 1 {
        // The driver would split at the first @ and take the rest of the password for
        // the host (and look it up in DNS); never echo the URL, it holds the password.
        return Err(Error::usage(
            "the PostgreSQL URL has more than one @ before the host: write @ in a user name or password as %40",
        ));
    }
    let (mut sslmode, mut rootcert, mut rest) = ("prefer".to_string(), None, Vec::new());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", v)) => sslmode = v.to_string(),
            Some(("sslrootcert", v)) => rootcert = Some(v.to_string()),
            _ => rest.push(pair),
        }
    }
    let clean = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    let config = Config::from_str(&clean)
        .map_err(|_| Error::usage("the PostgreSQL URL is not valid (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)"))?;
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    Ok(Parsed {
        config,
        sslmode,
        rootcert,
        password,
    })
}

/// host:port/database, for messages (never the password).
fn describe(c: &Config) -> String {
    let host = match c.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}/{}", c.get_dbname().unwrap_or(""))
}

impl PgDb {
    /// Connects with the URL's sslmode (disable, prefer, require, verify-ca, verify-full).
    pub fn connect(url: &str, timeout: Duration, busy: Duration) -> Result<PgDb> {
        let mut p = parse(url)?;
        p.config.connect_timeout(timeout);
        let target = describe(&p.config);
        let scrub = |msg: String| match &p.password {
            Some(pw) if !pw.is_empty() => msg.replace(pw.as_str(), "***"),
            _ => msg,
        };
        let client = match p.sslmode.as_str() {
            "disable" => p.config.connect(NoTls),
            mode => {
                let tls = tls::connector(mode, p.rootcert.as_deref())?;
                p.config.ssl_mode(if mode == "prefer" {
                    postgres::config::SslMode::Prefer
                } else {
                    postgres::config::SslMode::Require
                });
                p.config.connect(tls)
            }
        }
        .map_err(|e| {
            Error::unavailable(scrub(format!(
                "cannot connect to PostgreSQL at {target}: {}",
                cause(&e)
            )))
        })?;
        let mut client = client;
        // Wait for a row or advisory lock no longer than SQLite waits for a locked file.
        client
            // PostgreSQL reads 0 as "wait forever"; SQLite's 0 means "do not wait".
            .batch_execute(&format!("SET lock_timeout = {}", busy.as_millis().max(1)))
            .map_err(map_err)?;
        Ok(PgDb {
            client,
            statements: HashMap::new(),
        })
    }

    fn prepare(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(&numbered(sql)).map_err(map_err)?;
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// The most specific message of an error: the server's own words where it sent some.
fn cause(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
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

fn map_err(e: postgres::Error) -> Error {
    if e.is_closed() {
        return Error::unavailable("the connection to PostgreSQL was lost; nothing was changed");
    }
    let Some(db) = e.as_db_error() else {
        return Error::unavailable(format!("PostgreSQL failed: {}", cause(&e)));
    };
    let code = db.code();
    if code.code() == "55P03" {
        return Error::unavailable(
            "the database is locked by another session (gave up after the busy timeout; see --busy-timeout)",
        );
    }
    // Class 23: integrity constraints (unique, foreign key, not null), as SQLite's
    // constraint errors are mapped.
    if code.code().starts_with("23") {
        Error::conflict(format!("the database refused the change: {}", db.message()))
    } else if code.code().starts_with("22") {
        // Class 22, data exceptions: a value too long for its column, a malformed value.
        Error::validation(format!("the database refused a value: {}", db.message()))
    } else if code.code().starts_with("08")
        || code.code().starts_with("57")
        || code.code().starts_with("53")
    {
        Error::unavailable(format!("PostgreSQL is unavailable: {}", db.message()))
    } else {
        Error::Internal(format!("PostgreSQL error: {}", db.message()))
    }
}

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

type Param = Box<dyn ToSql + Sync>;

/// Converts a value to the Rust type the driver expects for this parameter's type.
fn bind(v: &Value, ty: &Type) -> Result<Param> {
    let bad = || Error::validation(format!("{v:?} is not a valid {ty}"));
    let text = match v {
        Value::Null => return Ok(null_of(ty)),
        Value::Text(s) => s.clone(),
        Value::Int(n) | Value::Time(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
    };
    Ok(match *ty {
        Type::BOOL => Box::new(matches!(text.as_str(), "true" | "1" | "t")),
        Type::INT2 => Box::new(text.parse::<i16>().map_err(|_| bad())?),
        Type::INT4 => Box::new(text.parse::<i32>().map_err(|_| bad())?),
        Type::INT8 => Box::new(text.parse::<i64>().map_err(|_| bad())?),
        Type::UUID => Box::new(uuid::Uuid::parse_str(&text).map_err(|_| bad())?),
        Type::TIMESTAMPTZ | Type::TIMESTAMP => {
            let ms = text.parse::<u64>().map_err(|_| bad())?;
            Box::new(UNIX_EPOCH + Duration::from_millis(ms))
        }
        Type::JSON | Type::JSONB => Box::new(
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or(serde_json::Value::String(text)),
        ),
        _ => Box::new(text),
    })
}

fn null_of(ty: &Type) -> Param {
    match *ty {
        Type::BOOL => Box::new(None::<bool>),
        Type::INT2 => Box::new(None::<i16>),
        Type::INT4 => Box::new(None::<i32>),
        Type::INT8 => Box::new(None::<i64>),
        Type::UUID => Box::new(None::<uuid::Uuid>),
        Type::TIMESTAMPTZ | Type::TIMESTAMP => Box::new(None::<SystemTime>),
        Type::JSON | Type::JSONB => Box::new(None::<serde_json::Value>),
        _ => Box::new(None::<String>),
    }
}

/// Reads one column into a [`Value`] by its type.
fn read(row: &postgres::Row, i: usize) -> Value {
    let ty = row.columns()[i].type_().clone();
    let opt = match ty {
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .ok()
            .flatten()
            .map(Value::Bool),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .ok()
            .flatten()
            .map(|n| Value::Int(n.into())),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .ok()
            .flatten()
            .map(|n| Value::Int(n.into())),
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .ok()
            .flatten()
            .map(Value::Int),
        Type::UUID => row
            .try_get::<_, Option<uuid::Uuid>>(i)
            .ok()
            .flatten()
            .map(|u| Value::Text(u.to_string())),
        Type::TIMESTAMPTZ | Type::TIMESTAMP => row
            .try_get::<_, Option<SystemTime>>(i)
            .ok()
            .flatten()
            .map(|t| {
                Value::Time(
                    t.duration_since(UNIX_EPOCH)
                        .map_or(0, |d| d.as_millis() as i64),
                )
            }),
        Type::JSON | Type::JSONB => row
            .try_get::<_, Option<serde_json::Value>>(i)
            .ok()
            .flatten()
            .map(|j| Value::Text(j.to_string())),
        Type::FLOAT4 | Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)
            .ok()
            .flatten()
            .map(|f| Value::Text(f.to_string())),
        _ => row
            .try_get::<_, Option<String>>(i)
            .ok()
            .flatten()
            .map(Value::Text),
    };
    opt.unwrap_or(Value::Null)
}

impl PgDb {
    fn bound(&mut self, sql: &str, params: &[Value]) -> Result<(Statement, Vec<Param>)> {
        let stmt = self.prepare(sql)?;
        let types = stmt.params();
        if types.len() != params.len() {
            return Err(Error::Internal(format!(
                "{} parameters for {} placeholders",
                params.len(),
                types.len()
            )));
        }
        let bound = params
            .iter()
            .zip(types)
            .map(|(v, t)| bind(v, t))
            .collect::<Result<Vec<_>>>()?;
        Ok((stmt, bound))
    }
}

impl Db for PgDb {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn begin(&mut self) -> Result<()> {
        self.client.batch_execute("BEGIN").map_err(map_err)
    }

    fn commit(&mut self) -> Result<()> {
        self.client.batch_execute("COMMIT").map_err(map_err)
    }

    fn rollback(&mut self) -> Result<()> {
        self.client.batch_execute("ROLLBACK").map_err(map_err)
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let (stmt, bound) = self.bound(sql, params)?;
        let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        self.client.execute(&stmt, &refs).map_err(map_err)
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        let (stmt, bound) = self.bound(sql, params)?;
        let refs = bound.iter().map(|b| b.as_ref() as &dyn ToSql);
        let mut rows = self.client.query_raw(&stmt, refs).map_err(map_err)?;
        while let Some(row) = rows.next().map_err(map_err)? {
            each(Row((0..row.len()).map(|i| read(&row, i)).collect()))?;
        }
        Ok(())
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
        // lower-cased key makes roster's check-then-insert atomic across processes.
        self.execute(
            "SELECT pg_advisory_xact_lock(hashtext(?))",
            &[Value::from(key.to_lowercase())],
        )
        .map(|_| ())
    }

    fn create_standalone_tables(&mut self) -> Result<()> {
        self.client.batch_execute(STANDALONE).map_err(map_err)
    }
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
