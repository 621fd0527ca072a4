//! Directus sessions: a user's password, status and token changes end that
//! user's sessions and no one else's.

use super::*;

each_fixture!(password_status_and_token_changes_end_the_users_sessions);
fn password_status_and_token_changes_end_the_users_sessions(env: &TestEnv) {
    let admin = user_id(env, "admin@example.com");
    let suspended = user_id(env, "suspended@example.com");
    insert_session(env, "admin-session", &admin);

    insert_session(env, "editor-1", EDITOR_ID);
    with_password(
        env,
        "Changed!Pass45",
        &["set-password", "editor@example.com"],
    )
    .succeeds();
    assert_eq!(sessions_of(env, EDITOR_ID), 0, "set-password");

    insert_session(env, "editor-2", EDITOR_ID);
    env.roster(["set-token", "editor@example.com"]).succeeds();
    assert_eq!(sessions_of(env, EDITOR_ID), 0, "set-token");

    insert_session(env, "editor-3", EDITOR_ID);
    env.roster(["suspend", "editor@example.com"]).succeeds();
    assert_eq!(sessions_of(env, EDITOR_ID), 0, "suspend");

    insert_session(env, "suspended-1", &suspended);
    env.roster(["unsuspend", "suspended@example.com"])
        .succeeds();
    assert_eq!(sessions_of(env, &suspended), 0, "unsuspend");

    assert_eq!(
        session_tokens(env),
        [[Some("admin-session".to_string())]],
        "other users' sessions stay"
    );
}
