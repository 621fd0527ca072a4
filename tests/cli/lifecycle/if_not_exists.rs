//! `--if-not-exists` makes a create a no-op when the user is there.

use super::*;

const EXISTS: &str = "error: a user with email here@example.com already exists (status invited)\n";

/// An Editor role and an invited here@example.com.
fn with_here(b: Via) -> TestEnv {
    let env = TestEnv::with_editor(b);
    env.invite("here@example.com", "Editor");
    env
}

each_db!(without_if_not_exists_an_existing_user_is_a_conflict);
fn without_if_not_exists_an_existing_user_is_a_conflict(b: Via) {
    let env = with_here(b);
    // Whether or not a role is named.
    env.roster(["create", "HERE@example.com", "--password-stdin"])
        .stdin(PW)
        .fails(4)
        .stderr(EXISTS)
        .db_unchanged();
    // Inviting an invited user again is a re-run, not a conflict.
    env.roster(["invite", "here@example.com", "--role", "Editor"])
        .keeps_db()
        .succeeds()
        .db_unchanged();
}

each_db!(if_not_exists_is_a_quiet_noop_for_live_users_only);
fn if_not_exists_is_a_quiet_noop_for_live_users_only(b: Via) {
    let env = with_here(b);
    env.roster([
        "create",
        "here@example.com",
        "--role",
        "Editor",
        "--if-not-exists",
    ])
    .arg("--password-stdin")
    .stdin(PW)
    .keeps_db()
    .succeeds()
    .stderr("a user with email here@example.com already exists (status invited); nothing changed\n")
    .db_unchanged();
    let ran = env
        .roster([
            "invite",
            "here@example.com",
            "--if-not-exists",
            "--format",
            "json",
        ])
        .keeps_db()
        .succeeds();
    let out = ran.db_unchanged().json();
    assert_eq!(out["result"], "exists");
    assert_eq!(out["user"]["email"], "here@example.com");

    // A soft-deleted user does not count as existing: it is revived.
    env.roster(["soft-delete", "here@example.com", "--yes"])
        .succeeds();
    let ran = env
        .roster(["invite", "here@example.com", "--if-not-exists"])
        .succeeds();
    assert!(
        ran.err()
            .starts_with("revived soft-deleted user here@example.com")
    );
    assert_eq!(env.status_of("here@example.com"), "invited");
    assert_eq!(user_count(&env), 1);
}

each_db!(re_runs_of_invite_forget_and_roles_delete_are_no_ops);
fn re_runs_of_invite_forget_and_roles_delete_are_no_ops(b: Via) {
    let env = TestEnv::directus11(b);
    // An invited user invited again: nothing changes, exit 0.
    env.roster(["invite", "invited@example.com", "--role", "Editor"])
        .keeps_db()
        .succeeds()
        .stderr("a user with email invited@example.com already exists (status invited); nothing changed\n")
        .db_unchanged();
    // An active one is still a conflict.
    env.roster(["invite", "editor@example.com", "--role", "Editor"])
        .fails(4);
    env.roster(["forget", "nobody@example.com", "--if-exists"])
        .keeps_db()
        .succeeds()
        .stderr("no user nobody@example.com; nothing to do\n")
        .db_unchanged();
    env.roster(["forget", "nobody@example.com"]).fails(3);
    env.roster(["roles", "delete", "Ghosts", "--if-exists"])
        .keeps_db()
        .succeeds()
        .stderr("no role \"Ghosts\"; nothing to do\n")
        .db_unchanged();
    env.roster(["roles", "delete", "Ghosts"]).fails(3);
}
