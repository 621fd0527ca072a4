//! The last active administrator is never suspended, soft-deleted or demoted by accident.
use crate::common::{Via, each_db};

use super::*;

each_db!(last_active_admin_is_protected_unless_forced, poolers);
fn last_active_admin_is_protected_unless_forced(b: Via) {
    let (env, mut r) = standalone(b);
    let admin_role = role_id(r.as_mut(), "Administrator");
    let editor = plain_role(r.as_mut(), "Editor");
    let a = add_user(r.as_mut(), "a@example.com", &admin_role, Status::Active);
    // An invited administrator cannot log in: it does not count.
    let pending = add_user(
        r.as_mut(),
        "pending@example.com",
        &admin_role,
        Status::Invited,
    );
    let e = add_user(r.as_mut(), "e@example.com", &editor, Status::Active);

    for change in [Change::Suspend, Change::SoftDelete] {
        refused(
            &format!("{change:?}"),
            4,
            r.change_status(&a.id, change, &plain()),
        );
        assert_eq!(column(&env, &a.id, "status").as_deref(), Some("active"));
    }
    // Others are not protected.
    r.change_status(&e.id, Change::Suspend, &plain())
        .expect("suspend editor");
    r.change_status(&pending.id, Change::SoftDelete, &plain())
        .expect("delete invited admin");

    // With force, the last admin goes.
    let forced_out = r.change_status(&a.id, Change::Suspend, &forced());
    let (from, user) = done(forced_out.expect("forced"));
    assert_eq!(from, Status::Active);
    assert_eq!(user.status, "suspended");
    r.change_status(&a.id, Change::Unsuspend, &plain())
        .expect("unsuspend");
}

each_db!(of_two_active_admins_either_may_go_but_not_both, poolers);
fn of_two_active_admins_either_may_go_but_not_both(b: Via) {
    let (env, mut r) = standalone(b);
    let admin_role = role_id(r.as_mut(), "Administrator");
    let a = add_user(r.as_mut(), "a@example.com", &admin_role, Status::Active);
    let c = add_user(r.as_mut(), "c@example.com", &admin_role, Status::Active);
    assert!(c.is_admin);
    r.change_status(&a.id, Change::Suspend, &plain())
        .expect("one of two admins");
    for change in [Change::Suspend, Change::SoftDelete] {
        refused(
            &format!("{change:?}"),
            4,
            r.change_status(&c.id, change, &plain()),
        );
    }
    r.change_status(&c.id, Change::SoftDelete, &forced())
        .expect("forced soft-delete");
    assert_eq!(column(&env, &c.id, "status").as_deref(), Some("deleted"));
}

each_db!(last_active_admin_is_protected_on_directus, poolers);
fn last_active_admin_is_protected_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "admin@example.com");
        assert!(admin.is_admin, "{label}");
        for change in [Change::Suspend, Change::SoftDelete] {
            let what = format!("{label}: {change:?}");
            refused(&what, 4, r.change_status(&admin.id, change, &plain()));
        }
        let status = || column(&env, &admin.id, "status");
        assert_eq!(status().as_deref(), Some("active"), "{label}");
        r.change_status(&admin.id, Change::SoftDelete, &forced())
            .expect("forced");
        assert_eq!(status().as_deref(), Some("archived"), "{label}");
    }
}

/// The standalone schema with an active admin@ and editor@ of an Editor role.
fn standalone_admin_and_editor(b: Via) -> TestEnv {
    let (env, mut r) = standalone(b);
    let admin_role = role_id(r.as_mut(), "Administrator");
    let editor_role = plain_role(r.as_mut(), "Editor");
    add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
    add_user(
        r.as_mut(),
        "editor@example.com",
        &editor_role,
        Status::Active,
    );
    env
}

/// 11.x (and the standalone schema): access rows for the user, the role, or a parent role.
fn check_the_access_model(label: &str, env: &TestEnv) {
    let mut r = repo(env);
    assert!(find(r.as_mut(), "admin@example.com").is_admin, "{label}");
    assert!(!find(r.as_mut(), "editor@example.com").is_admin, "{label}");
    admin_through_an_access_row_for_the_user(label, env, r.as_mut());
    admin_through_a_parent_role(label, env, r.as_mut());
}

/// A directus_access row for the user itself makes editor@ an administrator.
fn admin_through_an_access_row_for_the_user(label: &str, env: &TestEnv, r: &mut dyn Repo) {
    let (admin, editor) = (
        env.id_of("admin@example.com"),
        env.id_of("editor@example.com"),
    );
    let policy = env
        .value("SELECT id FROM directus_policies WHERE name = 'Administrator'")
        .expect("admin policy");
    env.exec(&format!(
        "INSERT INTO directus_access (id, role, \"user\", policy, sort) VALUES ('{}', NULL, '{editor}', '{policy}', 1)",
        uuid::Uuid::new_v4(),
    ));
    let through_access = find(r, &editor).is_admin;
    assert!(through_access, "{label}: access row for the user");
    // Two active admins now: the role admin may be suspended, then the other is protected.
    r.change_status(&admin, Change::Suspend, &plain())
        .expect("two admins");
    refused(
        label,
        4,
        r.change_status(&editor, Change::Suspend, &plain()),
    );
}

/// A role whose parent is the Administrator role makes its users administrators.
fn admin_through_a_parent_role(label: &str, env: &TestEnv, r: &mut dyn Repo) {
    let admin_role = role_id(r, "Administrator");
    let child = uuid::Uuid::new_v4().to_string();
    env.exec(&format!(
        "INSERT INTO directus_roles (id, name, parent) VALUES ('{child}', 'Child', '{admin_role}')"
    ));
    let kid = add_user(r, "kid@example.com", &child, Status::Active);
    assert!(kid.is_admin, "{label}: admin through a parent role");
    // Spec §2 ties being an administrator to access, not status: the
    // suspended admin still is one (it just does not count as active).
    assert_eq!(
        admins(r, &ListFilter::default()),
        ["admin@example.com", "editor@example.com", "kid@example.com"],
        "{label}"
    );
}

each_db!(admin_detection_follows_the_access_model, poolers);
fn admin_detection_follows_the_access_model(b: Via) {
    check_the_access_model("directus11", &TestEnv::directus11(b));
    check_the_access_model("standalone", &standalone_admin_and_editor(b));
}

#[test]
fn admin_detection_on_directus_10_reads_admin_access_on_the_role() {
    let env = TestEnv::directus10();
    let mut r = repo(&env);
    assert!(find(r.as_mut(), "admin@example.com").is_admin);
    assert!(!find(r.as_mut(), "editor@example.com").is_admin);
    env.exec(&format!(
        "UPDATE directus_roles SET admin_access = 1 WHERE id = '{EDITOR_ROLE}'"
    ));
    assert!(find(r.as_mut(), "editor@example.com").is_admin);
}
