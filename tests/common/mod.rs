//! Shared test harness: a fresh database per test on SQLite (always), on
//! PostgreSQL (when ROSTER_TEST_POSTGRES_URL is set) and on MySQL/MariaDB (when
//! ROSTER_TEST_MYSQL_URL is set), and a `roster` command pointed at it.
#![allow(dead_code)] // each test binary uses a different part of the harness

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mysql,
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

/// The admin URL of the MySQL/MariaDB server tests create their databases on
/// (`ROSTER_TEST_MYSQL_URL`); `ROSTER_REQUIRE_MYSQL=1` turns its absence into a failure.
pub fn mysql_admin_url() -> Option<String> {
    let url = std::env::var("ROSTER_TEST_MYSQL_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let required = std::env::var("ROSTER_REQUIRE_MYSQL").is_ok_and(|v| v == "1");
    let Some(url) = url else {
        assert!(
            !required,
            "ROSTER_REQUIRE_MYSQL=1 but ROSTER_TEST_MYSQL_URL is not set"
        );
        return None;
    };
    if let Err(e) = mysql_conn(&url) {
        assert!(
            !required,
            "ROSTER_REQUIRE_MYSQL=1 but {url} is unreachable: {e}"
        );
        eprintln!("skipping MySQL: {url} is unreachable: {e}");
        return None;
    }
    Some(url)
}

/// A connection for the test's own SQL, in the session roster sets up (double
/// quotes name identifiers, UTC).
pub fn mysql_conn(url: &str) -> Result<mysql::Conn, mysql::Error> {
    use mysql::prelude::Queryable;
    let mut conn = mysql::Conn::new(mysql::Opts::from_url(url)?)?;
    conn.query_drop(
        "SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES,NO_BACKSLASH_ESCAPES'), time_zone = '+00:00'",
    )?;
    Ok(conn)
}

/// SQLite always; PostgreSQL and MySQL too when configured.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    if postgres_admin_url().is_some() {
        all.push(Backend::Postgres);
    }
    if mysql_admin_url().is_some() {
        all.push(Backend::Mysql);
    }
    all
}

/// A connection pooler in front of the test server, in one pooling mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooler {
    /// PgBouncer handing a server connection to a client per transaction
    /// (`ROSTER_TEST_PGBOUNCER_TX_URL`).
    Transaction,
    /// PgBouncer keeping one server connection per client (`ROSTER_TEST_PGBOUNCER_SESSION_URL`).
    Session,
}

impl Pooler {
    fn variable(self) -> &'static str {
        match self {
            Pooler::Transaction => "ROSTER_TEST_PGBOUNCER_TX_URL",
            Pooler::Session => "ROSTER_TEST_PGBOUNCER_SESSION_URL",
        }
    }

    /// The pooler's URL (database `postgres`), when it is configured and answers;
    /// `ROSTER_REQUIRE_PGBOUNCER=1` turns its absence into a failure.
    pub fn url(self) -> Option<String> {
        let var = self.variable();
        let required = std::env::var("ROSTER_REQUIRE_PGBOUNCER").is_ok_and(|v| v == "1");
        let Some(url) = std::env::var(var).ok().filter(|u| !u.is_empty()) else {
            assert!(!required, "ROSTER_REQUIRE_PGBOUNCER=1 but {var} is not set");
            return None;
        };
        // A pooler logs a client in by itself: only a query shows the server behind it.
        let answer = postgres::Client::connect(&url, postgres::NoTls)
            .and_then(|mut c| c.simple_query("SELECT 1"));
        if let Err(e) = answer {
            assert!(
                !required,
                "ROSTER_REQUIRE_PGBOUNCER=1 but {var}={url} does not answer: {e}"
            );
            eprintln!("skipping {var}: {url} does not answer: {e}");
            return None;
        }
        Some(url)
    }
}

/// Where a test's roster connects: a backend, for PostgreSQL maybe through a pooler.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Via {
    pub backend: Backend,
    pub pooler: Option<Pooler>,
}

impl From<Backend> for Via {
    fn from(backend: Backend) -> Via {
        Via {
            backend,
            pooler: None,
        }
    }
}

impl PartialEq<Backend> for Via {
    fn eq(&self, other: &Backend) -> bool {
        self.backend == *other
    }
}

impl std::fmt::Debug for Via {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pooler {
            None => write!(f, "{:?}", self.backend),
            Some(p) => write!(f, "{:?} via PgBouncer ({p:?} pooling)", self.backend),
        }
    }
}

/// [`backends`], then PostgreSQL through each configured pooler.
pub fn backends_and_poolers() -> Vec<Via> {
    let mut all: Vec<Via> = backends().into_iter().map(Via::from).collect();
    if all.iter().any(|v| *v == Backend::Postgres) {
        for pooler in [Pooler::Transaction, Pooler::Session] {
            if pooler.url().is_some() {
                all.push(Via {
                    backend: Backend::Postgres,
                    pooler: Some(pooler),
                });
            }
        }
    }
    all
}

/// The repository's fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

// Ids and values the Directus fixtures share (tests/fixtures, README "IDs").
pub const EDITOR_ROLE: &str = "dec19c14-ae17-456c-be7b-ef8e47a076d1";
pub const EDITOR_ID: &str = "1ccf0e10-5d51-4570-8760-dbf5112fb24e";
pub const SUSPENDED_ID: &str = "5a39a141-d392-48ee-88ff-fd379faf6185";
pub const ARCHIVED_ID: &str = "3816c64e-a1de-4fa2-b93c-76b85f6ed902";
pub const EDITOR_TOKEN: &str = "oe9f7t5M0ojxkFCx6aK-hJh1ts4w6nFh";
/// The Directus "Strong" preset stored in every fixture's settings (84 characters).
pub const STRONG_POLICY: &str =
    r"/(?=^.{8,}$)(?=.*\d)(?=.*[a-z])(?=.*[A-Z])(?=.*[!@#$%^&*()_+}{';'?>.<,])(?!.*\s).*$/";

/// The tables of roster's standalone schema (`roster init` makes every one).
pub const ROSTER_TABLES: [&str; 8] = [
    "directus_users",
    "directus_roles",
    "directus_policies",
    "directus_access",
    "directus_settings",
    "directus_sessions",
    "directus_activity",
    "directus_revisions",
];

/// One test's database, in its own temporary folder (SQLite) or database (PostgreSQL).
pub struct TestEnv {
    pub dir: TempDir,
    pub backend: Backend,
    /// The URL roster is given.
    pub url: String,
    /// The pooler roster goes through, if any.
    pub pooler: Option<Pooler>,
    /// The database without a pooler, for the test's own SQL and psql.
    direct: String,
    pg: Option<(String, String)>, // (admin url, database name) to drop afterwards
    my: Option<(String, String)>, // the same on MySQL
}

fn unique_name() -> String {
    format!("roster_t_{}", uuid::Uuid::new_v4().simple())
}

impl TestEnv {
    /// An empty database (an absent SQLite file).
    pub fn empty(via: impl Into<Via>) -> TestEnv {
        let Via { backend, pooler } = via.into();
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = dir.path().join("test.db").display().to_string();
                TestEnv {
                    dir,
                    backend,
                    direct: url.clone(),
                    url,
                    pooler: None,
                    pg: None,
                    my: None,
                }
            }
            Backend::Postgres => {
                let admin = postgres_admin_url().expect("PostgreSQL configured");
                let name = unique_name();
                let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
                c.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create database");
                let direct = with_database(&admin, &name);
                let url = match pooler.and_then(Pooler::url) {
                    Some(pooled) => with_database(&pooled, &name),
                    None => direct.clone(),
                };
                TestEnv {
                    dir,
                    backend,
                    url,
                    pooler,
                    direct,
                    pg: Some((admin, name)),
                    my: None,
                }
            }
            Backend::Mysql => {
                use mysql::prelude::Queryable;
                let admin = mysql_admin_url().expect("MySQL configured");
                let name = unique_name();
                // The collation Directus's tables use, whatever the server's default.
                mysql_conn(&admin)
                    .and_then(|mut c| {
                        c.query_drop(format!(
                            "CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
                        ))
                    })
                    .expect("create database");
                let url = with_database(&admin, &name);
                TestEnv {
                    dir,
                    backend,
                    direct: url.clone(),
                    url,
                    pooler: None,
                    pg: None,
                    my: Some((admin, name)),
                }
            }
        }
    }

    /// roster's standalone schema, made by `roster init`.
    pub fn standalone(via: impl Into<Via>) -> TestEnv {
        let env = TestEnv::empty(via);
        env.cmd().arg("init").assert().success();
        env
    }

    /// roster's standalone schema plus an `Editor` role without admin access.
    pub fn with_editor(via: impl Into<Via>) -> TestEnv {
        let env = TestEnv::standalone(via);
        env.cmd()
            .args(["roles", "create", "Editor"])
            .assert()
            .success();
        env
    }

    /// A copy of the Directus 11.3.5 fixture.
    pub fn directus11(via: impl Into<Via>) -> TestEnv {
        let via = via.into();
        match via.backend {
            Backend::Sqlite => TestEnv::sqlite_fixture("directus-11.3.5.sqlite"),
            Backend::Postgres => {
                let env = TestEnv::empty(via);
                env.restore_pg_dump(&fixtures().join("directus-11.3.5.pg.sql"));
                env
            }
            Backend::Mysql => {
                let env = TestEnv::empty(via);
                env.restore_mysql_dump(&fixtures().join("directus-11.3.5.mysql.sql"));
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
            .args(["-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", &self.direct])
            .stdin_bytes(sql)
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Loads a mariadb-dump file with the `mariadb` client, as the fixtures README says.
    fn restore_mysql_dump(&self, path: &Path) {
        let opts = mysql::Opts::from_url(&self.direct).expect("MySQL URL");
        let mut cmd = std::process::Command::new("mariadb");
        cmd.arg("--protocol=tcp")
            .arg(format!("--host={}", opts.get_ip_or_hostname()))
            .arg(format!("--port={}", opts.get_tcp_port()))
            .arg(format!("--user={}", opts.get_user().unwrap_or("root")));
        if let Some(pw) = opts.get_pass().filter(|p| !p.is_empty()) {
            cmd.env("MYSQL_PWD", pw);
        }
        let sql = std::fs::read_to_string(path).expect("read dump");
        let out = cmd
            .arg(opts.get_db_name().expect("database"))
            .stdin_bytes(sql)
            .expect("run mariadb");
        assert!(
            out.status.success(),
            "mariadb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `roster -d URL --no-input`, in the test's folder, with a clean environment.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// [`TestEnv::cmd`] as a std process, for running many at once.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = bare_std_cmd(self.dir.path());
        cmd.args(["-d", &self.url, "--no-input"]);
        cmd
    }

    /// Rows of a query, every value as text (NULL as None). Booleans read as
    /// 1/0 on SQLite and t/f on PostgreSQL: cast in SQL when it matters.
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self.backend {
            Backend::Sqlite => sqlite_rows(&self.url, sql),
            Backend::Postgres => pg_rows(&self.direct, sql),
            Backend::Mysql => mysql_rows(&self.direct, sql),
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
        let mut out = String::new();
        for t in ROSTER_TABLES {
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
            Backend::Mysql => format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{table}'"
            ),
        };
        self.value(&sql).as_deref() == Some("1")
    }

    /// The SQLite file's bytes (for byte-for-byte comparisons).
    pub fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.url).unwrap_or_default()
    }

    /// Runs SQL the read-only helpers cannot (UPDATE, INSERT, DDL; several
    /// statements at once), on a connection of its own.
    pub fn exec(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => rusqlite::Connection::open(&self.url)
                .expect("open sqlite")
                .execute_batch(sql)
                .expect("exec sqlite"),
            Backend::Postgres => postgres::Client::connect(&self.direct, postgres::NoTls)
                .expect("connect")
                .batch_execute(sql)
                .expect("exec postgres"),
            Backend::Mysql => {
                use mysql::prelude::Queryable;
                mysql_conn(&self.direct)
                    .and_then(|mut c| c.query_drop(mysql_sql(sql)))
                    .expect("exec mysql")
            }
        }
    }

    /// The single value of a query, which must be a whole number.
    pub fn count(&self, sql: &str) -> i64 {
        self.value(sql)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("not a count: {sql}"))
    }

    /// One column of the user with this exact email, as text.
    pub fn col(&self, email: &str, column: &str) -> Option<String> {
        self.value(&format!(
            "SELECT CAST({column} AS TEXT) FROM directus_users WHERE email = '{email}'"
        ))
    }

    /// The id of the user with this exact email, who must exist.
    pub fn id_of(&self, email: &str) -> String {
        self.col(email, "id")
            .unwrap_or_else(|| panic!("no row for {email}"))
    }

    /// The stored status of the user with this exact email, who must exist.
    pub fn status_of(&self, email: &str) -> String {
        self.col(email, "status")
            .unwrap_or_else(|| panic!("no row for {email}"))
    }

    /// A user invited by roster (no password, so no hashing cost); returns its id.
    pub fn invite(&self, email: &str, role: &str) -> String {
        self.cmd()
            .args(["invite", email, "--role", role])
            .assert()
            .success();
        self.id_of(email)
    }

    /// A user in any status without paying for a password hash: invited by roster,
    /// then moved by SQL (tests of the transitions themselves use roster's commands).
    pub fn user_with_status(&self, email: &str, role: &str, status: &str) -> String {
        let id = self.invite(email, role);
        self.exec(&format!(
            "UPDATE directus_users SET status = '{status}' WHERE id = '{id}'"
        ));
        id
    }

    /// A `directus_sessions` row for a user, as Directus writes one at login,
    /// expiring in 2100.
    pub fn add_session(&self, token: &str, user: &str) {
        let expires = match self.backend {
            Backend::Sqlite => "4102444800000", // epoch milliseconds
            Backend::Postgres => "'2100-01-01 00:00:00+00'",
            // A MySQL timestamp ends in 2038.
            Backend::Mysql => "'2038-01-01 00:00:00'",
        };
        self.exec(&format!(
            "INSERT INTO directus_sessions (token, \"user\", expires) VALUES ('{token}', '{user}', {expires})"
        ));
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
        if let Some((admin, name)) = &self.my {
            use mysql::prelude::Queryable;
            if let Ok(mut c) = mysql_conn(admin) {
                let _ = c.query_drop(format!("DROP DATABASE IF EXISTS {name}"));
            }
        }
    }
}

/// roster in `dir` with a clean environment (no database or config file named
/// by the environment, HOME and XDG_CONFIG_HOME inside `dir`, no colour), but
/// without the harness's `-d URL --no-input`.
pub fn bare_cmd(dir: &Path) -> Command {
    Command::from_std(bare_std_cmd(dir))
}

fn bare_std_cmd(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_roster"));
    cmd.current_dir(dir)
        .env_remove("ROSTER_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env_remove("ROSTER_CONFIG")
        .envs_remove_libpq()
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("NO_COLOR", "1");
    cmd
}

/// The libpq variables roster reads for what a URL leaves out: removed, so a
/// developer's own PGHOST or PGPASSWORD cannot change what a test connects to.
pub const LIBPQ_VARIABLES: [&str; 10] = [
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGCONNECT_TIMEOUT",
    "PGAPPNAME",
];

trait EnvsRemoveLibpq {
    fn envs_remove_libpq(&mut self) -> &mut Self;
}

impl EnvsRemoveLibpq for std::process::Command {
    fn envs_remove_libpq(&mut self) -> &mut Self {
        LIBPQ_VARIABLES
            .iter()
            .fold(self, |cmd, v| cmd.env_remove(v))
    }
}

/// A finished command's stderr, as text.
pub fn stderr_of(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// A finished command's stdout, as text.
pub fn stdout_of(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// A finished command's stdout, parsed as JSON.
pub fn json_of(a: &Assert) -> serde_json::Value {
    serde_json::from_slice(&a.get_output().stdout).expect("JSON on stdout")
}

/// Checks the shape of an error: one `error: ` line first, then only `hint: ` lines.
/// Returns the error line.
#[track_caller]
pub fn error_line(stderr: &str, what: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(!lines.is_empty(), "{what}: nothing on stderr");
    assert!(
        lines[0].starts_with("error: "),
        "{what}: first line is not an error: {stderr}"
    );
    assert!(
        lines[1..].iter().all(|l| l.starts_with("hint: ")),
        "{what}: only hint lines may follow the error: {stderr}"
    );
    lines[0].to_string()
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

/// The tests' SQL in MySQL's words: `CAST(x AS TEXT)` is `CAST(x AS CHAR)` there.
fn mysql_sql(sql: &str) -> String {
    sql.replace(" AS TEXT)", " AS CHAR)")
        .replace(" AS INTEGER)", " AS SIGNED)")
}

fn mysql_rows(url: &str, sql: &str) -> Vec<Vec<Option<String>>> {
    use mysql::prelude::Queryable;
    let mut c = mysql_conn(url).expect("connect");
    let rows: Vec<mysql::Row> = c.query(mysql_sql(sql)).expect("query");
    rows.into_iter()
        .map(|r| {
            r.unwrap()
                .into_iter()
                .map(|v| match v {
                    mysql::Value::NULL => None,
                    mysql::Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                    other => Some(other.as_sql(true).trim_matches('\'').to_string()),
                })
                .collect()
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
