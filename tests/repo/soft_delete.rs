//! Soft delete keeps the row and clears every credential.
use crate::common::{Via, each_db};

use super::*;

each_db!(soft_delete_keeps_the_row_and_removes_credentials, poolers);
fn soft_delete_keeps_the_row_and_removes_credentials(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let u = add_user(r.as_mut(), "gone@example.com", &editor, Status::Active);
    let other = add_user(r.as_mut(), "stays@example.com", &editor, Status::Active);
    r.set_token(
        &u.id,
        Some("gone-token-0123456789abcdefghijklmnop"),
        &plain(),
    )
    .expect("token");
    env.exec(&format!(
        "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{}'",
        u.id
    ));
    env.add_session("s1", &u.id);
    env.add_session("s2", &u.id);
    env.add_session("s3", &other.id);
    let before = find(r.as_mut(), &u.id);
    assert!(before.has_password && before.has_token && before.tfa_enabled,);

    let user = match r
        .change_status("GONE@example.com", Change::SoftDelete, &plain())
        .expect("soft-delete")
    {
        Changed::Done { from, user } => {
            assert_eq!(from, Status::Active);
            user
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(user.id, u.id);
    assert_eq!(user.status, "deleted");
    assert!(
        !user.has_password && !user.has_token && !user.tfa_enabled,
        "{user:?}"
    );
    assert_eq!(
        env.rows(&format!(
            "SELECT status, password, token, tfa_secret, email FROM directus_users WHERE id = '{}'",
            u.id
        )),
        vec![vec![
            Some("deleted".into()),
            None,
            None,
            None,
            Some("gone@example.com".into())
        ]],
    );
    assert_eq!(sessions_of(&env, &u.id), 0);
    assert_eq!(sessions_of(&env, &other.id), 1);
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 2);
}

each_db!(soft_delete_on_directus_stores_archived, poolers);
fn soft_delete_on_directus_stores_archived(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        env.add_session("editor-session", EDITOR_ID);
        let user = match r
            .change_status("editor@example.com", Change::SoftDelete, &plain())
            .expect("soft-delete")
        {
            Changed::Done { user, .. } => user,
            other => panic!("{label}: {other:?}"),
        };
        assert_eq!(user.status, "deleted", "{label}: shown as deleted");
        assert!(!user.has_password && !user.has_token, "{label}");
        assert_eq!(
            env.rows(&format!("SELECT status, password, token, tfa_secret FROM directus_users WHERE id = '{EDITOR_ID}'")),
            vec![vec![Some("archived".into()), None, None, None]],
            "{label}"
        );
        assert_eq!(sessions_of(&env, EDITOR_ID), 0, "{label}");
        // Still there for everything that points at it; listed only when asked.
        let deleted = ListFilter {
            statuses: vec![Status::Deleted],
            ..ListFilter::default()
        };
        assert_eq!(
            emails(r.as_mut(), &deleted),
            ["archived@example.com", "editor@example.com"],
            "{label}"
        );
    }
}
