//! MySQL/MariaDB as an operator meets it: servers that are unreachable or refuse
//! the login (exit 6, no password shown), a Directus `.env` with DB_CLIENT=mysql,
//! `roster init`, the utf8mb4_general_ci collation's refusals explained, a held
//! row lock (exit 6 after the busy timeout) and a connection killed mid-command
//! (nothing written). Skipped when ROSTER_TEST_MYSQL_URL is not set.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::Via;
use crate::common::{
    EDITOR_TOKEN, ROSTER_TABLES, TestEnv, bare_cmd, error_line, mysql_admin_url, mysql_conn,
    stderr_of, stdout_of,
};
use mysql::prelude::Queryable;
use std::time::{Duration, Instant};

const SECRET: &str = "s3cretPW";

/// Runs `roster -d URL list` and checks the failure: the exit code, one `error:`
/// line, no password anywhere. Returns the error line.
fn fails_without_leaking(url: &str, code: i32) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = bare_cmd(dir.path())
        .args(["--no-input", "-v", "-d", url, "list"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(code);
    assert!(stdout_of(&out).is_empty());
    let stderr = stderr_of(&out);
    assert!(
        !stderr.contains(SECRET),
        "{url}: the password leaked: {stderr}"
    );
    // A password in -d is warned about before the error.
    let warning = "warning: the password in -d shows in the process list; \
                   prefer DATABASE_URL or ROSTER_DATABASE_URL\n";
    error_line(stderr.strip_prefix(warning).unwrap_or(&stderr), url)
}

/// The admin server's host and port.
fn host_port(admin: &str) -> (String, u16) {
    let opts = mysql::Opts::from_url(admin).unwrap();
    (opts.get_ip_or_hostname().to_string(), opts.get_tcp_port())
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn an_unreachable_server_exits_6_without_the_password() {
    for scheme in ["mysql", "mariadb"] {
        let url = format!("{scheme}://root:{SECRET}@127.0.0.1:1/x?ssl-mode=DISABLED");
        let error = fails_without_leaking(&url, 6);
        assert!(error.contains("127.0.0.1:1/x"), "{error}");
    }
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn a_refused_login_and_a_missing_database_exit_6_without_the_password() {
    let admin = mysql_admin_url();
    let (host, port) = host_port(&admin);
    let user = format!(
        "roster_nobody_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let error = fails_without_leaking(&format!("mysql://{user}:{SECRET}@{host}:{port}/test"), 6);
    assert!(error.contains(&user), "{error}");
    let db = format!("roster_no_such_db_{}", uuid::Uuid::new_v4().simple());
    let error = fails_without_leaking(&crate::common::with_database(&admin, &db), 6);
    assert!(error.contains(&db), "{error}");
}

#[test]
fn a_bad_mysql_url_is_a_usage_error_without_the_password() {
    let error = fails_without_leaking(&format!("mysql://u:{SECRET}@h/db?ssl-mode=SOMETIMES"), 2);
    assert!(error.contains("ssl-mode"), "{error}");
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn required_tls_on_a_server_without_it_is_refused() {
    let admin = mysql_admin_url();
    let mut c = mysql_conn(&admin).unwrap();
    let have_ssl: Option<String> = c.query_first("SELECT @@have_ssl").unwrap_or(None);
    if have_ssl.as_deref() == Some("YES") {
        return; // this server offers TLS: REQUIRED would succeed
    }
    let sep = if admin.contains('?') { '&' } else { '?' };
    let error = fails_without_leaking(&format!("{admin}{sep}ssl-mode=REQUIRED"), 6);
    assert!(error.contains("TLS"), "{error}");
    // PREFERRED, the default, falls back to a plain connection.
    let env = TestEnv::standalone(Via::MYSQL.require());
    let url = format!("{}{sep}ssl-mode=PREFERRED", env.url);
    env.bare(["-d", &url, "list"]).succeeds();
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn a_directus_env_file_with_db_client_mysql_is_read() {
    let admin = mysql_admin_url();
    let env = TestEnv::directus11(Via::MYSQL.require());
    let opts = mysql::Opts::from_url(&env.url).unwrap();
    let env_file = env.dir.path().join(".env");
    std::fs::write(
        &env_file,
        format!(
            "DB_CLIENT=\"mysql\"\nDB_HOST=\"{}\"\nDB_PORT=\"{}\"\nDB_DATABASE=\"{}\"\nDB_USER=\"{}\"\nDB_PASSWORD=\"{}\"\n",
            opts.get_ip_or_hostname(),
            opts.get_tcp_port(),
            opts.get_db_name().unwrap(),
            opts.get_user().unwrap_or("root"),
            opts.get_pass().unwrap_or(""),
        ),
    )
    .unwrap();
    let users = env
        .bare(["--env-file", ".env", "list", "--format", "json"])
        .succeeds()
        .json();
    let emails: Vec<String> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        emails,
        [
            "admin@example.com",
            "editor@example.com",
            "invited@example.com",
            "suspended@example.com"
        ],
        "{admin}"
    );
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn init_creates_the_standalone_schema_with_directus_collation() {
    let env = TestEnv::empty(Via::MYSQL.require());
    env.roster(["init"]).succeeds();
    for table in ROSTER_TABLES {
        assert!(env.table_exists(table), "{table} missing after init");
    }
    let collations = env.rows(
        "SELECT DISTINCT table_collation FROM information_schema.tables WHERE table_schema = DATABASE()",
    );
    assert_eq!(collations, [[Some("utf8mb4_general_ci".to_string())]]);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = DATABASE() \
             AND table_name = 'directus_users' AND column_name IN ('company', 'timezone')"
        ),
        2
    );
    env.roster(["init"]).fails(4).db_unchanged();
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn emails_and_tokens_the_collation_makes_equal_are_refused_with_the_reason() {
    let env = TestEnv::directus11(Via::MYSQL.require());
    // Accents: MariaDB's unique index holds editor@ and édítor@ as one email.
    let ran = env
        .roster(["invite", "édítor@example.com", "--role", "Editor"])
        .fails(4);
    ran.db_unchanged();
    let stderr = ran.err();
    assert!(
        stderr.starts_with("error: a user with email editor@example.com already exists"),
        "{stderr}"
    );
    assert!(stderr.contains("utf8mb4_general_ci"), "{stderr}");
    // Nor is a soft-deleted account handed to someone whose email only collates equal.
    let ran = env
        .roster(["invite", "árchived@example.com", "--role", "Editor"])
        .fails(4);
    ran.db_unchanged();
    assert!(ran.err().contains("utf8mb4_general_ci"), "{}", ran.err());
    // The editor's token in upper case is the editor's token there.
    let ran = env
        .roster(["set-token", "admin@example.com", "--stdin"])
        .stdin(EDITOR_TOKEN.to_uppercase())
        .fails(4);
    ran.db_unchanged();
    let stderr = ran.err();
    assert!(
        stderr.starts_with("error: another user already has this token"),
        "{stderr}"
    );
    assert!(stderr.contains("case"), "{stderr}");
    // Look-ups agree with the collation too.
    let shown = env
        .roster(["show", "ÉDITOR@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(shown["email"], "editor@example.com");
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn timestamps_directus_wrote_read_back_in_utc() {
    let env = TestEnv::directus11(Via::MYSQL.require());
    // The fixture's last_access, written by Directus in UTC, reads back unchanged.
    let shown = env
        .roster(["show", "editor@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(shown["last_access"], "2026-12-02T00:52:00Z");
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn a_row_locked_elsewhere_is_waited_for_up_to_the_busy_timeout_then_exit_6() {
    let env = TestEnv::directus11(Via::MYSQL.require());
    let mut holder = mysql_conn(&env.url).unwrap();
    holder.query_drop("START TRANSACTION").unwrap();
    holder
        .query_drop("UPDATE directus_users SET title = 'held' WHERE email = 'invited@example.com'")
        .unwrap();
    let started = Instant::now();
    let out = env
        .cmd()
        .args(["--busy-timeout", "1200", "suspend", "invited@example.com"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(6);
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with("error: the database is locked"),
        "{stderr}"
    );
    // innodb_lock_wait_timeout is whole seconds: 1200 ms waits 2 s.
    assert!(started.elapsed() >= Duration::from_secs(2), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));
    holder.query_drop("ROLLBACK").unwrap();
    assert_eq!(env.status_of("invited@example.com"), "invited");
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn a_connection_killed_mid_command_leaves_nothing_written() {
    let admin = mysql_admin_url();
    let env = TestEnv::directus11(Via::MYSQL.require());
    let invited = env.id_of("invited@example.com");
    env.add_session("held-session", &invited);
    let before = env.dump();
    // Hold the session row, so roster's suspend writes the status, then waits to
    // delete the sessions.
    let mut holder = mysql_conn(&env.url).unwrap();
    holder.query_drop("START TRANSACTION").unwrap();
    holder
        .query_drop("SELECT * FROM directus_sessions WHERE token = 'held-session' FOR UPDATE")
        .unwrap();
    let child = env
        .std_cmd()
        .args(["--busy-timeout", "30000", "suspend", "invited@example.com"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let name = mysql::Opts::from_url(&env.url)
        .unwrap()
        .get_db_name()
        .unwrap()
        .to_string();
    let mut admin_conn = mysql_conn(&admin).unwrap();
    let started = Instant::now();
    let id = loop {
        let waiting: Option<u64> = admin_conn
            .exec_first(
                "SELECT id FROM information_schema.processlist WHERE db = ? AND info LIKE 'DELETE FROM directus_sessions%'",
                (name.as_str(),),
            )
            .unwrap();
        if let Some(id) = waiting {
            break id;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "roster never reached the session delete"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    admin_conn.query_drop(format!("KILL {id}")).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    holder.query_drop("ROLLBACK").unwrap();
    assert_eq!(env.dump(), before, "the status change was rolled back");
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn list_sorts_by_the_stored_bytes_not_the_collation() {
    let env = TestEnv::directus11(Via::MYSQL.require());
    // Directus may store an email with capitals; byte order puts them first, as on
    // SQLite and PostgreSQL, where utf8mb4_general_ci would not.
    env.exec(
        "UPDATE directus_users SET email = 'Zed@example.com' WHERE email = 'suspended@example.com'",
    );
    let users = env.roster(["list", "--format", "json"]).succeeds().json();
    let emails: Vec<String> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        emails,
        [
            "Zed@example.com",
            "admin@example.com",
            "editor@example.com",
            "invited@example.com"
        ]
    );
}

#[test]
fn a_server_that_accepts_and_never_answers_is_given_up_on_after_the_connect_timeout() {
    // No MySQL needed: a listener that accepts connections and says nothing.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    let started = Instant::now();
    let url =
        format!("mysql://root:{SECRET}@127.0.0.1:{port}/x?ssl-mode=DISABLED&connect_timeout=1");
    let error = fails_without_leaking(&url, 6);
    assert!(error.contains("within 1 s"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(15));
}
