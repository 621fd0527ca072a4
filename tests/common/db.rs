//! Which databases a test runs on: SQLite always, and each server the
//! environment names (`ROSTER_TEST_*_URL`), with `each_db!` turning one test body
//! into one test per database, named after it.

use std::sync::OnceLock;

/// Which database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mysql,
}

/// A connection pooler in front of the PostgreSQL test server, in one pooling mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooler {
    /// PgBouncer handing a server connection to a client per transaction.
    Transaction,
    /// PgBouncer keeping one server connection per client.
    Session,
}

/// Where a test's roster connects: an engine, for PostgreSQL maybe through a pooler.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Via {
    pub backend: Backend,
    pub pooler: Option<Pooler>,
}

impl Via {
    pub const SQLITE: Via = Via::direct(Backend::Sqlite);
    pub const POSTGRES: Via = Via::direct(Backend::Postgres);
    pub const MYSQL: Via = Via::direct(Backend::Mysql);
    pub const PGBOUNCER_TX: Via = Via::pooled(Pooler::Transaction);
    pub const PGBOUNCER_SESSION: Via = Via::pooled(Pooler::Session);

    const fn direct(backend: Backend) -> Via {
        Via {
            backend,
            pooler: None,
        }
    }

    const fn pooled(pooler: Pooler) -> Via {
        Via {
            backend: Backend::Postgres,
            pooler: Some(pooler),
        }
    }

    /// This database, which the test was built to run on: a server that is not
    /// configured or does not answer fails the test, never passes it silently.
    #[track_caller]
    pub fn require(self) -> Via {
        let reachable = match (self.backend, self.pooler) {
            (Backend::Sqlite, _) => Ok(String::new()),
            (Backend::Postgres, None) => postgres_server().clone(),
            (Backend::Mysql, _) => mysql_server().clone(),
            (Backend::Postgres, Some(p)) => pooler_server(p).clone(),
        };
        if let Err(why) = reachable {
            panic!("{self}: {why}");
        }
        self
    }
}

impl From<Backend> for Via {
    fn from(backend: Backend) -> Via {
        Via::direct(backend)
    }
}

impl PartialEq<Backend> for Via {
    fn eq(&self, other: &Backend) -> bool {
        self.backend == *other
    }
}

/// The name of the test that runs on this database.
impl std::fmt::Display for Via {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match (self.backend, self.pooler) {
            (Backend::Sqlite, _) => "sqlite",
            (Backend::Postgres, None) => "postgres",
            (Backend::Postgres, Some(Pooler::Transaction)) => "pgbouncer_tx",
            (Backend::Postgres, Some(Pooler::Session)) => "pgbouncer_session",
            (Backend::Mysql, _) => "mysql",
        })
    }
}

impl std::fmt::Debug for Via {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// A server URL from the environment, checked once per test binary.
fn configured(var: &str, answers: impl Fn(&str) -> Result<(), String>) -> Result<String, String> {
    let url = std::env::var(var).ok().filter(|u| !u.is_empty());
    let url = url.ok_or_else(|| format!("{var} is not set"))?;
    answers(&url).map_err(|e| format!("{var}={url} does not answer: {e}"))?;
    Ok(url)
}

/// The admin URL of the PostgreSQL server tests create their databases on.
pub fn postgres_server() -> &'static Result<String, String> {
    static URL: OnceLock<Result<String, String>> = OnceLock::new();
    URL.get_or_init(|| {
        configured("ROSTER_TEST_POSTGRES_URL", |url| {
            postgres::Client::connect(url, postgres::NoTls)
                .map(drop)
                .map_err(|e| e.to_string())
        })
    })
}

/// The admin URL of the MySQL/MariaDB server tests create their databases on.
pub fn mysql_server() -> &'static Result<String, String> {
    static URL: OnceLock<Result<String, String>> = OnceLock::new();
    URL.get_or_init(|| {
        configured("ROSTER_TEST_MYSQL_URL", |url| {
            super::sql::mysql_conn(url)
                .map(drop)
                .map_err(|e| e.to_string())
        })
    })
}

/// A pooler's URL (database `postgres`); a pooler logs a client in by itself, so
/// only a query shows the server behind it.
pub fn pooler_server(pooler: Pooler) -> &'static Result<String, String> {
    static TX: OnceLock<Result<String, String>> = OnceLock::new();
    static SESSION: OnceLock<Result<String, String>> = OnceLock::new();
    let (cell, var) = match pooler {
        Pooler::Transaction => (&TX, "ROSTER_TEST_PGBOUNCER_TX_URL"),
        Pooler::Session => (&SESSION, "ROSTER_TEST_PGBOUNCER_SESSION_URL"),
    };
    cell.get_or_init(|| {
        configured(var, |url| {
            postgres::Client::connect(url, postgres::NoTls)
                .and_then(|mut c| c.simple_query("SELECT 1"))
                .map(drop)
                .map_err(|e| e.to_string())
        })
    })
}

/// Turns each named test body `fn NAME(b: Via)` into a module `NAME` of tests
/// `sqlite`, `postgres` and `mysql` (plus `pgbouncer_tx` and `pgbouncer_session`
/// with `poolers`; only PostgreSQL and its poolers with `postgres`). A server's test is ignored, with the variable it needs, when
/// that variable was not set at build time and `ROSTER_REQUIRE_*` is not 1
/// (build.rs); otherwise it runs, and fails when the server does not answer.
macro_rules! each_db {
    ($name:ident) => {
        mod $name {
            $crate::common::each_db!(@sqlite $name);
            $crate::common::each_db!(@postgres $name);
            $crate::common::each_db!(@mysql $name);
        }
    };
    ($name:ident, poolers) => {
        mod $name {
            $crate::common::each_db!(@sqlite $name);
            $crate::common::each_db!(@postgres $name);
            $crate::common::each_db!(@poolers $name);
            $crate::common::each_db!(@mysql $name);
        }
    };
    ($name:ident, servers) => {
        mod $name {
            $crate::common::each_db!(@postgres $name);
            $crate::common::each_db!(@poolers $name);
            $crate::common::each_db!(@mysql $name);
        }
    };
    ($name:ident, postgres) => {
        mod $name {
            $crate::common::each_db!(@postgres $name);
            $crate::common::each_db!(@poolers $name);
        }
    };
    (@sqlite $name:ident) => {
        #[test]
        fn sqlite() {
            super::$name($crate::common::Via::SQLITE.require())
        }
    };
    (@postgres $name:ident) => {
        $crate::common::each_db!(@server $name, postgres, POSTGRES, postgres_tests,
            require_postgres, "needs ROSTER_TEST_POSTGRES_URL");
    };
    (@poolers $name:ident) => {
        $crate::common::each_db!(@server $name, pgbouncer_tx, PGBOUNCER_TX,
            pgbouncer_tx_tests, require_pgbouncer, "needs ROSTER_TEST_PGBOUNCER_TX_URL");
        $crate::common::each_db!(@server $name, pgbouncer_session, PGBOUNCER_SESSION,
            pgbouncer_session_tests, require_pgbouncer, "needs ROSTER_TEST_PGBOUNCER_SESSION_URL");
    };
    (@mysql $name:ident) => {
        $crate::common::each_db!(@server $name, mysql, MYSQL, mysql_tests,
            require_mysql, "needs ROSTER_TEST_MYSQL_URL");
    };
    (@server $name:ident, $test:ident, $via:ident, $built:ident, $required:ident, $why:literal) => {
        #[test]
        #[cfg_attr(not(any($built, $required)), ignore = $why)]
        fn $test() {
            super::$name($crate::common::Via::$via.require())
        }
    };
}
pub(crate) use each_db;
