//! PostgreSQL that is unreachable, refuses the login, lacks the database or the
//! schema: exit 6 with one `error:` line that never shows the URL's password;
//! and `roster init` on an empty PostgreSQL database.
//! Skipped when ROSTER_TEST_POSTGRES_URL is not set.

use crate::common::Via;
use crate::common::{
    ROSTER_TABLES, TestEnv, bare_cmd, error_line, postgres_admin_url, stderr_of, stdout_of,
    with_database,
};
use std::str::FromStr;

const SECRET: &str = "s3cretPW";

/// `roster --no-input` with a clean environment and no database flag (the test gives one).
fn roster(dir: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = bare_cmd(dir);
    cmd.env_remove("PGPASSWORD").arg("--no-input");
    cmd
}

/// The admin server's host and port.
fn host_port(admin: &str) -> (String, u16) {
    let config = postgres::Config::from_str(admin).expect("admin URL parses");
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".to_string(),
    };
    (host, config.get_ports().first().copied().unwrap_or(5432))
}

/// Runs `roster -d URL list` and checks the failure: the exit code, exactly one
/// `error:` line, and no password anywhere in the output. Returns the error line.
fn fails_without_leaking(url: &str, code: i32) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = roster(dir.path());
    cmd.args(["-d", url, "list"]);
    check_failure(cmd, url, code)
}

/// Runs a prepared command and checks the failure as `fails_without_leaking` does.
fn check_failure(mut cmd: assert_cmd::Command, url: &str, code: i32) -> String {
    let out = cmd
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(code);
    let stdout = stdout_of(&out);
    let stderr = stderr_of(&out);
    assert!(stdout.is_empty(), "{url}: stdout: {stdout}");
    assert!(
        !stderr.contains(SECRET),
        "{url}: the password leaked: {stderr}"
    );
    // A password in -d is warned about, as --password is, before the error.
    let warning = "warning: the password in -d shows in the process list; prefer DATABASE_URL, PGPASSWORD or ~/.pgpass\n";
    error_line(stderr.strip_prefix(warning).unwrap_or(&stderr), url)
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn an_unreachable_server_exits_6_without_the_password() {
    let url = format!("postgres://postgres:{SECRET}@127.0.0.1:1/x?sslmode=disable");
    let error = fails_without_leaking(&url, 6);
    assert!(error.contains("127.0.0.1:1"), "{error}");
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_refused_login_exits_6_without_the_password() {
    let admin = postgres_admin_url();
    let (host, port) = host_port(&admin);
    let role = format!("roster_no_such_role_{}", uuid::Uuid::new_v4().simple());
    let url = format!("postgres://{role}:{SECRET}@{host}:{port}/postgres?sslmode=disable");
    let error = fails_without_leaking(&url, 6);
    assert!(
        error.contains(&role),
        "the message should name the refused role: {error}"
    );
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_missing_database_exits_6() {
    let admin = postgres_admin_url();
    let name = format!("roster_no_such_db_{}", uuid::Uuid::new_v4().simple());
    let error = fails_without_leaking(&with_database(&admin, &name), 6);
    assert!(
        error.contains(&name),
        "the message should name the database: {error}"
    );

    // With a password in the URL too, the password stays hidden.
    let (host, port) = host_port(&admin);
    let url = format!("postgres://postgres:{SECRET}@{host}:{port}/{name}?sslmode=disable");
    fails_without_leaking(&url, 6);
}

/// An empty PostgreSQL database after `roster init`, which says it made the schema.
fn initialised() -> TestEnv {
    let env = TestEnv::empty(Via::POSTGRES.require());
    let ran = env.roster(["init"]).succeeds();
    assert!(
        ran.err().contains("created roster's schema"),
        "{}",
        ran.err()
    );
    env
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn init_creates_every_table_of_the_standalone_schema() {
    let env = initialised();
    for table in ROSTER_TABLES {
        assert!(env.table_exists(table), "{table} missing after init");
    }
    assert!(
        !env.table_exists("directus_migrations"),
        "init must not look like Directus"
    );
    for column in ["company", "timezone"] {
        assert_eq!(
            env.value(&format!(
                "SELECT count(*) FROM information_schema.columns \
                 WHERE table_name = 'directus_users' AND column_name = '{column}'"
            ))
            .as_deref(),
            Some("1"),
            "{column}"
        );
    }
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn init_makes_an_administrator_role_with_an_admin_policy_and_settings() {
    let env = initialised();
    let rows = env.rows(
        "SELECT r.name, CASE WHEN p.admin_access THEN 1 ELSE 0 END, CASE WHEN p.app_access THEN 1 ELSE 0 END \
         FROM directus_roles r JOIN directus_access a ON a.role = r.id \
         JOIN directus_policies p ON p.id = a.policy",
    );
    assert_eq!(
        rows,
        [[
            Some("Administrator".to_string()),
            Some("1".into()),
            Some("1".into())
        ]]
    );
    assert_eq!(
        env.value("SELECT count(*) FROM directus_settings")
            .as_deref(),
        Some("1")
    );
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_first_admin_on_the_standalone_schema_is_shown_as_an_admin() {
    let env = initialised();
    env.roster([
        "create",
        "First@Example.com",
        "--role",
        "administrator",
        "--password-env",
        "ROSTER_TEST_PW",
    ])
    .env("ROSTER_TEST_PW", "First-Admin-1x")
    .succeeds();
    let shown = env
        .roster(["show", "first@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(shown["admin"], true);
    assert_eq!(shown["email"], "first@example.com");
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn init_creates_the_standalone_schema_once() {
    let env = initialised();
    env.roster(["init"])
        .fails(4)
        .stderr_line(
            "error: this database already has a directus_users table; nothing to initialise",
        )
        .db_unchanged();
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_database_without_directus_users_exits_6_naming_roster_init() {
    let env = TestEnv::empty(Via::POSTGRES.require());
    env.exec("CREATE TABLE something_else (id integer)");
    for args in [
        vec!["list"],
        vec!["show", "a@example.com"],
        vec!["roles", "list"],
        vec!["suspend", "a@example.com"],
    ] {
        let ran = env.roster(&args).fails(6);
        let first = ran.error_line();
        assert!(first.contains("directus_users"), "{args:?}: {first}");
        assert!(ran.err().contains("roster init"), "{args:?}: {}", ran.err());
    }
    assert!(
        !env.table_exists("directus_users"),
        "nothing was created implicitly"
    );
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn the_password_stays_hidden_under_verbose_from_the_environment_and_in_bad_urls() {
    let url = format!("postgres://postgres:{SECRET}@127.0.0.1:1/x?sslmode=disable");
    let dir = tempfile::tempdir().expect("temp dir");

    // -v prints the cause chain: still no password.
    let mut cmd = roster(dir.path());
    cmd.args(["-v", "-d", &url, "list"]);
    check_failure(cmd, &url, 6);

    // The URL from ROSTER_DATABASE_URL, and from DATABASE_URL.
    for var in ["ROSTER_DATABASE_URL", "DATABASE_URL"] {
        let mut cmd = roster(dir.path());
        cmd.env(var, &url).args(["-v", "list"]);
        check_failure(cmd, &url, 6);
    }

    // A percent-encoded password is hidden in both spellings.
    let encoded = format!("postgres://postgres:{SECRET}%40x@127.0.0.1:1/x?sslmode=disable");
    let error = fails_without_leaking(&encoded, 6);
    assert!(!error.contains("%40x") && !error.contains("@x@"), "{error}");

    // A URL roster cannot parse is a configuration error (2), named without the password.
    let bad = format!("postgres://postgres:{SECRET}@127.0.0.1:notaport/x");
    let error = fails_without_leaking(&bad, 2);
    assert!(error.contains("not valid"), "{error}");
}

#[test]
fn an_unencoded_at_sign_in_the_password_is_refused_without_echoing_it() {
    // No server is needed: roster refuses the URL before connecting.
    let url = format!("postgres://postgres:{SECRET}@x@127.0.0.1:1/db?sslmode=disable");
    let line = fails_without_leaking(&url, 2);
    assert!(line.contains("%40"), "{line}");
    assert!(!line.contains("x@127"), "{line}");
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_password_given_as_a_query_parameter_is_masked_in_notes() {
    let env = TestEnv::empty(Via::POSTGRES.require());
    let sep = if env.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}password={SECRET}", env.url);
    let stderr = env
        .bare(["--no-input", "-d", &url, "init", "--dry-run"])
        .succeeds()
        .err();
    assert!(stderr.contains("password=***"), "{stderr}");
}
