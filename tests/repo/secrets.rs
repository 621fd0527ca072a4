//! Passwords and static tokens: setting, clearing, uniqueness.
use crate::common::{Via, each_db};

use super::*;

each_db!(set_password_activates_invited_and_draft_users, poolers);
fn set_password_activates_invited_and_draft_users(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let invited = add_user(r.as_mut(), "inv@example.com", &editor, Status::Invited);
    env.add_session("inv-session", &invited.id);

    let hash = real_hash();
    match r
        .set_password("INV@example.com", hash, &plain())
        .expect("set_password")
    {
        Changed::Done { from, user } => {
            assert_eq!(from, Status::Invited);
            assert_eq!(user.status, "active");
            assert!(user.has_password);
        }
        other => panic!("{other:?}"),
    }
    let stored = column(&env, &invited.id, "password").expect("password stored");
    assert_eq!(stored, hash);
    assert!(roster::password::verify("Correct-Horse-9!", &stored),);
    assert_eq!(
        column(&env, &invited.id, "status").as_deref(),
        Some("active"),
    );
    assert_eq!(sessions_of(&env, &invited.id), 0, "sessions end");

    let draft = add_user(r.as_mut(), "draft@example.com", &editor, Status::Draft);
    match r.set_password(&draft.id, HASH2, &plain()).expect("draft") {
        Changed::Done { from, user } => {
            assert_eq!(from, Status::Draft);
            assert_eq!(user.status, "active");
        }
        other => panic!("{other:?}"),
    }

    // On an active user only the password changes.
    let active = add_user(r.as_mut(), "act@example.com", &editor, Status::Active);
    env.add_session("act-session", &active.id);
    match r.set_password(&active.id, HASH2, &plain()).expect("active") {
        Changed::Done { from, user } => {
            assert_eq!(from, Status::Active);
            assert_eq!(user.status, "active");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(column(&env, &active.id, "password").as_deref(), Some(HASH2),);
    assert_eq!(sessions_of(&env, &active.id), 0, "sessions end");

    // A suspended user stays suspended.
    let susp = add_user(r.as_mut(), "susp@example.com", &editor, Status::Active);
    r.change_status(&susp.id, Change::Suspend, &plain())
        .expect("suspend");
    r.set_password(&susp.id, HASH2, &plain())
        .expect("suspended");
    assert_eq!(
        column(&env, &susp.id, "status").as_deref(),
        Some("suspended"),
    );

    // A deleted user is a conflict; an unknown one is not found.
    r.change_status(&susp.id, Change::SoftDelete, &plain())
        .expect("delete");
    assert_eq!(
        fails("deleted", r.set_password(&susp.id, HASH, &plain())).exit_code(),
        4,
    );
    assert_eq!(column(&env, &susp.id, "password"), None);
    let missing = r.set_password("nobody@example.com", HASH, &plain());
    assert_eq!(fails("missing", missing).exit_code(), 3);
}

each_db!(set_token_sets_clears_and_stays_unique, poolers);
fn set_token_sets_clears_and_stays_unique(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let u1 = add_user(r.as_mut(), "one@example.com", &editor, Status::Active);
    let u2 = add_user(r.as_mut(), "two@example.com", &editor, Status::Active);
    let tok_a = "token-A-0123456789abcdefghijklmnopqrstuv";
    let tok_b = "token-B-0123456789abcdefghijklmnopqrstuv";
    env.add_session("one-session", &u1.id);

    let user = r
        .set_token("ONE@example.com", Some(tok_a), &plain())
        .expect("set");
    assert!(user.has_token);
    assert_eq!(
        column(&env, &u1.id, "token").as_deref(),
        Some(tok_a),
        "stored as plaintext"
    );
    assert_eq!(sessions_of(&env, &u1.id), 0, "sessions end");

    // Another user cannot take it.
    let err = fails("taken", r.set_token(&u2.id, Some(tok_a), &plain()));
    assert_eq!(err.exit_code(), 4, "{err}");
    assert!(
        !err.to_string().contains(tok_a),
        "the token never shows in errors"
    );
    assert_eq!(column(&env, &u2.id, "token"), None);

    // The same user may set it again, or replace it.
    r.set_token(&u1.id, Some(tok_a), &plain())
        .expect("same again");
    r.set_token(&u1.id, Some(tok_b), &plain()).expect("replace");
    assert_eq!(column(&env, &u1.id, "token").as_deref(), Some(tok_b),);

    // Cleared, and then free for another.
    r.set_token(&u1.id, Some(tok_a), &plain()).expect("back");
    let user = r.set_token(&u1.id, None, &plain()).expect("clear");
    assert!(!user.has_token);
    assert_eq!(column(&env, &u1.id, "token"), None);
    assert!(
        r.set_token(&u2.id, Some(tok_a), &plain())
            .expect("now free")
            .has_token,
    );

    r.change_status(&u1.id, Change::SoftDelete, &plain())
        .expect("delete");
    assert_eq!(
        fails("deleted", r.set_token(&u1.id, Some(tok_b), &plain())).exit_code(),
        4,
    );
    assert_eq!(
        fails("missing", r.set_token("x@example.com", None, &plain())).exit_code(),
        3,
    );
}

each_db!(set_token_is_unique_on_directus, poolers);
fn set_token_is_unique_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let err = fails(
            label,
            r.set_token("admin@example.com", Some(EDITOR_TOKEN), &plain()),
        );
        assert_eq!(err.exit_code(), 4, "{label}");
        let admin = find(r.as_mut(), "admin@example.com");
        assert!(!admin.has_token, "{label}");
        let user = r
            .set_token("editor@example.com", None, &plain())
            .expect("clear");
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
