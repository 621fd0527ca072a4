//! Finding the database (flag, environment, Directus .env, config file, default),
//! the config file's warnings, a locked SQLite file, and statuses roster does not own.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::{Backend, TestEnv, bare_cmd, stderr_of};
use crate::common::{Via, each_db};
use std::path::Path;

/// `roster list --format json` with only what the test sets.
fn list_in(dir: &Path) -> assert_cmd::Command {
    let mut cmd = bare_cmd(dir);
    cmd.args(["--no-input", "list", "--format", "json"]);
    cmd
}

fn emails(out: &assert_cmd::assert::Assert) -> Vec<String> {
    crate::common::json_of(out)
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_directus_env_file_names_a_sqlite_file_relative_to_itself() {
    let env = TestEnv::directus11(Backend::Sqlite);
    let project = env.dir.path().join("project");
    std::fs::create_dir_all(project.join("data")).unwrap();
    std::fs::copy(&env.url, project.join("data/data.db")).unwrap();
    std::fs::write(
        project.join(".env"),
        "# Directus\nDB_CLIENT=\"sqlite3\"\nDB_FILENAME=./data/data.db\n",
    )
    .unwrap();
    // Run from elsewhere: the file is found beside the .env, as Directus finds it.
    let out = list_in(env.dir.path())
        .arg("--env-file")
        .arg(project.join(".env"))
        .assert()
        .success();
    assert_eq!(emails(&out).len(), 4);
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_directus_env_file_names_a_postgres_database() {
    let env = TestEnv::directus11(Via::POSTGRES.require());
    let config = <postgres::Config as std::str::FromStr>::from_str(&env.url).unwrap();
    let host = match &config.get_hosts()[0] {
        postgres::config::Host::Tcp(h) => h.clone(),
        other => panic!("{other:?}"),
    };
    let text = format!(
        "DB_CLIENT=pg\nDB_HOST={host}\nDB_PORT={}\nDB_DATABASE={}\nDB_USER={}\nDB_PASSWORD=\"string:not used by trust auth\"\n",
        config.get_ports().first().copied().unwrap_or(5432),
        config.get_dbname().unwrap(),
        config.get_user().unwrap(),
    );
    let file = env.dir.path().join(".env");
    std::fs::write(&file, text).unwrap();
    let out = list_in(env.dir.path())
        .arg("--env-file")
        .arg(&file)
        .assert()
        .success();
    assert_eq!(emails(&out).len(), 4);
}

#[test]
fn bad_env_files_are_usage_errors() {
    let env = TestEnv::standalone(Backend::Sqlite);
    let file = env.dir.path().join(".env");
    std::fs::write(&file, "DB_CLIENT=oracledb\n").unwrap();
    let out = list_in(env.dir.path())
        .arg("--env-file")
        .arg(&file)
        .assert()
        .code(2);
    // Under --format json the error is one JSON object.
    assert!(
        stderr_of(&out).contains("DB_CLIENT=\\\"oracledb\\\" is not supported"),
        "{}",
        stderr_of(&out)
    );
    list_in(env.dir.path())
        .args(["--env-file", "/nonexistent/.env"])
        .assert()
        .code(2);
    std::fs::write(&file, "DB_CLIENT=sqlite3\n").unwrap();
    list_in(env.dir.path())
        .arg("--env-file")
        .arg(&file)
        .assert()
        .code(2);
}

/// Four databases told apart by one user each, to see which one roster opened.
fn marked(dir: &Path, name: &str) -> String {
    let path = dir.join(format!("{name}.db"));
    let url = path.display().to_string();
    bare_cmd(dir).args(["-d", &url, "init"]).assert().success();
    bare_cmd(dir)
        .args([
            "-d",
            &url,
            "invite",
            &format!("{name}@example.com"),
            "--role",
            "Administrator",
        ])
        .assert()
        .success();
    url
}

#[test]
fn the_database_is_chosen_by_the_command_line_then_the_environment_then_dot_env_then_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (flag, roster_env, database_env, env_file_db, config_db) = (
        marked(d, "flag"),
        marked(d, "rosterenv"),
        marked(d, "databaseenv"),
        marked(d, "envfile"),
        marked(d, "config"),
    );
    std::fs::write(
        d.join(".env"),
        format!("DB_CLIENT=sqlite3\nDB_FILENAME={env_file_db}\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("roster.toml"),
        format!("database_url = \"sqlite:{config_db}\"\n"),
    )
    .unwrap();
    let run = |args: &[&str], vars: &[(&str, &str)]| {
        let mut cmd = list_in(d);
        cmd.args(["--config", "roster.toml"]).args(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        emails(&cmd.assert().success())
    };
    let all = [
        ("ROSTER_DATABASE_URL", roster_env.as_str()),
        ("DATABASE_URL", database_env.as_str()),
    ];
    let env_file = ["--env-file", ".env"];
    assert_eq!(
        run(&["-d", &flag, "--env-file", ".env"], &all),
        ["flag@example.com"]
    );
    // What the command line says wins over the environment.
    assert_eq!(run(&env_file, &all), ["envfile@example.com"]);
    assert_eq!(run(&[], &all), ["rosterenv@example.com"]);
    assert_eq!(run(&[], &all[1..]), ["databaseenv@example.com"]);
    // A Directus .env in the current folder, as Directus's own CLI reads it.
    assert_eq!(run(&[], &[]), ["envfile@example.com"]);
    std::fs::remove_file(d.join(".env")).unwrap();
    assert_eq!(run(&[], &[]), ["config@example.com"]);
}

#[test]
fn verbose_says_which_source_named_the_database_and_which_were_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (marked(d, "a"), marked(d, "b"));
    let out = list_in(d)
        .args(["-v", "-d", &a])
        .env("DATABASE_URL", &b)
        .assert()
        .success();
    assert_eq!(
        stderr_of(&out),
        "using the database named by -d; also named, and passed over: DATABASE_URL\n"
    );
}

#[test]
fn an_empty_database_name_is_a_usage_error_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (args, var, what) in [
        (vec!["-d", ""], None, "-d/--database-url"),
        (vec![], Some("DATABASE_URL"), "DATABASE_URL"),
        (vec![], Some("ROSTER_DATABASE_URL"), "ROSTER_DATABASE_URL"),
    ] {
        let mut cmd = bare_cmd(d);
        cmd.arg("list");
        cmd.args(&args);
        if let Some(var) = var {
            cmd.env(var, "");
        }
        let out = cmd.assert().code(2);
        assert_eq!(
            stderr_of(&out),
            format!(
                "error: {what} is empty: name a database (sqlite:PATH, a file path, postgres://... or mysql://...)\n"
            )
        );
        assert!(!d.join("roster.db").exists(), "{what}");
    }
}

#[test]
fn a_config_file_with_a_database_password_that_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("roster.toml");
    std::fs::write(
        &config,
        "database_url = \"postgres://u:pw@127.0.0.1:1/x?sslmode=disable\"\n",
    )
    .unwrap();
    let warning = "holds a database password and others can read it";
    for (mode, warned) in [(0o644, true), (0o600, false)] {
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = list_in(dir.path())
            .arg("--config")
            .arg(&config)
            .assert()
            .code(6);
        assert_eq!(
            stderr_of(&out).contains(warning),
            warned,
            "{mode:o}: {}",
            stderr_of(&out)
        );
        assert!(!stderr_of(&out).contains(":pw@"), "{}", stderr_of(&out));
    }
}

#[test]
fn a_locked_sqlite_file_is_waited_for_then_exit_6() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    env.user_with_status("ed@example.com", "Editor", "active");
    let conn = rusqlite::Connection::open(&env.url).unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let out = env
        .cmd()
        .args(["--busy-timeout", "300", "suspend", "ed@example.com"])
        .assert()
        .code(6);
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(250),
        "{waited:?}"
    );
    assert_eq!(
        stderr_of(&out),
        format!(
            "error: the database {} is locked by another process (waited 300 ms; see --busy-timeout)\n",
            env.url
        )
    );
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(env.status_of("ed@example.com"), "active");
}

each_db!(statuses_roster_does_not_own_are_shown_and_guarded);
fn statuses_roster_does_not_own_are_shown_and_guarded(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("ed@example.com", "Editor", "unverified");
    let out = env
        .cmd()
        .args(["list", "--format", "json"])
        .assert()
        .success();
    let users = crate::common::json_of(&out);
    let ed = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "ed@example.com")
        .unwrap();
    assert_eq!(ed["status"], "unverified");
    let out = env
        .cmd()
        .args(["list", "--status", "unverified", "--format", "json"])
        .assert()
        .success();
    assert_eq!(emails(&out), ["ed@example.com"]);
    // Directus's public registration: suspend blocks an unverified user.
    let out = env
        .cmd()
        .args(["suspend", "ed@example.com"])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&out),
        "suspended ed@example.com (was unverified)\n"
    );
    env.cmd()
        .args(["soft-delete", "ed@example.com", "--yes"])
        .assert()
        .success();
    assert_eq!(env.status_of("ed@example.com"), "deleted");
}
