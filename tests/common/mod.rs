//! Shared test harness: one test body run on every configured database
//! ([`each_db!`]), a fresh database per test ([`TestEnv`]), a `roster` run and
//! what is expected of it ([`Run`]), and the fixtures' known values.
#![allow(dead_code)] // each test binary uses a different part of the harness
#![allow(unused_imports)] // the same for the re-exports

mod db;
mod env;
mod proxy;
mod query;
mod run;
mod sql;

pub(crate) use db::each_db;
pub use db::{Backend, Pooler, Via, mysql_server, pooler_server, postgres_server};
pub use env::TestEnv;
pub use proxy::Proxy;
pub use run::{Ran, Run, Snapshot};
pub use sql::{mysql_conn, with_database};

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use std::path::{Path, PathBuf};

/// The admin URL of the PostgreSQL test server, which the test was built to use.
#[track_caller]
pub fn postgres_admin_url() -> String {
    postgres_server()
        .clone()
        .unwrap_or_else(|why| panic!("{why}"))
}

/// The admin URL of the MySQL/MariaDB test server, which the test was built to use.
#[track_caller]
pub fn mysql_admin_url() -> String {
    mysql_server().clone().unwrap_or_else(|why| panic!("{why}"))
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

/// roster in `dir` with a clean environment (no database or config file named
/// by the environment, HOME and XDG_CONFIG_HOME inside `dir`, no colour), but
/// without the harness's `-d URL --no-input`.
pub fn bare_cmd(dir: &Path) -> Command {
    Command::from_std(bare_std_cmd(dir))
}

pub fn bare_std_cmd(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_roster"));
    cmd.current_dir(dir)
        .env_remove("ROSTER_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env_remove("ROSTER_CONFIG")
        .env_remove("COLUMNS")
        .env_remove("ROSTER_PROJECT")
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

/// Waits (up to 30 s) for the paused process to reach `<gate>.reached`.
pub fn wait_for_pause(gate: &Path, child: &mut std::process::Child) {
    let reached = gate.with_extension("reached");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !reached.exists() {
        let ended = child.try_wait().expect("poll import");
        assert!(
            ended.is_none(),
            "the import ended before its pause: {ended:?}"
        );
        assert!(
            std::time::Instant::now() < until,
            "the import never reached its pause"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
