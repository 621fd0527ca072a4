//! `--dry-run` changes nothing for any mutating command.

use super::*;

/// Runs a `--dry-run` command: it succeeds, says what it would have done, and changes nothing.
fn dry(env: &TestEnv, args: &[&str], stdin: Option<&str>) -> assert_cmd::assert::Assert {
    let before = snapshot(env);
    let mut cmd = env.cmd();
    cmd.args(args).arg("--dry-run");
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let a = cmd.assert().code(0);
    let err = stderr_of(&a);
    assert!(
        err.contains("dry run: would have") && err.contains("nothing was changed"),
        "{:?}: {args:?}: {err}",
        env.backend
    );
    assert_eq!(
        snapshot(env),
        before,
        "{:?}: {args:?} --dry-run changed the database",
        env.backend
    );
    a
}

each_db!(dry_run_changes_nothing_for_every_mutating_command);
fn dry_run_changes_nothing_for_every_mutating_command(b: Via) {
    let env = populated(b);
    env.user_with_status("ed@example.com", "Editor", "active");
    env.user_with_status("inv@example.com", "Editor", "invited");
    env.user_with_status("sus@example.com", "Editor", "suspended");
    env.user_with_status("del@example.com", "Editor", "deleted");
    let tok = env.user_with_status("tok@example.com", "Editor", "active");
    env.exec(&format!(
                "UPDATE directus_users SET token = 'dry-token-0123456789abcdef0123456789' WHERE id = '{tok}'"
            ));
    let ed = env.id_of("ed@example.com");
    env.add_session("sess-ed", &ed);

    dry(
        &env,
        &[
            "create",
            "new@example.com",
            "--role",
            "Editor",
            "--password-stdin",
        ],
        Some(PW),
    );
    let a = dry(
        &env,
        &[
            "create",
            "new@example.com",
            "--role",
            "Editor",
            "--random-password",
        ],
        None,
    );
    assert_eq!(
        stdout_of(&a),
        "",
        "no password is shown for a user that was not made"
    );
    dry(
        &env,
        &["create", "DEL@example.com", "--password-stdin"],
        Some(PW),
    );
    dry(
        &env,
        &["invite", "new@example.com", "--role", "Editor"],
        None,
    );
    dry(&env, &["invite", "del@example.com"], None);
    dry(
        &env,
        &["activate", "inv@example.com", "--password-stdin"],
        Some(PW),
    );
    dry(
        &env,
        &["set-password", "ed@example.com", "--password-stdin"],
        Some(PW),
    );
    dry(
        &env,
        &["suspend", "ed@example.com", "inv@example.com"],
        None,
    );
    dry(&env, &["unsuspend", "sus@example.com"], None);
    dry(
        &env,
        &["soft-delete", "--yes", "ed@example.com", "tok@example.com"],
        None,
    );
    let a = dry(&env, &["set-token", "ed@example.com"], None);
    assert_eq!(stdout_of(&a), "", "no token is shown when none was set");
    dry(
        &env,
        &["set-token", "ed@example.com", "--stdin"],
        Some("dry-token-abcdefghijklmnopqrstuvwxyz\n"),
    );
    dry(&env, &["set-token", "tok@example.com", "--clear"], None);
    dry(&env, &["roles", "create", "Viewer"], None);
    dry(
        &env,
        &["roles", "create", "Boss", "--admin", "--app-access"],
        None,
    );

    let a = dry(
        &env,
        &[
            "invite",
            "json@example.com",
            "--role",
            "Editor",
            "--format",
            "json",
        ],
        None,
    );
    let out = json_of(&a);
    assert_eq!(out["dry_run"], true);
    assert_eq!(out["result"], "created");
    assert_eq!(out["user"]["email"], "json@example.com");
}

each_db!(dry_run_of_init_creates_nothing);
fn dry_run_of_init_creates_nothing(b: Via) {
    let env = TestEnv::empty(b);
    let a = env.cmd().args(["init", "--dry-run"]).assert().code(0);
    let err = stderr_of(&a);
    assert!(
        err.starts_with("dry run: would have created") && err.contains("nothing was changed"),
        "{err}"
    );
    match b.backend {
        Backend::Sqlite => assert!(!Path::new(&env.url).exists(), "the file was created"),
        Backend::Postgres | Backend::Mysql => {
            assert_eq!(env.dump(), "", "tables were created")
        }
    }
}
