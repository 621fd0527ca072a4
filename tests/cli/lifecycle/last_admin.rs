//! The last active administrator is protected from every command.

use super::*;

/// An Editor role, one active administrator (admin1), an active editor, and
/// administrators who are not active, who do not count.
fn one_active_admin(b: Via) -> TestEnv {
    let env = TestEnv::with_editor(b);
    env.user_with_status("admin1@example.com", "Administrator", "active");
    env.user_with_status("ed@example.com", "Editor", "active");
    env.user_with_status("inv-admin@example.com", "Administrator", "invited");
    env.user_with_status("sus-admin@example.com", "Administrator", "suspended");
    env
}

/// The refusal to suspend or soft-delete `who`, the last active administrator.
fn last_admin_refusal(who: &str) -> String {
    format!(
        "error: {who}@example.com is the last active administrator; roster will not lock \
         everyone out (use --force to do it anyway)\n"
    )
}

each_db!(the_last_active_administrator_is_protected);
fn the_last_active_administrator_is_protected(b: Via) {
    let env = one_active_admin(b);
    let refusal = last_admin_refusal("admin1");
    env.roster(["suspend", "admin1@example.com"])
        .fails(4)
        .stderr(&refusal)
        .db_unchanged();
    env.roster(["soft-delete", "admin1@example.com", "--yes"])
        .fails(4)
        .stderr(&refusal)
        .db_unchanged();
    // Non-admins are not affected.
    env.roster(["suspend", "ed@example.com"]).succeeds();
}

each_db!(with_a_second_active_administrator_either_may_go_but_not_both);
fn with_a_second_active_administrator_either_may_go_but_not_both(b: Via) {
    let env = one_active_admin(b);
    // One of them may go; then the other is the last.
    env.user_with_status("admin2@example.com", "Administrator", "active");
    env.roster(["suspend", "admin2@example.com"]).succeeds();
    assert_eq!(env.status_of("admin2@example.com"), "suspended");
    env.roster(["suspend", "admin1@example.com"]).code(4);
    assert_eq!(env.status_of("admin1@example.com"), "active");

    // Unsuspending brings the second admin back, so suspending the first works again.
    env.roster(["unsuspend", "admin2@example.com"]).succeeds();
    env.roster(["suspend", "admin1@example.com"]).succeeds();
    env.roster(["soft-delete", "admin2@example.com", "--yes"])
        .code(4)
        .stderr(&last_admin_refusal("admin2"));
}

each_db!(force_overrides_the_last_administrator_protection);
fn force_overrides_the_last_administrator_protection(b: Via) {
    let env = TestEnv::standalone(b);
    env.user_with_status("a1@example.com", "Administrator", "active");
    env.roster(["suspend", "a1@example.com", "--force"])
        .succeeds()
        .stderr("suspended a1@example.com (was active)\n");
    assert_eq!(env.status_of("a1@example.com"), "suspended");

    env.user_with_status("a2@example.com", "Administrator", "active");
    env.roster(["soft-delete", "a2@example.com", "--yes"])
        .code(4);
    env.roster(["soft-delete", "a2@example.com", "--yes", "--force"])
        .succeeds();
    assert_eq!(env.status_of("a2@example.com"), "deleted");
}

each_db!(admins_through_a_user_access_row_or_a_parent_role_are_protected_too);
fn admins_through_a_user_access_row_or_a_parent_role_are_protected_too(b: Via) {
    let env = TestEnv::with_editor(b);
    env.roster(["roles", "create", "Child"]).succeeds();
    let admin_role = role_id(&env, "Administrator");
    let policy = env
        .value(&format!(
            "SELECT CAST(policy AS TEXT) FROM directus_access WHERE role = '{admin_role}'"
        ))
        .unwrap();

    // An Editor with the admin policy on their own access row is an administrator.
    let direct = env.user_with_status("direct@example.com", "Editor", "active");
    env.exec(&format!(
        "INSERT INTO directus_access (id, role, \"user\", policy, sort) \
                 VALUES ('{}', NULL, '{direct}', '{policy}', 1)",
        uuid::Uuid::new_v4()
    ));
    let err = env.roster(["suspend", "direct@example.com"]).code(4).err();
    assert!(err.contains("is the last active administrator"), "{err}");
    let shown = env
        .roster(["show", "direct@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(shown["admin"], true);
    env.roster(["suspend", "direct@example.com", "--force"])
        .succeeds();

    // A user whose role's parent has the admin policy is one too.
    env.exec(&format!(
        "UPDATE directus_roles SET parent = '{admin_role}' WHERE name = 'Child'"
    ));
    env.user_with_status("child@example.com", "Child", "active");
    let err = env
        .roster(["soft-delete", "--yes", "child@example.com"])
        .code(4)
        .err();
    assert!(err.contains("is the last active administrator"), "{err}");
    assert_eq!(env.status_of("child@example.com"), "active");
}

/// The standalone schema with two active administrators.
fn two_admins(b: Via) -> TestEnv {
    let env = TestEnv::standalone(b);
    env.user_with_status("a1@example.com", "Administrator", "active");
    env.user_with_status("a2@example.com", "Administrator", "active");
    env
}

each_db!(suspending_the_last_two_admins_at_once_changes_nothing);
fn suspending_the_last_two_admins_at_once_changes_nothing(b: Via) {
    let env = two_admins(b);
    // All or nothing.
    for cmd in [&["suspend"][..], &["soft-delete", "--yes"]] {
        let ran = env
            .roster(cmd)
            .args(["a1@example.com", "a2@example.com"])
            .fails(4);
        let err = ran.db_unchanged().err();
        assert!(err.contains("is the last active administrator"), "{err}");
    }
}

each_db!(dry_run_of_suspending_the_last_two_admins_is_refused_too);
fn dry_run_of_suspending_the_last_two_admins_is_refused_too(b: Via) {
    let env = two_admins(b);
    for cmd in [&["suspend"][..], &["soft-delete", "--yes"]] {
        env.roster(cmd)
            .args(["a1@example.com", "a2@example.com", "--dry-run"])
            .fails(4)
            .db_unchanged();
    }
}
