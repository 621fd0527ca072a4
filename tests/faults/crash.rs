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
