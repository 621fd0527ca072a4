//! Shared test harness: a fresh database per test on SQLite (always) and on
//! PostgreSQL (when ROSTER_TEST_POSTGRES_URL is set), and a `roster` command
//! pointed at it.
#![allow(dead_code)] // each test binary uses a different part of the harness

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The admin URL of the PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> Option<String> {
    let url = std::env::var("ROSTER_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let required = std::env::var("ROSTER_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    match url {
        Some(url) => {
            if let Err(e) = postgres::Client::connect(&url, postgres::NoTls) {
                assert!(
                    !required,
                    "ROSTER_REQUIRE_POSTGRES=1 but {url} is unreachable: {e}"
                );
                eprintln!("skipping PostgreSQL: {url} is unreachable: {e}");
                return None;
            }
            Some(url)
        }
        None => {
            assert!(
                !required,
                "ROSTER_REQUIRE_POSTGRES=1 but ROSTER_TEST_POSTGRES_URL is not set"
            );
            None
        }
    }
}

/// SQLite always; PostgreSQL too when configured.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    if postgres_admin_url().is_some() {
        all.push(Backend::Postgres);
    }
    all
}

/// The repository's fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// One test's database, in its own temporary folder (SQLite) or database (PostgreSQL).
pub struct TestEnv {
    pub dir: TempDir,
    pub backend: Backend,
    /// The URL roster is given.
    pub url: String,
    pg: Option<(String, String)>, // (admin url, database name) to drop afterwards
}

fn unique_name() -> String {
    format!("roster_t_{}", uuid::Uuid::new_v4().simple())
}

impl TestEnv {
    /// An empty database (an absent SQLite file).
    pub fn empty(backend: Backend) -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = dir.path().join("test.db").display().to_string();
                TestEnv {
                    dir,
                    backend,
                    url,
                    pg: None,
                }
            }
            Backend::Postgres => {
                let admin = postgres_admin_url().expect("PostgreSQL configured");
                let name = unique_name();
                let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
                c.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create database");
                let url = with_database(&admin, &name);
                TestEnv {
                    dir,
                    backend,
                    url,
                    pg: Some((admin, name)),
                }
            }
        }
    }

    /// roster's standalone schema, made by `roster init`.
    pub fn standalone(backend: Backend) -> TestEnv {
        let env = TestEnv::empty(backend);
        env.cmd().arg("init").assert().success();
        env
    }

    /// A copy of the Directus 11.3.5 fixture.
    pub fn directus11(backend: Backend) -> TestEnv {
        match backend {
            Backend::Sqlite => TestEnv::sqlite_fixture("directus-11.3.5.sqlite"),
            Backend::Postgres => {
                let env = TestEnv::empty(backend);
                env.restore_pg_dump(&fixtures().join("directus-11.3.5.pg.sql"));
                env
            }
        }
    }

    /// A copy of the Directus 10.13.4 fixture (SQLite only: no PostgreSQL dump exists).
    pub fn directus10() -> TestEnv {
        TestEnv::sqlite_fixture("directus-10.13.4.sqlite")
    }

    fn sqlite_fixture(name: &str) -> TestEnv {
        let env = TestEnv::empty(Backend::Sqlite);
        std::fs::copy(fixtures().join(name), &env.url).expect("copy fixture");
        let mut perms = std::fs::metadata(&env.url).expect("stat").permissions();
        #[allow(clippy::permissions_set_readonly_false)] // the copy must be writable
        perms.set_readonly(false);
        std::fs::set_permissions(&env.url, perms).expect("chmod");
        env
    }

    fn restore_pg_dump(&self, path: &Path) {
        // psql before August 2025 does not know \restrict; the lines are safe to drop.
        let sql: String = std::fs::read_to_string(path)
            .expect("read dump")
            .lines()
            .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
            .map(|l| format!("{l}\n"))
            .collect();
        let out = std::process::Command::new("psql")
            .args(["-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", &self.url])
            .stdin_bytes(sql)
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `roster -d URL --no-input`, in the test's folder, with a clean environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("roster").expect("binary");
        cmd.current_dir(self.dir.path())
            .env_remove("ROSTER_DATABASE_URL")
            .env_remove("DATABASE_URL")
            .env_remove("ROSTER_CONFIG")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("NO_COLOR", "1")
            .args(["-d", &self.url, "--no-input"]);
        cmd
    }

    /// Rows of a query, every value as text (NULL as None). Booleans read as
    /// 1/0 on SQLite and t/f on PostgreSQL: cast in SQL when it matters.
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self.backend {
            Backend::Sqlite => sqlite_rows(&self.url, sql),
            Backend::Postgres => pg_rows(&self.url, sql),
        }
    }

    /// The single value of a query.
    pub fn value(&self, sql: &str) -> Option<String> {
        self.rows(sql)
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .flatten()
    }

    /// Every row of roster's tables, as text: equal before and after means unchanged.
    pub fn dump(&self) -> String {
        let tables = [
            "directus_users",
            "directus_roles",
            "directus_policies",
            "directus_access",
            "directus_settings",
            "directus_sessions",
            "directus_activity",
            "directus_revisions",
        ];
        let mut out = String::new();
        for t in tables {
            if self.table_exists(t) {
                out.push_str(&format!(
                    "{t}: {:?}\n",
                    self.rows(&format!("SELECT * FROM {t} ORDER BY 1"))
                ));
            }
        }
        out
    }

    pub fn table_exists(&self, table: &str) -> bool {
        let sql = match self.backend {
            Backend::Sqlite => format!("SELECT count(*) FROM sqlite_master WHERE name = '{table}'"),
            Backend::Postgres => format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{table}'"
            ),
        };
        self.value(&sql).as_deref() == Some("1")
    }

    /// The SQLite file's bytes (for byte-for-byte comparisons).
    pub fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.url).unwrap_or_default()
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// The admin URL with another database name.
pub fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let prefix = match base.rfind('/') {
        Some(i) if i > base.find("://").map_or(0, |j| j + 2) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

fn sqlite_rows(path: &str, sql: &str) -> Vec<Vec<Option<String>>> {
    use rusqlite::types::ValueRef;
    let conn = rusqlite::Connection::open(path).expect("open sqlite");
    let mut stmt = conn.prepare(sql).expect("prepare");
    let width = stmt.column_count();
    let mut rows = stmt.query([]).expect("query");
    let mut out = Vec::new();
    while let Some(row) = rows.next().expect("row") {
        out.push(
            (0..width)
                .map(|i| match row.get_ref(i).expect("value") {
                    ValueRef::Null => None,
                    ValueRef::Integer(n) => Some(n.to_string()),
                    ValueRef::Real(f) => Some(f.to_string()),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Some(String::from_utf8_lossy(t).into_owned())
                    }
                })
                .collect(),
        );
    }
    out
}

fn pg_rows(url: &str, sql: &str) -> Vec<Vec<Option<String>>> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    c.simple_query(sql)
        .expect("query")
        .into_iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect()
}

/// Writing stdin to a std Command and collecting its output.
trait StdinBytes {
    fn stdin_bytes(&mut self, input: String) -> std::io::Result<std::process::Output>;
}

impl StdinBytes for std::process::Command {
    fn stdin_bytes(&mut self, input: String) -> std::io::Result<std::process::Output> {
        use std::io::Write;
        let mut child = self
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()?;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())?;
        child.wait_with_output()
    }
}
