//! Crash trials: roster killed with SIGKILL at random moments while it writes.
//! Each time the database holds all of the change or none of it, SQLite's
//! integrity check passes, audit rows match user rows, and roster works after.

use crate::common::*;
use crate::common::{Via, each_db};
use std::process::Stdio;
use std::time::Duration;

const ROWS: usize = 4000;

/// A pseudo-random delay in `0..max` ms, different for each trial (no extra crate).
fn delay(trial: usize, max: u64) -> Duration {
    let seed = (trial as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ std::process::id() as u64;
    Duration::from_millis((seed >> 17) % max)
}

/// Users created, and created-user audit rows: equal after every trial.
fn counts(env: &TestEnv) -> (i64, i64) {
    let users = env.count("SELECT count(*) FROM directus_users WHERE email LIKE 'crash%'");
    let audited = env.count(
        "SELECT count(*) FROM directus_activity a JOIN directus_users u ON CAST(u.id AS TEXT) = a.item \
         WHERE a.action = 'create' AND u.email LIKE 'crash%'",
    );
    (users, audited)
}

fn check_whole(env: &TestEnv, what: &str) {
    let (users, audited) = counts(env);
    assert!(
        users == 0 || users == ROWS as i64,
        "{what}: a torn import of {users} rows"
    );
    assert_eq!(users, audited, "{what}: every user has its audit row");
    if env.backend == Backend::Sqlite {
        assert_eq!(
            env.value("PRAGMA integrity_check").as_deref(),
            Some("ok"),
            "{what}"
        );
    }
    env.roster(["list", "--count"]).succeeds();
}

each_db!(an_import_killed_at_any_moment_is_all_or_nothing);
fn an_import_killed_at_any_moment_is_all_or_nothing(b: Via) {
    let env = TestEnv::standalone(b);
    let mut csv = String::from("email,first_name\n");
    for i in 0..ROWS {
        csv.push_str(&format!("crash{i}@example.com,User {i}\n"));
    }
    let file = env.dir.path().join("crash.csv");
    std::fs::write(&file, csv).unwrap();
    for trial in 0..12 {
        let mut child = env
            .std_cmd()
            .args(["import", "--role", "Administrator", "--on-conflict", "skip"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start import");
        std::thread::sleep(delay(trial, 1500));
        let _ = child.kill();
        let _ = child.wait();
        check_whole(&env, &format!("trial {trial}"));
    }
}

each_db!(writing_commands_killed_at_any_moment_leave_whole_rows);
fn writing_commands_killed_at_any_moment_leave_whole_rows(b: Via) {
    let env = TestEnv::directus11(b);
    let commands: [&[&str]; 7] = [
        &["suspend", "editor@example.com"],
        &["unsuspend", "suspended@example.com"],
        &["set-token", "editor@example.com"],
        &["edit", "editor@example.com", "--title", "Killed"],
        &["soft-delete", "editor@example.com", "--yes"],
        &[
            "create",
            "crash@example.com",
            "--role",
            "Editor",
            "--random-password",
        ],
        &["invite", "crash@example.com", "--role", "Editor"],
    ];
    for (trial, args) in commands.iter().cycle().take(21).enumerate() {
        // stdout is a pipe: a generated secret must have somewhere to go, or
        // roster refuses before it writes anything and the trial proves nothing.
        let mut child = env
            .std_cmd()
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start");
        std::thread::sleep(delay(trial, 60));
        let _ = child.kill();
        let _ = child.wait();
        if b == Backend::Sqlite {
            assert_eq!(env.value("PRAGMA integrity_check").as_deref(), Some("ok"));
        }
        // Each audited change has both its rows: no activity without a revision.
        let orphans = env.count(
                "SELECT count(*) FROM directus_activity a LEFT JOIN directus_revisions r ON r.activity = a.id \
                 WHERE r.id IS NULL AND a.user_agent LIKE 'roster/%'",
            );
        assert_eq!(orphans, 0, "trial {trial} {args:?}");
        env.roster(["show", "editor@example.com"]).succeeds();
        assert_eq!(counts(&env).0, counts(&env).1, "trial {trial} {args:?}");
    }
}

/// What every command says on a database where `init` stopped midway.
fn incomplete(missing: &str) -> String {
    format!(
        "error: roster's schema is incomplete: {missing} are missing (a `roster init` that stopped midway)\n\
         hint: run `roster init` again: it makes the missing tables and finishes\n"
    )
}

/// Every command refuses the half-made schema (exit 6), init finishes it, and
/// afterwards writes leave their audit rows as on any roster database.
fn finish_and_use(env: &TestEnv, missing: &str) {
    for args in [
        &["list"][..],
        &["doctor"],
        &["invite", "a@example.com", "--role", "Administrator"],
    ] {
        let ran = env.roster(args).keeps_db().code(6);
        assert!(
            ran.err().ends_with(&incomplete(missing)),
            "{args:?}: {}",
            ran.err()
        );
        ran.db_unchanged();
    }
    env.roster(["init"]).succeeds();
    env.roster(["invite", "a@example.com", "--role", "Administrator"])
        .succeeds();
    assert_eq!(
        env.count("SELECT count(*) FROM directus_activity WHERE action = 'create'"),
        1,
        "the write was audited"
    );
}

each_db!(a_half_made_schema_is_refused_by_every_command_and_finished_by_init);
fn a_half_made_schema_is_refused_by_every_command_and_finished_by_init(b: Via) {
    let env = TestEnv::standalone(b);
    // As a MariaDB init killed after its fourth table leaves it (DDL commits there).
    for table in [
        "directus_revisions",
        "directus_activity",
        "directus_sessions",
        "directus_settings",
    ] {
        env.exec(&format!("DROP TABLE {table}"));
    }
    env.exec("DELETE FROM directus_access");
    env.exec("DELETE FROM directus_policies");
    env.exec("DELETE FROM directus_roles");
    finish_and_use(
        &env,
        "directus_settings, directus_sessions, directus_activity, directus_revisions",
    );
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn a_mariadb_init_killed_midway_is_finished_by_the_next_init() {
    let env = TestEnv::empty(Via::MYSQL.require());
    let gate = env.dir.path().join("gate");
    let mut init = env
        .std_cmd()
        .arg("init")
        .env("ROSTER_PAUSE_INIT_MIDWAY", &gate)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start init");
    wait_for_pause(&gate, &mut init);
    init.kill().expect("kill init");
    init.wait().expect("reap init");
    finish_and_use(
        &env,
        "directus_access, directus_settings, directus_sessions, directus_activity, directus_revisions",
    );
}

each_db!(an_init_stopped_between_its_tables_and_its_seed_is_finished);
fn an_init_stopped_between_its_tables_and_its_seed_is_finished(b: Via) {
    let env = TestEnv::standalone(b);
    for table in [
        "directus_access",
        "directus_policies",
        "directus_roles",
        "directus_settings",
    ] {
        env.exec(&format!("DELETE FROM {table}"));
    }
    env.roster(["init"]).succeeds();
    env.roster(["invite", "a@example.com", "--role", "Administrator"])
        .succeeds();
    // A seeded one is refused as before.
    env.roster(["init"]).fails(4);
}
