//! Soft-deleting and reviving on Directus databases: the row stays as Directus's
//! `archived`, without its credentials and sessions, and create brings it back.

use super::*;

/// The editor with a 2FA secret and two sessions, and the admin with one session.
fn editor_with_secrets_and_sessions(env: &TestEnv) {
    let admin = user_id(env, "admin@example.com");
    env.exec(&format!(
        "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{EDITOR_ID}'"
    ));
    insert_session(env, "editor-session-1", EDITOR_ID);
    insert_session(env, "editor-session-2", EDITOR_ID);
    insert_session(env, "admin-session", &admin);
}

each_fixture!(soft_delete_off_a_terminal_needs_yes);
fn soft_delete_off_a_terminal_needs_yes(env: &TestEnv) {
    editor_with_secrets_and_sessions(env);
    env.roster(["soft-delete", "editor@example.com"])
        .fails(2)
        .db_unchanged();
}

each_fixture!(soft_delete_stores_archived_and_removes_credentials_and_sessions);
fn soft_delete_stores_archived_and_removes_credentials_and_sessions(env: &TestEnv) {
    editor_with_secrets_and_sessions(env);
    let ran = env
        .roster(["soft-delete", "editor@example.com", "--yes"])
        .succeeds();
    assert!(
        ran.err()
            .contains("soft-deleted editor@example.com (was active)"),
        "{}",
        ran.err()
    );
    let row = env.rows(&format!(
        "SELECT status, password, token, tfa_secret, first_name, lower(email) \
         FROM directus_users WHERE id = '{EDITOR_ID}'"
    ));
    let kept = |s: &str| Some(s.to_string());
    assert_eq!(
        row,
        [[
            kept("archived"),
            None,
            None,
            None,
            kept("Eddie"),
            kept("editor@example.com")
        ]]
    );
    assert_eq!(sessions_of(env, EDITOR_ID), 0);
    assert_eq!(
        session_tokens(env),
        [[kept("admin-session")]],
        "another user's session must stay"
    );
}

each_fixture!(a_soft_deleted_user_shows_as_deleted_and_deleting_again_changes_nothing);
fn a_soft_deleted_user_shows_as_deleted_and_deleting_again_changes_nothing(env: &TestEnv) {
    editor_with_secrets_and_sessions(env);
    env.roster(["soft-delete", "editor@example.com", "--yes"])
        .succeeds();
    let shown = shown(env, "editor@example.com");
    assert_eq!(shown["status"], "deleted");
    assert_eq!(shown["password_set"], false);
    assert_eq!(shown["token_set"], false);
    assert_eq!(shown["tfa_enabled"], false);
    let again = env
        .roster(["soft-delete", "editor@example.com", "--yes"])
        .keeps_db()
        .succeeds();
    again.db_unchanged();
    assert!(again.err().contains("already deleted"), "{}", again.err());
}

each_fixture!(a_soft_deleted_users_token_can_be_given_to_someone_else);
fn a_soft_deleted_users_token_can_be_given_to_someone_else(env: &TestEnv) {
    editor_with_secrets_and_sessions(env);
    env.roster(["soft-delete", "editor@example.com", "--yes"])
        .succeeds();
    env.roster(["set-token", "admin@example.com", "--stdin"])
        .stdin(format!("{EDITOR_TOKEN}\n"))
        .succeeds();
}

/// `roster create ARCHIVED@example.com` with a new password, as JSON.
fn revive_archived(env: &TestEnv) -> crate::common::Ran<'_> {
    with_password(
        env,
        NEW_PW,
        &["create", "ARCHIVED@example.com", "--format", "json"],
    )
    .succeeds()
}

each_fixture!(create_of_an_archived_email_reports_the_revival);
fn create_of_an_archived_email_reports_the_revival(env: &TestEnv) {
    let ran = revive_archived(env);
    let restored =
        format!("revived soft-deleted user archived@example.com ({ARCHIVED_ID}) as active");
    assert!(ran.err().contains(&restored), "{}", ran.err());
    let json = ran.json();
    assert_eq!(json["result"], "revived");
    assert_eq!(json["user"]["id"], ARCHIVED_ID);
    assert_eq!(json["user"]["first_name"], "Arch");
    assert_eq!(json["user"]["status"], "active");
}

each_fixture!(create_of_an_archived_email_revives_the_same_row);
fn create_of_an_archived_email_revives_the_same_row(env: &TestEnv) {
    revive_archived(env);
    let rows = env.rows(
        "SELECT CAST(id AS TEXT), email, first_name, last_name, status, CAST(role AS TEXT), provider \
         FROM directus_users WHERE lower(email) = 'archived@example.com'",
    );
    let kept = |s: &str| Some(s.to_string());
    assert_eq!(
        rows,
        [[
            kept(ARCHIVED_ID),
            kept("archived@example.com"),
            kept("Arch"),
            kept("Archived"),
            kept("active"),
            kept(EDITOR_ROLE),
            kept("default"),
        ]],
        "one row, same id, details and role kept"
    );
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 5);
}

each_fixture!(a_revived_user_has_only_the_new_password_and_cannot_be_created_again);
fn a_revived_user_has_only_the_new_password_and_cannot_be_created_again(env: &TestEnv) {
    revive_archived(env);
    let hash = stored_hash(env, "archived@example.com").expect("hash");
    assert!(roster::password::verify(NEW_PW, &hash));
    assert!(!roster::password::verify("ArchivedPass123!", &hash));
    // A second create is now a conflict, not another revival.
    create(env, "archived@example.com", "Editor", NEW_PW).fails(4);
}
