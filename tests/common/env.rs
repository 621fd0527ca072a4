//! One test's database, in its own temporary folder (SQLite) or its own database
//! on the server (PostgreSQL, MySQL), dropped afterwards, and a `roster` pointed at it.

use super::sql::{self, StdinBytes, with_database};
use super::{Backend, Via, fixtures, mysql_server, pooler_server, postgres_server};
use assert_cmd::Command;
use std::path::Path;
use tempfile::TempDir;

/// One test's database.
pub struct TestEnv {
    pub dir: TempDir,
    pub backend: Backend,
    /// Which database this is, for the test's messages.
    pub via: Via,
    /// The URL roster is given.
    pub url: String,
    /// The database without a pooler, for the test's own SQL and psql.
    pub(super) direct: String,
    /// The server's admin URL and the database's name, to drop it afterwards.
    server: Option<(String, String)>,
}

fn unique_name() -> String {
    format!("roster_t_{}", uuid::Uuid::new_v4().simple())
}

/// The URL of a configured server, which [`Via::require`] has checked.
fn server_url(url: &'static Result<String, String>) -> String {
    url.clone().unwrap_or_else(|why| panic!("{why}"))
}

impl TestEnv {
    /// An empty database (an absent SQLite file).
    pub fn empty(via: impl Into<Via>) -> TestEnv {
        let via = via.into();
        let dir = tempfile::tempdir().expect("temp dir");
        let (admin, name) = match via.backend {
            Backend::Sqlite => {
                let url = dir.path().join("test.db").display().to_string();
                return TestEnv::new(dir, via, url.clone(), url, None);
            }
            Backend::Postgres => (server_url(postgres_server()), unique_name()),
            Backend::Mysql => (server_url(mysql_server()), unique_name()),
        };
        // The collation Directus's tables use on MySQL, whatever the server's default.
        let create = match via.backend {
            Backend::Mysql => {
                format!("CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
            }
            _ => format!("CREATE DATABASE {name}"),
        };
        sql::exec(via.backend, &admin, &create);
        let direct = with_database(&admin, &name);
        let url = match via.pooler {
            Some(p) => with_database(&server_url(pooler_server(p)), &name),
            None => direct.clone(),
        };
        TestEnv::new(dir, via, url, direct, Some((admin, name)))
    }

    fn new(
        dir: TempDir,
        via: Via,
        url: String,
        direct: String,
        server: Option<(String, String)>,
    ) -> TestEnv {
        TestEnv {
            dir,
            backend: via.backend,
            via,
            url,
            direct,
            server,
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
        TestEnv::directus("11.3.5", via.into())
    }

    /// A copy of the Directus 12.4.1 fixture: the same users, passwords, token
    /// and fixed ids as 11.3.5's, with 12.x's schema (seats, text_direction).
    pub fn directus12(via: impl Into<Via>) -> TestEnv {
        TestEnv::directus("12.4.1", via.into())
    }

    /// A copy of the Directus 11.3.5 fixture with custom fields that Directus's
    /// own API added (`tests/fixtures/custom-fields.sh`): a dropdown, a required
    /// integer, a boolean, a date, JSON, a csv list, a `_regex` and a `_between`
    /// rule, and a many-to-one into the collection `teams`.
    pub fn custom11(via: impl Into<Via>) -> TestEnv {
        TestEnv::directus("11.3.5-custom", via.into())
    }

    /// The same custom fields, added through Directus 12.4.1's API to its fixture.
    pub fn custom12(via: impl Into<Via>) -> TestEnv {
        TestEnv::directus("12.4.1-custom", via.into())
    }

    /// A copy of the fixture Directus `version` made on this database.
    fn directus(version: &str, via: Via) -> TestEnv {
        let file = |ext: &str| fixtures().join(format!("directus-{version}.{ext}"));
        match via.backend {
            Backend::Sqlite => TestEnv::sqlite_fixture(&format!("directus-{version}.sqlite")),
            Backend::Postgres => {
                let env = TestEnv::empty(via);
                env.restore_pg_dump(&file("pg.sql"));
                env
            }
            Backend::Mysql => {
                let env = TestEnv::empty(via);
                env.restore_mysql_dump(&file("mysql.sql"));
                env
            }
        }
    }

    /// A copy of the Directus 10.13.4 fixture (SQLite only: no server dump exists).
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
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "psql failed: {err}");
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
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "mariadb failed: {err}");
    }

    /// `roster -d URL --no-input`, in the test's folder, with a clean environment.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// [`TestEnv::cmd`] as a std process, for running many at once.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = super::bare_std_cmd(self.dir.path());
        cmd.args(["-d", &self.url, "--no-input"]);
        cmd
    }
}

impl Drop for TestEnv {
    /// Drops the server's database, quietly: a panic here would abort the test
    /// binary when the test itself failed.
    fn drop(&mut self) {
        let Some((admin, name)) = &self.server else {
            return;
        };
        match self.backend {
            Backend::Postgres => {
                if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                    let _ =
                        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
            Backend::Mysql => {
                use mysql::prelude::Queryable;
                if let Ok(mut c) = sql::mysql_conn(admin) {
                    let _ = c.query_drop(format!("DROP DATABASE IF EXISTS {name}"));
                }
            }
            Backend::Sqlite => {}
        }
    }
}
