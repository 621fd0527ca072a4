//! Where the database is, and connecting to it: the one place that chooses
//! which database implementation serves the repository.

use super::watchdog::Watched;
use super::{Repo, core, mysql, postgres, sqlite};
use crate::error::Result;

/// Where the database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A SQLite file; `create` allows making it when missing.
    Sqlite {
        path: std::path::PathBuf,
        create: bool,
    },
    /// A PostgreSQL URL (it may hold a password: never print it).
    Postgres { url: String },
    /// A MySQL or MariaDB URL, `mysql://` or `mariadb://` (it may hold a password too).
    Mysql { url: String },
}

impl Target {
    /// Where the database is, for people: never a password.
    pub fn describe(&self) -> String {
        match self {
            Target::Sqlite { path, .. } => format!("SQLite file {}", path.display()),
            Target::Postgres { url } => {
                let (base, query) = url.split_once('?').unwrap_or((url, ""));
                let rest = base.split_once("://").map_or(base, |(_, r)| r);
                let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                let mode = query
                    .split('&')
                    .find_map(|p| p.strip_prefix("sslmode="))
                    .unwrap_or("prefer");
                format!("PostgreSQL at {host} (sslmode {mode})")
            }
            Target::Mysql { url } => match mysql::connect::Settings::parse(url) {
                Ok(s) => format!("MySQL at {} (ssl-mode {})", s.target(), s.ssl_mode.name()),
                Err(_) => "MySQL (the URL does not parse)".to_string(),
            },
        }
    }
}

/// Connection settings that are not part of the URL.
#[derive(Debug, Clone, Copy)]
pub struct ConnectOpts {
    pub busy_timeout: std::time::Duration,
    pub connect_timeout: std::time::Duration,
    /// PostgreSQL: ambient credentials only for the host they name: `PGPASSWORD`
    /// when `PGHOST` is the URL's host, `~/.pgpass` lines without a wildcard host.
    pub host_bound_credentials: bool,
}

/// Connects to a database and reads its layout; the implementation is chosen here, once.
pub fn open(target: &Target, opts: ConnectOpts) -> Result<Box<dyn Repo>> {
    match target {
        Target::Sqlite { path, create } => {
            let db = sqlite::SqliteDb::open(path, *create, opts.busy_timeout)?;
            Ok(Box::new(core::SqlRepo::new(db)?))
        }
        Target::Postgres { url } => {
            let db = postgres::PgDb::connect(url, &opts)?;
            let target = db.target().to_string();
            let db = Watched::new(db, opts.busy_timeout, target);
            Ok(Box::new(core::SqlRepo::new(db)?))
        }
        Target::Mysql { url } => {
            let db = mysql::MyDb::connect(url, opts.connect_timeout, opts.busy_timeout)?;
            let target = db.target().to_string();
            let db = Watched::new(db, opts.busy_timeout, target);
            Ok(Box::new(core::SqlRepo::new(db)?))
        }
    }
}
