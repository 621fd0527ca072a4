//! Re-inheritance: a soft-deleted row taken over by the same email.
use crate::common::{Via, each_db};

use super::*;

each_db!(create_user_revives_a_soft_deleted_row, poolers);
fn create_user_revives_a_soft_deleted_row(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let ops = plain_role(r.as_mut(), "Ops");
    let first = NewUser {
        email: "rev@example.com".into(),
        profile: Profile::of(&[
            ("first_name", "Old"),
            ("last_name", "Person"),
            ("title", "Boss"),
            ("language", "en-US"),
        ])
        .unwrap(),
        role: Some(editor.clone()),
        status: Status::Active,
        password_hash: Some(HASH.into()),
        if_not_exists: false,
    };
    let original = r
        .create_user(&first, &plain())
        .expect("create")
        .user()
        .clone();
    r.set_token(
        &original.id,
        Some("revive-token-0123456789abcdefghijkl"),
        &plain(),
    )
    .expect("token");
    r.change_status(&original.id, Change::SoftDelete, &plain())
        .expect("soft-delete");

    // Invite again, giving only a new last name and no role.
    let again = NewUser {
        email: "rev@example.com".into(),
        profile: Profile::of(&[("last_name", "New")]).unwrap(),
        role: None,
        status: Status::Invited,
        password_hash: None,
        if_not_exists: false,
    };
    let revived = match r.create_user(&again, &plain()).expect("revive") {
        Created::Revived(u) => u,
        other => panic!("expected Revived, got {other:?}"),
    };
    assert_eq!(revived.id, original.id);
    assert_eq!(revived.profile.get("first_name"), Some("Old"));
    assert_eq!(revived.profile.get("last_name"), Some("New"));
    assert_eq!(revived.profile.get("title"), Some("Boss"));
    assert_eq!(revived.profile.get("language"), Some("en-US"));
    assert_eq!(
        revived.role.as_deref(),
        Some(editor.as_str()),
        "old role kept"
    );
    assert_eq!(revived.status, "invited");
    assert!(
        !revived.has_password && !revived.has_token && !revived.tfa_enabled,
        "{revived:?}"
    );
    assert_eq!(
        column(&env, &original.id, "status").as_deref(),
        Some("invited"),
    );
    assert_eq!(
        env.count("SELECT count(*) FROM directus_users WHERE lower(email) = 'rev@example.com'"),
        1,
    );

    // Deleted again, then created active in another role, with a password.
    r.change_status(&original.id, Change::SoftDelete, &plain())
        .expect("soft-delete");
    let mut active = new_user("rev@example.com", Some(&ops), Status::Active);
    active.password_hash = Some(HASH2.into());
    let revived = match r.create_user(&active, &plain()).expect("revive") {
        Created::Revived(u) => u,
        other => panic!("expected Revived, got {other:?}"),
    };
    assert_eq!(revived.id, original.id);
    assert_eq!(revived.status, "active");
    assert_eq!(revived.role.as_deref(), Some(ops.as_str()), "the new role");
    assert_eq!(revived.profile.get("first_name"), Some("Old"));
    assert!(revived.has_password);
    assert_eq!(
        column(&env, &original.id, "password").as_deref(),
        Some(HASH2),
    );
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 1);
}

each_db!(create_user_revive_writes_the_default_provider, poolers);
fn create_user_revive_writes_the_default_provider(b: Via) {
    {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let u = add_user(r.as_mut(), "sso@example.com", &editor, Status::Active);
        r.change_status(&u.id, Change::SoftDelete, &plain())
            .expect("soft-delete");
        // A row Directus's SSO login made: another provider, an external id.
        env.exec(&format!(
                "UPDATE directus_users SET provider = 'github', external_identifier = 'gh-42' WHERE id = '{}'",
                u.id
            ));
        let revived = r
            .create_user(&new_user("sso@example.com", None, Status::Active), &plain())
            .expect("revive");
        assert!(matches!(revived, Created::Revived(_)), "{revived:?}");
        // Directus logs in with a password only when provider is `default`.
        assert_eq!(revived.user().provider.as_deref(), Some("default"));
        assert_eq!(column(&env, &u.id, "provider").as_deref(), Some("default"),);
    }
}

each_db!(create_user_revives_an_archived_directus_user, poolers);
fn create_user_revives_an_archived_directus_user(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let new = new_user("archived@example.com", None, Status::Active);
        let revived = match r.create_user(&new, &plain()).expect("revive") {
            Created::Revived(u) => u,
            other => panic!("{label}: expected Revived, got {other:?}"),
        };
        assert_eq!(revived.id, ARCHIVED_ID, "{label}");
        assert_eq!(revived.profile.get("first_name"), Some("Arch"), "{label}");
        assert_eq!(
            revived.profile.get("last_name"),
            Some("Archived"),
            "{label}"
        );
        assert_eq!(revived.role.as_deref(), Some(EDITOR_ROLE), "{label}");
        assert_eq!(revived.status, "active", "{label}");
        assert_eq!(
            column(&env, ARCHIVED_ID, "status").as_deref(),
            Some("active"),
            "{label}"
        );
        assert_eq!(
            column(&env, ARCHIVED_ID, "password").as_deref(),
            Some(HASH),
            "{label}"
        );
        assert_eq!(
            env.count(
                "SELECT count(*) FROM directus_users WHERE lower(email) = 'archived@example.com'"
            ),
            1,
            "{label}"
        );
    }
}

each_db!(
    reviving_an_archived_directus_user_replaces_the_old_credentials,
    poolers
);
fn reviving_an_archived_directus_user_replaces_the_old_credentials(b: Via) {
    // Directus archives users without clearing their password; a revive by
    // invite must not bring the old password back (spec §3: new credentials).
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        assert!(
            column(&env, ARCHIVED_ID, "password").is_some(),
            "{label}: fixture"
        );
        env.add_session("archived-session", ARCHIVED_ID);
        let new = new_user("Archived@Example.com", None, Status::Invited);
        let revived = r.create_user(&new, &plain()).expect("revive");
        assert!(
            matches!(&revived, Created::Revived(u) if u.id == ARCHIVED_ID),
            "{label}: {revived:?}"
        );
        let u = revived.user();
        assert_eq!(u.status, "invited", "{label}");
        assert!(
            !u.has_password && !u.has_token && !u.tfa_enabled,
            "{label}: {u:?}"
        );
        assert_eq!(
            env.rows(&format!(
                "SELECT status, password, token, tfa_secret FROM directus_users WHERE id = '{ARCHIVED_ID}'"
            )),
            vec![vec![Some("invited".into()), None, None, None]],
            "{label}"
        );
        assert_eq!(sessions_of(&env, ARCHIVED_ID), 0, "{label}");
    }
}

each_db!(
    create_user_on_directus_writes_provider_and_refuses_missing_columns,
    poolers
);
fn create_user_on_directus_writes_provider_and_refuses_missing_columns(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let u = add_user(r.as_mut(), "new@example.com", EDITOR_ROLE, Status::Active);
        assert_eq!(u.provider.as_deref(), Some("default"), "{label}");
        assert_eq!(u.role_name.as_deref(), Some("Editor"), "{label}");
        assert_eq!(
            column(&env, &u.id, "provider").as_deref(),
            Some("default"),
            "{label}"
        );
        assert_eq!(
            uuid::Uuid::parse_str(&u.id)
                .expect("uuid")
                .get_version_num(),
            4,
            "{label}"
        );

        // Directus has no company column: a validation error naming it, and no row.
        let mut new = new_user("acme@example.com", Some(EDITOR_ROLE), Status::Active);
        new.profile.set("company", "ACME").unwrap();
        let err = fails(label, r.create_user(&new, &plain()));
        assert_eq!(err.exit_code(), 5, "{label}: {err}");
        assert!(err.to_string().contains("company"), "{label}: {err}");
        assert!(
            r.find_user("acme@example.com").expect("find").is_none(),
            "{label}"
        );

        let dup = new_user("Editor@Example.com", Some(EDITOR_ROLE), Status::Active);
        assert_eq!(
            fails(label, r.create_user(&dup, &plain())).exit_code(),
            4,
            "{label}"
        );
    }
}
