//! `--dry-run` changes nothing for any mutating command.

use super::*;
use crate::common::Ran;

/// Runs a `--dry-run` command: it succeeds, says what it would have done, and changes nothing.
fn dry<'a>(env: &'a TestEnv, args: &[&str], stdin: &str) -> Ran<'a> {
    let ran = env
        .roster(args)
        .arg("--dry-run")
        .stdin(stdin)
        .keeps_db()
        .succeeds();
    let err = ran.err();
    assert!(
        err.contains("dry run: would have") && err.contains("nothing was changed"),
        "{args:?} on {}: {err}",
        env.via
    );
    ran.db_unchanged();
    ran
}

/// [`populated`] plus a user in each status, one with a token and one with a session.
fn users_in_every_status(b: Via) -> TestEnv {
    let env = populated(b);
    let ed = env.user_with_status("ed@example.com", "Editor", "active");
    env.user_with_status("inv@example.com", "Editor", "invited");
    env.user_with_status("sus@example.com", "Editor", "suspended");
    env.user_with_status("del@example.com", "Editor", "deleted");
    let tok = env.user_with_status("tok@example.com", "Editor", "active");
    env.exec(&format!(
        "UPDATE directus_users SET token = 'dry-token-0123456789abcdef0123456789' WHERE id = '{tok}'"
    ));
    env.add_session("sess-ed", &ed);
    env
}

each_db!(dry_run_changes_nothing_when_creating_or_reviving_users);
fn dry_run_changes_nothing_when_creating_or_reviving_users(b: Via) {
    let env = users_in_every_status(b);
    dry(
        &env,
        &[
            "create",
            "new@example.com",
            "--role",
            "Editor",
            "--password-stdin",
        ],
        PW,
    );
    let ran = dry(
        &env,
        &[
            "create",
            "new@example.com",
            "--role",
            "Editor",
            "--random-password",
        ],
        "",
    );
    let out = ran.out();
    assert_eq!(out, "", "no password is shown for a user that was not made");
    dry(&env, &["create", "DEL@example.com", "--password-stdin"], PW);
    dry(&env, &["invite", "new@example.com", "--role", "Editor"], "");
    dry(&env, &["invite", "del@example.com"], "");

    let json = [
        "invite",
        "json@example.com",
        "--role",
        "Editor",
        "--format",
        "json",
    ];
    let out = dry(&env, &json, "").json();
    assert_eq!(out["dry_run"], true);
    assert_eq!(out["result"], "created");
    assert_eq!(out["user"]["email"], "json@example.com");
}

each_db!(dry_run_changes_nothing_when_setting_passwords_and_tokens);
fn dry_run_changes_nothing_when_setting_passwords_and_tokens(b: Via) {
    let env = users_in_every_status(b);
    dry(
        &env,
        &["activate", "inv@example.com", "--password-stdin"],
        PW,
    );
    dry(
        &env,
        &["set-password", "ed@example.com", "--password-stdin"],
        PW,
    );
    let ran = dry(&env, &["set-token", "ed@example.com"], "");
    assert_eq!(ran.out(), "", "no token is shown when none was set");
    let token = "dry-token-abcdefghijklmnopqrstuvwxyz\n";
    dry(&env, &["set-token", "ed@example.com", "--stdin"], token);
    dry(&env, &["set-token", "tok@example.com", "--clear"], "");
}

each_db!(dry_run_changes_nothing_when_changing_statuses_or_making_roles);
fn dry_run_changes_nothing_when_changing_statuses_or_making_roles(b: Via) {
    let env = users_in_every_status(b);
    dry(&env, &["suspend", "ed@example.com", "inv@example.com"], "");
    dry(&env, &["unsuspend", "sus@example.com"], "");
    dry(
        &env,
        &["soft-delete", "--yes", "ed@example.com", "tok@example.com"],
        "",
    );
    dry(&env, &["roles", "create", "Viewer"], "");
    dry(
        &env,
        &["roles", "create", "Boss", "--admin", "--app-access"],
        "",
    );
}

each_db!(dry_run_of_init_creates_nothing);
fn dry_run_of_init_creates_nothing(b: Via) {
    let env = TestEnv::empty(b);
    let ran = env.roster(["init", "--dry-run"]).succeeds();
    let err = ran.err();
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
