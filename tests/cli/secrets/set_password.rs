//! `set-password`.

use super::*;

/// `set-password USER --password-stdin` reading [`PW`].
fn set_password<'a>(env: &'a TestEnv, user: &str) -> Run<'a> {
    env.roster(["set-password", user, "--password-stdin"])
        .stdin(format!("{PW}\n"))
}

each_db!(set_password_replaces_the_hash_and_ends_sessions);
fn set_password_replaces_the_hash_and_ends_sessions(b: Via) {
    let env = TestEnv::standalone(b);
    let id = active_user(&env, "pw@example.com");
    let other = active_user(&env, "other@example.com");
    env.add_session("sess-a", &id);
    env.add_session("sess-b", &id);
    env.add_session("sess-other", &other);
    set_password(&env, "PW@example.com")
        .succeeds()
        .stderr("set the password of pw@example.com\n")
        .stdout("");
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
    env.roster(["invite", "inv@example.com", "--role", "Administrator"])
        .succeeds();
    set_password(&env, "inv@example.com")
        .succeeds()
        .stderr("set the password of inv@example.com and activated the user\n");
    assert_eq!(
        env.col("inv@example.com", "status").as_deref(),
        Some("active"),
    );

    env.roster(["invite", "gone@example.com", "--role", "Administrator"])
        .succeeds();
    env.roster(["soft-delete", "gone@example.com", "--yes"])
        .succeeds();
    set_password(&env, "gone@example.com")
        .fails(4)
        .stderr(
            "error: cannot set a password for gone@example.com: the user is deleted (create or invite them \
             again to revive the account)\n",
        )
        .db_unchanged();
}
