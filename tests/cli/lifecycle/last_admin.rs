//! The last active administrator is protected from every command.

use super::*;

each_db!(the_last_active_administrator_is_protected);
fn the_last_active_administrator_is_protected(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("admin1@example.com", "Administrator", "active");
    env.user_with_status("ed@example.com", "Editor", "active");
    // Admin-role users who are not active do not count.
    env.user_with_status("inv-admin@example.com", "Administrator", "invited");
    env.user_with_status("sus-admin@example.com", "Administrator", "suspended");
    let refusal = "error: admin1@example.com is the last active administrator; roster will not lock \
                       everyone out (use --force to do it anyway)\n";

    let before = env.dump();
    let a = env
        .cmd()
        .args(["suspend", "admin1@example.com"])
        .assert()
        .code(4);
    assert_eq!(stderr_of(&a), refusal);
    let a = env
        .cmd()
        .args(["soft-delete", "admin1@example.com", "--yes"])
        .assert()
        .code(4);
    assert_eq!(stderr_of(&a), refusal);
    assert_eq!(env.dump(), before);

    // Non-admins are not affected.
    env.cmd()
        .args(["suspend", "ed@example.com"])
        .assert()
        .code(0);

    // With a second active admin, one of them may go; then the other is the last.
    env.user_with_status("admin2@example.com", "Administrator", "active");
    env.cmd()
        .args(["suspend", "admin2@example.com"])
        .assert()
        .code(0);
    assert_eq!(env.status_of("admin2@example.com"), "suspended");
    env.cmd()
        .args(["suspend", "admin1@example.com"])
        .assert()
        .code(4);
    assert_eq!(env.status_of("admin1@example.com"), "active");

    // Unsuspending brings the second admin back, so suspending the first works again.
    env.cmd()
        .args(["unsuspend", "admin2@example.com"])
        .assert()
        .code(0);
    env.cmd()
        .args(["suspend", "admin1@example.com"])
        .assert()
        .code(0);
    let refusal2 = refusal.replace("admin1@", "admin2@");
    let a = env
        .cmd()
        .args(["soft-delete", "admin2@example.com", "--yes"])
        .assert()
        .code(4);
    assert_eq!(stderr_of(&a), refusal2);
}

each_db!(force_overrides_the_last_administrator_protection);
fn force_overrides_the_last_administrator_protection(b: Via) {
    let env = TestEnv::standalone(b);
    env.user_with_status("a1@example.com", "Administrator", "active");
    let a = env
        .cmd()
        .args(["suspend", "a1@example.com", "--force"])
        .assert()
        .code(0);
    assert_eq!(stderr_of(&a), "suspended a1@example.com (was active)\n",);
    assert_eq!(env.status_of("a1@example.com"), "suspended");

    env.user_with_status("a2@example.com", "Administrator", "active");
    env.cmd()
        .args(["soft-delete", "a2@example.com", "--yes"])
        .assert()
        .code(4);
    env.cmd()
        .args(["soft-delete", "a2@example.com", "--yes", "--force"])
        .assert()
        .code(0);
    assert_eq!(env.status_of("a2@example.com"), "deleted");
}

each_db!(admins_through_a_user_access_row_or_a_parent_role_are_protected_too);
fn admins_through_a_user_access_row_or_a_parent_role_are_protected_too(b: Via) {
    let env = TestEnv::with_editor(b);
    env.cmd()
        .args(["roles", "create", "Child"])
        .assert()
        .success();
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
    let a = env
        .cmd()
        .args(["suspend", "direct@example.com"])
        .assert()
        .code(4);
    assert!(
        stderr_of(&a).contains("is the last active administrator"),
        "{}",
        stderr_of(&a)
    );
    let a = env
        .cmd()
        .args(["show", "direct@example.com", "--format", "json"])
        .assert()
        .code(0);
    let shown = json_of(&a);
    assert_eq!(shown["admin"], true);
    env.cmd()
        .args(["suspend", "direct@example.com", "--force"])
        .assert()
        .code(0);

    // A user whose role's parent has the admin policy is one too.
    env.exec(&format!(
        "UPDATE directus_roles SET parent = '{admin_role}' WHERE name = 'Child'"
    ));
    env.user_with_status("child@example.com", "Child", "active");
    let a = env
        .cmd()
        .args(["soft-delete", "--yes", "child@example.com"])
        .assert()
        .code(4);
    assert!(
        stderr_of(&a).contains("is the last active administrator"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(env.status_of("child@example.com"), "active");
}

each_db!(suspending_the_last_two_admins_at_once_changes_nothing);
fn suspending_the_last_two_admins_at_once_changes_nothing(b: Via) {
    let env = TestEnv::standalone(b);
    env.user_with_status("a1@example.com", "Administrator", "active");
    env.user_with_status("a2@example.com", "Administrator", "active");
    for cmd in [vec!["suspend"], vec!["soft-delete", "--yes"]] {
        let before = env.dump();
        let a = env
            .cmd()
            .args(&cmd)
            .args(["a1@example.com", "a2@example.com"])
            .assert()
            .code(4);
        let err = stderr_of(&a);
        assert!(err.contains("is the last active administrator"), "{err}");
        assert_eq!(env.dump(), before, "{cmd:?} must be all-or-nothing");
    }
}

each_db!(dry_run_of_suspending_the_last_two_admins_is_refused_too);
fn dry_run_of_suspending_the_last_two_admins_is_refused_too(b: Via) {
    let env = TestEnv::standalone(b);
    env.user_with_status("a1@example.com", "Administrator", "active");
    env.user_with_status("a2@example.com", "Administrator", "active");
    for cmd in [vec!["suspend"], vec!["soft-delete", "--yes"]] {
        let before = env.dump();
        env.cmd()
            .args(&cmd)
            .args(["a1@example.com", "a2@example.com", "--dry-run"])
            .assert()
            .code(4);
        assert_eq!(env.dump(), before);
    }
}
