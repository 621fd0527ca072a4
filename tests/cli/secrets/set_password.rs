//! `set-password`.

use super::*;

each_db!(set_password_replaces_the_hash_and_ends_sessions);
fn set_password_replaces_the_hash_and_ends_sessions(b: Via) {
    let env = TestEnv::standalone(b);
    let id = active_user(&env, "pw@example.com");
    let other = active_user(&env, "other@example.com");
    env.add_session("sess-a", &id);
    env.add_session("sess-b", &id);
    env.add_session("sess-other", &other);
    let a = env
        .cmd()
        .args(["set-password", "PW@example.com", "--password-stdin"])
        .write_stdin(format!("{PW}\n"))
        .assert()
        .code(0);
    assert_eq!(stderr_of(&a), "set the password of pw@example.com\n",);
    assert_eq!(stdout_of(&a), "");
    assert!(verify(PW, &hash_of(&env, "pw@example.com")));
    assert_eq!(
        env.col("pw@example.com", "status").as_deref(),
        Some("active"),
    );
    assert_eq!(
        sessions_of(&env, &id),
        Vec::<String>::new(),
        "old sessions end at once"
    );
    assert_eq!(
        sessions_of(&env, &other),
        vec!["sess-other"],
        "other users keep theirs"
    );
}

each_db!(set_password_activates_an_invited_user_and_refuses_a_deleted_one);
fn set_password_activates_an_invited_user_and_refuses_a_deleted_one(b: Via) {
    let env = TestEnv::standalone(b);
    env.cmd()
        .args(["invite", "inv@example.com", "--role", "Administrator"])
        .assert()
        .code(0);
    let a = env
        .cmd()
        .args(["set-password", "inv@example.com", "--password-stdin"])
        .write_stdin(format!("{PW}\n"))
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "set the password of inv@example.com and activated the user\n",
    );
    assert_eq!(
        env.col("inv@example.com", "status").as_deref(),
        Some("active"),
    );

    env.cmd()
        .args(["invite", "gone@example.com", "--role", "Administrator"])
        .assert()
        .code(0);
    env.cmd()
        .args(["soft-delete", "gone@example.com", "--yes"])
        .assert()
        .code(0);
    let before = env.dump();
    let a = env
        .cmd()
        .args(["set-password", "gone@example.com", "--password-stdin"])
        .write_stdin(format!("{PW}\n"))
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: cannot set a password for gone@example.com: the user is deleted (create or invite them \
             again to restore the account)\n",
    );
    assert_eq!(env.dump(), before);
}
