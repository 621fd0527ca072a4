//! Finding the database (flag, environment, Directus .env, config file, default),
//! the config file's warnings, a locked SQLite file, and statuses roster does not own.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::{Backend, Ran, Run, TestEnv};
use crate::common::{Via, each_db};

/// `roster list --format json` in the test's folder, with only what the test sets.
fn list_in(env: &TestEnv) -> Run<'_> {
    env.bare(["--no-input", "list", "--format", "json"])
}

fn emails(ran: &Ran) -> Vec<String> {
    ran.json()
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
    let ran = list_in(&env)
        .arg("--env-file")
        .arg(project.join(".env"))
        .succeeds();
    assert_eq!(emails(&ran).len(), 4);
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
    let ran = list_in(&env).arg("--env-file").arg(&file).succeeds();
    assert_eq!(emails(&ran).len(), 4);
}

#[test]
fn bad_env_files_are_usage_errors() {
    let env = TestEnv::standalone(Backend::Sqlite);
    let file = env.dir.path().join(".env");
    std::fs::write(&file, "DB_CLIENT=oracledb\n").unwrap();
    let err = list_in(&env).arg("--env-file").arg(&file).code(2).err();
    // Under --format json the error is one JSON object.
    let want = "DB_CLIENT=\\\"oracledb\\\" is not supported";
    assert!(err.contains(want), "{err}");
    list_in(&env)
        .args(["--env-file", "/nonexistent/.env"])
        .code(2);
    std::fs::write(&file, "DB_CLIENT=sqlite3\n").unwrap();
    list_in(&env).arg("--env-file").arg(&file).code(2);
}

/// Four databases told apart by one user each, to see which one roster opened.
fn marked(env: &TestEnv, name: &str) -> String {
    let url = env
        .dir
        .path()
        .join(format!("{name}.db"))
        .display()
        .to_string();
    env.bare(["-d", &url, "init"]).succeeds();
    let email = format!("{name}@example.com");
    env.bare(["-d", &url, "invite", &email, "--role", "Administrator"])
        .succeeds();
    url
}

#[test]
fn the_database_is_chosen_by_the_command_line_then_dot_env_then_database_url_then_config() {
    let env = TestEnv::empty(Backend::Sqlite);
    let d = env.dir.path();
    let [flag, roster_env, database_env, env_file_db, config_db] =
        ["flag", "rosterenv", "databaseenv", "envfile", "config"].map(|name| marked(&env, name));
    let dot_env = format!("DB_CLIENT=sqlite3\nDB_FILENAME={env_file_db}\n");
    std::fs::write(d.join(".env"), dot_env).unwrap();
    let toml = format!("database_url = \"sqlite:{config_db}\"\n");
    std::fs::write(d.join("roster.toml"), toml).unwrap();
    let run = |args: &[&str], vars: &[(&str, &str)]| {
        let run = list_in(&env).args(["--config", "roster.toml"]).args(args);
        let run = vars.iter().fold(run, |run, (k, v)| run.env(k, v));
        emails(&run.succeeds())
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
    // The project's Directus .env wins over DATABASE_URL, which Directus never reads.
    assert_eq!(run(&[], &all[1..]), ["envfile@example.com"]);
    assert_eq!(run(&[], &[]), ["envfile@example.com"]);
    std::fs::remove_file(d.join(".env")).unwrap();
    assert_eq!(run(&[], &all[1..]), ["databaseenv@example.com"]);
    assert_eq!(run(&[], &[]), ["config@example.com"]);
}

#[test]
fn which_source_was_used_is_said_whenever_another_was_passed_over() {
    let env = TestEnv::empty(Backend::Sqlite);
    let (a, b) = (marked(&env, "a"), marked(&env, "b"));
    let said = "using the database named by -d; also named, and passed over: DATABASE_URL\n";
    for verbosity in [&[][..], &["-v"]] {
        list_in(&env)
            .args(verbosity)
            .args(["-d", &a])
            .env("DATABASE_URL", &b)
            .succeeds()
            .stderr(said);
    }
    list_in(&env)
        .args(["-q", "-d", &a])
        .env("DATABASE_URL", &b)
        .succeeds()
        .stderr("");
}

#[test]
fn a_subfolder_of_a_directus_project_works_on_the_project_s_database() {
    let env = TestEnv::empty(Backend::Sqlite);
    let project = marked(&env, "project");
    let d = env.dir.path();
    std::fs::write(
        d.join(".env"),
        "DB_CLIENT=sqlite3\nDB_FILENAME=project.db\n",
    )
    .unwrap();
    let sub = d.join("extensions").join("hooks");
    std::fs::create_dir_all(&sub).unwrap();
    // A .env of something else on the way up is no Directus project's.
    std::fs::write(d.join("extensions").join(".env"), "API_KEY=x\n").unwrap();
    let ran = list_in(&env).current_dir(&sub).succeeds();
    assert_eq!(emails(&ran), ["project@example.com"]);
    let dot_env = d.canonicalize().unwrap().join(".env");
    ran.stderr(&format!(
        "using the database named by {} (the Directus .env of a parent folder)\n",
        dot_env.display()
    ));
    assert!(
        !sub.join("roster.db").exists(),
        "no roster.db made in the subfolder"
    );
    assert!(std::path::Path::new(&project).exists());
}

#[test]
fn an_empty_database_name_is_a_usage_error_and_creates_nothing() {
    let env = TestEnv::empty(Backend::Sqlite);
    for (args, var, what) in [
        (&["-d", ""][..], None, "-d/--database-url"),
        (&[], Some("DATABASE_URL"), "DATABASE_URL"),
        (&[], Some("ROSTER_DATABASE_URL"), "ROSTER_DATABASE_URL"),
    ] {
        let run = env.bare(["list"]).args(args);
        let run = match var {
            Some(var) => run.env(var, ""),
            None => run,
        };
        run.code(2).stderr(&format!(
            "error: {what} is empty: name a database (sqlite:PATH, a file path, postgres://... or mysql://...)\n"
        ));
        assert!(!env.dir.path().join("roster.db").exists(), "{what}");
    }
}

#[test]
fn a_config_file_with_a_database_password_that_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::empty(Backend::Sqlite);
    let config = env.dir.path().join("roster.toml");
    std::fs::write(
        &config,
        "database_url = \"postgres://u:pw@127.0.0.1:1/x?sslmode=disable\"\n",
    )
    .unwrap();
    let warning = "holds a database password and others can read it";
    for (mode, warned) in [(0o644, true), (0o600, false)] {
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(mode)).unwrap();
        let err = list_in(&env).arg("--config").arg(&config).code(6).err();
        assert_eq!(err.contains(warning), warned, "{mode:o}: {err}");
        assert!(!err.contains(":pw@"), "{err}");
    }
}

#[test]
fn a_locked_sqlite_file_is_waited_for_then_exit_6() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    env.user_with_status("ed@example.com", "Editor", "active");
    let conn = rusqlite::Connection::open(&env.url).unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let ran = env
        .roster(["--busy-timeout", "300", "suspend", "ed@example.com"])
        .code(6);
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(250),
        "{waited:?}"
    );
    ran.stderr(&format!(
        "error: the database {} is locked by another process (waited 300 ms; see --busy-timeout)\n",
        env.url
    ));
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(env.status_of("ed@example.com"), "active");
}

each_db!(statuses_roster_does_not_own_are_shown_and_guarded);
fn statuses_roster_does_not_own_are_shown_and_guarded(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("ed@example.com", "Editor", "unverified");
    let users = env.roster(["list", "--format", "json"]).succeeds().json();
    let ed = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "ed@example.com")
        .unwrap();
    assert_eq!(ed["status"], "unverified");
    let ran = env
        .roster(["list", "--status", "unverified", "--format", "json"])
        .succeeds();
    assert_eq!(emails(&ran), ["ed@example.com"]);
    // Directus's public registration: suspend blocks an unverified user.
    env.roster(["suspend", "ed@example.com"])
        .succeeds()
        .stderr("suspended ed@example.com (was unverified)\n");
    env.roster(["soft-delete", "ed@example.com", "--yes"])
        .succeeds();
    assert_eq!(env.status_of("ed@example.com"), "deleted");
}

#[test]
fn a_database_file_roster_makes_is_readable_by_its_owner_only() {
    // It holds plaintext tokens; SQLite gives its journals the same permissions.
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::empty(Backend::Sqlite);
    env.roster(["init"]).succeeds();
    env.roster(["invite", "ann@example.com", "--role", "Administrator"])
        .succeeds();
    let mode = std::fs::metadata(&env.url).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

#[test]
fn a_config_file_others_can_change_is_warned_about() {
    // Whoever can change it chooses the database roster writes to.
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::empty(Backend::Sqlite);
    let config = env.dir.path().join("roster.toml");
    std::fs::write(
        &config,
        "database_url = \"postgres://u@127.0.0.1:1/x?sslmode=disable\"\n",
    )
    .unwrap();
    let warning = format!(
        "warning: others can change {}, which chooses the database roster writes to (chmod 600 it)",
        config.display()
    );
    for (mode, warned) in [(0o666, true), (0o620, true), (0o644, false), (0o600, false)] {
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(mode)).unwrap();
        let err = list_in(&env).arg("--config").arg(&config).code(6).err();
        assert_eq!(err.contains(&warning), warned, "{mode:o}: {err}");
    }
}

#[test]
fn a_parent_folder_s_dot_env_others_can_change_is_passed_over_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::empty(Backend::Sqlite);
    marked(&env, "project");
    let d = env.dir.path();
    let dot_env = d.join(".env");
    std::fs::write(&dot_env, "DB_CLIENT=sqlite3\nDB_FILENAME=project.db\n").unwrap();
    std::fs::set_permissions(&dot_env, std::fs::Permissions::from_mode(0o666)).unwrap();
    let sub = d.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let shown = d.canonicalize().unwrap().join(".env").display().to_string();
    env.bare(["--no-input", "-q", "list", "--format", "json"])
        .current_dir(&sub)
        .env("DATABASE_URL", sub.join("other.db").display().to_string())
        .code(6)
        .stderr(&format!(
            "warning: {shown} names a database, but it is not yours or others can change it: passed over (--env-file {shown} uses it)\n\
             {{\"error\":\"database file {other} does not exist (run `roster init -d {other}` to create it)\",\"exit_code\":6,\"hints\":[]}}\n",
            other = sub.canonicalize().unwrap().join("other.db").display()
        ));
}
