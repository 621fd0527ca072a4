//! `sessions list` and `sessions revoke`.

use super::*;

/// The Directus fixture with two sessions of the editor.
fn with_two_sessions(b: Via) -> TestEnv {
    let env = TestEnv::directus11(b);
    env.add_session("secret-session-token-1", EDITOR_ID);
    env.add_session("secret-session-token-2", EDITOR_ID);
    env
}

each_db!(sessions_are_listed_without_tokens_and_revoked_without_touching_passwords);
fn sessions_are_listed_without_tokens_and_revoked_without_touching_passwords(b: Via) {
    let env = with_two_sessions(b);
    let hash = env.col("editor@example.com", "password");
    env.roster([
        "sessions",
        "revoke",
        "editor@example.com",
        "admin@example.com",
    ])
    .succeeds()
    .stderr("ended 2 sessions of editor@example.com\nended 0 sessions of admin@example.com\n");
    assert_eq!(env.count("SELECT count(*) FROM directus_sessions"), 0);
    assert_eq!(env.col("editor@example.com", "password"), hash);
    assert_eq!(env.status_of("editor@example.com"), "active");
    env.roster(["sessions", "revoke", "nobody@example.com"])
        .code(3);
}

each_db!(sessions_are_listed_with_their_expiry_and_never_their_tokens);
fn sessions_are_listed_with_their_expiry_and_never_their_tokens(b: Via) {
    let env = with_two_sessions(b);
    let ran = env
        .roster(["sessions", "list", "editor@example.com", "--format", "json"])
        .succeeds();
    let out = ran.out();
    assert!(!out.contains("secret-session-token"), "{out}");
    let json = ran.json();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(json[0]["email"], "editor@example.com");
    // TestEnv::add_session's expiry: a MySQL timestamp ends in 2038.
    let expires = match b.backend {
        Backend::Mysql => "2038-01-01T00:00:00Z",
        _ => "2100-01-01T00:00:00Z",
    };
    assert_eq!(json[0]["expires"], expires);
    env.roster(["sessions", "list", "admin@example.com"])
        .succeeds()
        .stderr("no sessions\n");
}
