//! Re-inheritance: a soft-deleted row taken over by the same email.
use crate::common::{Via, each_db};

use super::*;

/// The standalone schema with Editor and Ops roles and rev@, once an active
/// editor with a profile, a password and a token, now soft-deleted.
fn with_deleted_rev(b: Via) -> (TestEnv, Box<dyn Repo>, [String; 2], User) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let ops = plain_role(r.as_mut(), "Ops");
    let profile = [
        ("first_name", "Old"),
        ("last_name", "Person"),
        ("title", "Boss"),
        ("language", "en-US"),
    ];
    let first = NewUser {
        email: "rev@example.com".into(),
        profile: Profile::of(&profile).unwrap(),
        role: Some(editor.clone()),
        status: Status::Active,
        password_hash: Some(HASH.into()),
        if_not_exists: false,
    };
    let original = inserted(r.create_user(&first, &plain()).expect("create"));
    let token = Some("revive-token-0123456789abcdefghijkl");
    r.set_token(&original.id, token, &plain()).expect("token");
    r.change_status(&original.id, Change::SoftDelete, &plain())
        .expect("soft-delete");
    (env, r, [editor, ops], original)
}

each_db!(reviving_by_invite_keeps_the_old_profile_and_role, poolers);
fn reviving_by_invite_keeps_the_old_profile_and_role(b: Via) {
    let (env, mut r, [editor, _], original) = with_deleted_rev(b);
    // Invite again, giving only a new last name and no role.
    let again = NewUser {
        email: "rev@example.com".into(),
        profile: Profile::of(&[("last_name", "New")]).unwrap(),
        role: None,
        status: Status::Invited,
        password_hash: None,
        if_not_exists: false,
    };
    let revived = revived(r.create_user(&again, &plain()).expect("revive"));
    assert_eq!(revived.id, original.id);
    let profile = [
        ("first_name", "Old"),
        ("last_name", "New"),
        ("title", "Boss"),
        ("language", "en-US"),
    ];
    for (field, value) in profile {
        assert_eq!(revived.profile.get(field), Some(value), "{field}");
    }
    let role = revived.role.as_deref();
    assert_eq!(role, Some(editor.as_str()), "old role kept");
    assert_eq!(revived.status, "invited");
    assert!(
        !revived.has_password && !revived.has_token && !revived.tfa_enabled,
        "{revived:?}"
    );
    let status = column(&env, &original.id, "status");
    assert_eq!(status.as_deref(), Some("invited"));
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 1);
}

each_db!(reviving_as_active_takes_the_new_role_and_password, poolers);
fn reviving_as_active_takes_the_new_role_and_password(b: Via) {
    let (env, mut r, [_, ops], original) = with_deleted_rev(b);
    let mut active = new_user("rev@example.com", Some(&ops), Status::Active);
    active.password_hash = Some(HASH2.into());
    let revived = revived(r.create_user(&active, &plain()).expect("revive"));
    assert_eq!(revived.id, original.id);
    assert_eq!(revived.status, "active");
    assert_eq!(revived.role.as_deref(), Some(ops.as_str()), "the new role");
    assert_eq!(revived.profile.get("first_name"), Some("Old"));
    assert!(revived.has_password);
    let password = column(&env, &original.id, "password");
    assert_eq!(password.as_deref(), Some(HASH2));
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 1);
}

each_db!(reviving_twice_keeps_the_one_row, poolers);
fn reviving_twice_keeps_the_one_row(b: Via) {
    let (env, mut r, [_, ops], original) = with_deleted_rev(b);
    let again = new_user("rev@example.com", None, Status::Invited);
    revived(r.create_user(&again, &plain()).expect("revive"));
    r.change_status(&original.id, Change::SoftDelete, &plain())
        .expect("soft-delete");
    let active = new_user("rev@example.com", Some(&ops), Status::Active);
    let user = revived(r.create_user(&active, &plain()).expect("revive"));
    assert_eq!(user.id, original.id);
    assert_eq!(user.profile.get("first_name"), Some("Old"));
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 1);
}

each_db!(create_user_revive_writes_the_default_provider, poolers);
fn create_user_revive_writes_the_default_provider(b: Via) {
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
    let again = new_user("sso@example.com", None, Status::Active);
    let revived = revived(r.create_user(&again, &plain()).expect("revive"));
    // Directus logs in with a password only when provider is `default`.
    assert_eq!(revived.profile.get("provider"), Some("default"));
    assert_eq!(column(&env, &u.id, "provider").as_deref(), Some("default"));
}

each_db!(create_user_revives_an_archived_directus_user, poolers);
fn create_user_revives_an_archived_directus_user(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let new = new_user("archived@example.com", None, Status::Active);
        let revived = revived(r.create_user(&new, &plain()).expect(label));
        assert_eq!(revived.id, ARCHIVED_ID, "{label}");
        assert_eq!(revived.profile.get("first_name"), Some("Arch"), "{label}");
        let last_name = revived.profile.get("last_name");
        assert_eq!(last_name, Some("Archived"), "{label}");
        assert_eq!(revived.role.as_deref(), Some(EDITOR_ROLE), "{label}");
        assert_eq!(revived.status, "active", "{label}");
        let stored = ["status", "password"].map(|c| column(&env, ARCHIVED_ID, c));
        assert_eq!(
            stored,
            [Some("active".into()), Some(HASH.into())],
            "{label}"
        );
        let archived =
            "SELECT count(*) FROM directus_users WHERE lower(email) = 'archived@example.com'";
        assert_eq!(env.count(archived), 1, "{label}");
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
        let u = revived(r.create_user(&new, &plain()).expect(label));
        assert_eq!(u.id, ARCHIVED_ID, "{label}");
        assert_eq!(u.status, "invited", "{label}");
        assert!(
            !u.has_password && !u.has_token && !u.tfa_enabled,
            "{label}: {u:?}"
        );
        let stored = credentials(&env, ARCHIVED_ID);
        assert_eq!(stored, none_left("invited"), "{label}");
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
        assert_eq!(u.profile.get("provider"), Some("default"), "{label}");
        assert_eq!(u.role_name.as_deref(), Some("Editor"), "{label}");
        let provider = column(&env, &u.id, "provider");
        assert_eq!(provider.as_deref(), Some("default"), "{label}");
        let id = uuid::Uuid::parse_str(&u.id).expect("uuid");
        assert_eq!(id.get_version_num(), 4, "{label}");

        // Directus has no company column: a validation error naming it, and no row.
        let mut new = new_user("acme@example.com", Some(EDITOR_ROLE), Status::Active);
        new.profile.set("company", "ACME").unwrap();
        let err = refused(label, 5, r.create_user(&new, &plain()));
        assert!(err.to_string().contains("company"), "{label}: {err}");
        assert!(
            r.find_user("acme@example.com").expect("find").is_none(),
            "{label}"
        );

        let dup = new_user("Editor@Example.com", Some(EDITOR_ROLE), Status::Active);
        refused(label, 4, r.create_user(&dup, &plain()));
    }
}
