//! `--if-not-exists` makes a create a no-op when the user is there.

use super::*;

each_db!(if_not_exists_is_a_quiet_noop_for_live_users_only);
fn if_not_exists_is_a_quiet_noop_for_live_users_only(b: Via) {
    let env = TestEnv::with_editor(b);
    env.invite("here@example.com", "Editor");
    let before = env.dump();

    // Without the flag: a conflict, whether or not a role is named.
    let a = env
        .cmd()
        .args(["create", "HERE@example.com", "--password-stdin"])
        .write_stdin(PW)
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: a user with email here@example.com already exists (status invited)\n",
    );
    let a = env
        .cmd()
        .args(["invite", "here@example.com", "--role", "Editor"])
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: a user with email here@example.com already exists (status invited)\n",
    );
    assert_eq!(env.dump(), before);

    // With it: exit 0, nothing changed.
    let a = env
        .cmd()
        .args([
            "create",
            "here@example.com",
            "--role",
            "Editor",
            "--if-not-exists",
            "--password-stdin",
        ])
        .write_stdin(PW)
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "a user with email here@example.com already exists (status invited); nothing changed\n",
    );
    let a = env
        .cmd()
        .args([
            "invite",
            "here@example.com",
            "--if-not-exists",
            "--format",
            "json",
        ])
        .assert()
        .code(0);
    let out = json_of(&a);
    assert_eq!(out["result"], "exists");
    assert_eq!(out["user"]["email"], "here@example.com");
    assert_eq!(env.dump(), before);

    // A soft-deleted user does not count as existing: it is revived.
    env.cmd()
        .args(["soft-delete", "here@example.com", "--yes"])
        .assert()
        .code(0);
    let a = env
        .cmd()
        .args(["invite", "here@example.com", "--if-not-exists"])
        .assert()
        .code(0);
    assert!(stderr_of(&a).starts_with("restored soft-deleted user here@example.com"),);
    assert_eq!(env.status_of("here@example.com"), "invited");
    assert_eq!(user_count(&env), 1);
}
