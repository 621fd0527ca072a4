//! Soft delete keeps the row and clears every credential.
use crate::common::{Via, each_db};

use super::*;

each_db!(soft_delete_keeps_the_row_and_removes_credentials, poolers);
fn soft_delete_keeps_the_row_and_removes_credentials(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let u = add_user(r.as_mut(), "gone@example.com", &editor, Status::Active);
    let other = add_user(r.as_mut(), "stays@example.com", &editor, Status::Active);
    let token = Some("gone-token-0123456789abcdefghijklmnop");
    r.set_token(&u.id, token, &plain()).expect("token");
    give_tfa(&env, &u.id);
    env.add_session("s1", &u.id);
    env.add_session("s2", &u.id);
    env.add_session("s3", &other.id);
    let before = find(r.as_mut(), &u.id);
    assert!(before.has_password && before.has_token && before.tfa_enabled);

    let deleted = r.change_status("GONE@example.com", Change::SoftDelete, &plain());
    let (from, user) = done(deleted.expect("soft-delete"));
    assert_eq!(from, Status::Active);
    assert_eq!(user.id, u.id);
    assert_eq!(user.status, "deleted");
    assert!(
        !user.has_password && !user.has_token && !user.tfa_enabled,
        "{user:?}"
    );
    assert_eq!(credentials(&env, &u.id), none_left("deleted"));
    let email = column(&env, &u.id, "email");
    assert_eq!(email.as_deref(), Some("gone@example.com"));
    assert_eq!(sessions_of(&env, &u.id), 0);
    assert_eq!(sessions_of(&env, &other.id), 1);
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 2);
}

each_db!(soft_delete_on_directus_stores_archived, poolers);
fn soft_delete_on_directus_stores_archived(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        env.add_session("editor-session", EDITOR_ID);
        let deleted = r.change_status("editor@example.com", Change::SoftDelete, &plain());
        let (_, user) = done(deleted.expect(label));
        assert_eq!(user.status, "deleted", "{label}: shown as deleted");
        assert!(!user.has_password && !user.has_token, "{label}");
        let stored = credentials(&env, EDITOR_ID);
        assert_eq!(stored, none_left("archived"), "{label}");
        assert_eq!(sessions_of(&env, EDITOR_ID), 0, "{label}");
        // Still there for everything that points at it; listed only when asked.
        assert_eq!(
            emails(r.as_mut(), &with_statuses(&[Status::Deleted])),
            ["archived@example.com", "editor@example.com"],
            "{label}"
        );
    }
}
