//! Passwords and static tokens: setting, clearing, uniqueness.
use crate::common::{Via, each_db};

use super::*;

/// The standalone schema with an Editor role and one editor in `status`, with a session.
fn editor_in(b: Via, status: Status) -> (TestEnv, Box<dyn Repo>, User) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let u = add_user(r.as_mut(), "ed@example.com", &editor, status);
    env.add_session("ed-session", &u.id);
    (env, r, u)
}

each_db!(set_password_activates_an_invited_user, poolers);
fn set_password_activates_an_invited_user(b: Via) {
    let (env, mut r, invited) = editor_in(b, Status::Invited);
    let hash = real_hash();
    let set = r.set_password("ED@example.com", hash, &plain());
    let (from, user) = done(set.expect("set_password"));
    assert_eq!(from, Status::Invited);
    assert_eq!(user.status, "active");
    assert!(user.has_password);
    let stored = column(&env, &invited.id, "password").expect("password stored");
    assert_eq!(stored, hash);
    assert!(roster::password::verify("Correct-Horse-9!", &stored));
    let status = column(&env, &invited.id, "status");
    assert_eq!(status.as_deref(), Some("active"));
    assert_eq!(sessions_of(&env, &invited.id), 0, "sessions end");
}

each_db!(set_password_activates_a_draft_user, poolers);
fn set_password_activates_a_draft_user(b: Via) {
    let (_env, mut r, draft) = editor_in(b, Status::Draft);
    let (from, user) = done(r.set_password(&draft.id, HASH2, &plain()).expect("draft"));
    assert_eq!(from, Status::Draft);
    assert_eq!(user.status, "active");
}

each_db!(
    set_password_on_an_active_user_changes_only_the_password,
    poolers
);
fn set_password_on_an_active_user_changes_only_the_password(b: Via) {
    let (env, mut r, active) = editor_in(b, Status::Active);
    let set = r.set_password(&active.id, HASH2, &plain());
    let (from, user) = done(set.expect("active"));
    assert_eq!(from, Status::Active);
    assert_eq!(user.status, "active");
    assert_eq!(column(&env, &active.id, "password").as_deref(), Some(HASH2));
    assert_eq!(sessions_of(&env, &active.id), 0, "sessions end");
}

each_db!(set_password_keeps_a_suspended_user_suspended, poolers);
fn set_password_keeps_a_suspended_user_suspended(b: Via) {
    let (env, mut r, susp) = editor_in(b, Status::Active);
    r.change_status(&susp.id, Change::Suspend, &plain())
        .expect("suspend");
    r.set_password(&susp.id, HASH2, &plain())
        .expect("suspended");
    let status = column(&env, &susp.id, "status");
    assert_eq!(status.as_deref(), Some("suspended"));
}

each_db!(set_password_refuses_deleted_and_unknown_users, poolers);
fn set_password_refuses_deleted_and_unknown_users(b: Via) {
    // A deleted user is a conflict; an unknown one is not found.
    let (env, mut r, gone) = editor_in(b, Status::Active);
    r.change_status(&gone.id, Change::SoftDelete, &plain())
        .expect("delete");
    refused("deleted", 4, r.set_password(&gone.id, HASH, &plain()));
    assert_eq!(column(&env, &gone.id, "password"), None);
    let missing = r.set_password("nobody@example.com", HASH, &plain());
    refused("missing", 3, missing);
}

const TOKEN_A: &str = "token-A-0123456789abcdefghijklmnopqrstuv";
const TOKEN_B: &str = "token-B-0123456789abcdefghijklmnopqrstuv";

/// The standalone schema with two active editors, one@ (with a session) and two@.
fn two_editors(b: Via) -> (TestEnv, Box<dyn Repo>, User, User) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let u1 = add_user(r.as_mut(), "one@example.com", &editor, Status::Active);
    let u2 = add_user(r.as_mut(), "two@example.com", &editor, Status::Active);
    env.add_session("one-session", &u1.id);
    (env, r, u1, u2)
}

each_db!(set_token_stores_plaintext_and_ends_sessions, poolers);
fn set_token_stores_plaintext_and_ends_sessions(b: Via) {
    let (env, mut r, u1, _) = two_editors(b);
    let set = r.set_token("ONE@example.com", Some(TOKEN_A), &plain());
    let (_, user) = done(set.expect("set"));
    assert!(user.has_token);
    let stored = column(&env, &u1.id, "token");
    assert_eq!(stored.as_deref(), Some(TOKEN_A), "stored as plaintext");
    assert_eq!(sessions_of(&env, &u1.id), 0, "sessions end");

    // The same token again changes nothing: the new session stays.
    env.add_session("two-session", &u1.id);
    let before = env.dump();
    let again = r.set_token(&u1.id, Some(TOKEN_A), &plain());
    assert!(matches!(
        again.expect("same again"),
        Changed::AlreadyThere(_)
    ));
    assert_eq!(env.dump(), before, "nothing written");
    // Another token replaces it, and the session ends.
    done(
        r.set_token(&u1.id, Some(TOKEN_B), &plain())
            .expect("replace"),
    );
    assert_eq!(column(&env, &u1.id, "token").as_deref(), Some(TOKEN_B));
    assert_eq!(sessions_of(&env, &u1.id), 0, "sessions end");
}

each_db!(a_token_belongs_to_one_user_until_cleared, poolers);
fn a_token_belongs_to_one_user_until_cleared(b: Via) {
    let (env, mut r, u1, u2) = two_editors(b);
    r.set_token(&u1.id, Some(TOKEN_A), &plain()).expect("set");
    // Another user cannot take it.
    let err = refused("taken", 4, r.set_token(&u2.id, Some(TOKEN_A), &plain()));
    assert!(
        !err.to_string().contains(TOKEN_A),
        "the token never shows in errors"
    );
    assert_eq!(column(&env, &u2.id, "token"), None);

    // Cleared, and then free for another.
    let (_, user) = done(r.set_token(&u1.id, None, &plain()).expect("clear"));
    assert!(!user.has_token);
    assert_eq!(column(&env, &u1.id, "token"), None);
    let now_free = r.set_token(&u2.id, Some(TOKEN_A), &plain());
    assert!(done(now_free.expect("now free")).1.has_token);
}

each_db!(set_token_refuses_deleted_and_unknown_users, poolers);
fn set_token_refuses_deleted_and_unknown_users(b: Via) {
    let (_env, mut r, u1, _) = two_editors(b);
    r.change_status(&u1.id, Change::SoftDelete, &plain())
        .expect("delete");
    refused("deleted", 4, r.set_token(&u1.id, Some(TOKEN_B), &plain()));
    refused("missing", 3, r.set_token("x@example.com", None, &plain()));
}

each_db!(set_token_is_unique_on_directus, poolers);
fn set_token_is_unique_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let taken = r.set_token("admin@example.com", Some(EDITOR_TOKEN), &plain());
        refused(label, 4, taken);
        let admin = find(r.as_mut(), "admin@example.com");
        assert!(!admin.has_token, "{label}");
        let cleared = r.set_token("editor@example.com", None, &plain());
        let (_, user) = done(cleared.expect("clear"));
        assert!(!user.has_token, "{label}");
        assert_eq!(column(&env, EDITOR_ID, "token"), None, "{label}");
        r.set_token("admin@example.com", Some(EDITOR_TOKEN), &plain())
            .expect("free now");
        assert_eq!(
            column(&env, &admin.id, "token").as_deref(),
            Some(EDITOR_TOKEN),
            "{label}"
        );
    }
}
