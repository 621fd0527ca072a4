//! `roster edit` on every backend: only given fields change, an empty value
//! clears, no-ops exit 0, sessions stay, and the last administrator keeps access.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::{TestEnv, error_line, stderr_of};
use crate::common::{Via, each_db};

/// One column of ann@example.com, as text.
fn col(env: &TestEnv, column: &str) -> Option<String> {
    env.col("ann@example.com", column)
}

/// A standalone database with an admin, a Staff role and ann (Administrator).
fn setup(b: Via) -> TestEnv {
    let env = TestEnv::standalone(b);
    env.cmd()
        .args(["roles", "create", "Staff"])
        .assert()
        .success();
    for email in ["ann@example.com", "boss@example.com"] {
        env.cmd()
            .args([
                "create",
                email,
                "--role",
                "Administrator",
                "--password-env",
                "PW",
            ])
            .args(["--first-name", "Ann", "--title", "Clerk"])
            .env("PW", "Str0ng!Pass")
            .assert()
            .success();
    }
    env
}

each_db!(edit_changes_only_the_given_fields_and_keeps_sessions);
fn edit_changes_only_the_given_fields_and_keeps_sessions(b: Via) {
    let env = setup(b);
    let id = col(&env, "id").unwrap();
    env.add_session("s1", &id);
    env.cmd()
            .args([
                "edit",
                "ANN@example.com",
                "--title",
                "Lead",
                "--company",
                "ACME",
            ])
            .args([
                "--timezone",
                "Europe/Berlin",
                "--role",
                "staff",
                "--email-notifications",
                "false",
            ])
            .assert()
            .success()
            .stderr(
                "updated ann@example.com\n  role: Administrator → Staff\n  admin: true → false\n  title: Clerk → Lead\n  \
                 company: (none) → ACME\n  timezone: (none) → Europe/Berlin\n  \
                 email_notifications: true → false\n",
            );
    assert_eq!(col(&env, "title").as_deref(), Some("Lead"));
    assert_eq!(col(&env, "company").as_deref(), Some("ACME"));
    assert_eq!(col(&env, "timezone").as_deref(), Some("Europe/Berlin"));
    assert_eq!(col(&env, "first_name").as_deref(), Some("Ann"));
    assert_eq!(
            env.value("SELECT CASE WHEN email_notifications THEN 1 ELSE 0 END FROM directus_users WHERE email = 'ann@example.com'").as_deref(),
            Some("0")
        );
    let staff = env.value("SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = 'Staff'");
    assert_eq!(col(&env, "role"), staff);
    assert_eq!(
        env.value("SELECT count(*) FROM directus_sessions")
            .as_deref(),
        Some("1")
    );
    let audit =
        env.value("SELECT CAST(delta AS TEXT) FROM directus_revisions ORDER BY id DESC LIMIT 1");
    assert!(audit.unwrap().contains("\"title\":\"Lead\""));
}

each_db!(empty_value_clears_and_same_values_are_a_noop);
fn empty_value_clears_and_same_values_are_a_noop(b: Via) {
    let env = setup(b);
    env.cmd()
        .args(["edit", "ann@example.com", "--title", ""])
        .assert()
        .success();
    assert_eq!(col(&env, "title"), None);
    let before = env.dump();
    env.cmd()
        .args([
            "edit",
            "ann@example.com",
            "--first-name",
            "Ann",
            "--title",
            "",
        ])
        .assert()
        .code(0)
        .stderr("ann@example.com already has these values; nothing to do\n");
    assert_eq!(env.dump(), before);
}

each_db!(refusals_leave_the_database_unchanged);
fn refusals_leave_the_database_unchanged(b: Via) {
    let env = setup(b);
    let before = env.dump();
    let cases: [(&[&str], i32); 6] = [
        (&["edit", "ann@example.com"], 2),
        (&["edit", "nobody@example.com", "--title", "x"], 3),
        (&["edit", "ann@example.com", "--role", "nope"], 3),
        (&["edit", "ann@example.com", "--timezone", "Mars/Base"], 5),
        (&["edit", "ann@example.com", "--avatar", "not-a-uuid"], 5),
        (&["edit", "ann@example.com", "--title", "x", "--dry-run"], 0),
    ];
    for (args, code) in cases {
        let out = env.cmd().args(args).assert().code(code);
        if code != 0 {
            error_line(&stderr_of(&out), &format!("{args:?}"));
        }
        assert_eq!(env.dump(), before, "{args:?}");
    }
}

each_db!(the_last_active_admin_keeps_admin_access_unless_forced);
fn the_last_active_admin_keeps_admin_access_unless_forced(b: Via) {
    let env = setup(b);
    env.cmd()
        .args(["edit", "boss@example.com", "--role", "Staff"])
        .assert()
        .success();
    let before = env.dump();
    env.cmd()
        .args(["edit", "ann@example.com", "--role", "Staff"])
        .assert()
        .code(4)
        .stderr(
            "error: ann@example.com is the last active administrator; this role change would \
                 lock everyone out (use --force to do it anyway)\n",
        );
    assert_eq!(env.dump(), before);
    env.cmd()
        .args(["edit", "ann@example.com", "--role", "Staff", "--force"])
        .assert()
        .success();
}

each_db!(a_deleted_user_cannot_be_edited);
fn a_deleted_user_cannot_be_edited(b: Via) {
    let env = setup(b);
    env.cmd()
        .args(["soft-delete", "ann@example.com", "--yes"])
        .assert()
        .success();
    env.cmd()
        .args(["edit", "ann@example.com", "--title", "x"])
        .assert()
        .code(4);
}

each_db!(an_existing_file_can_be_the_avatar_on_directus);
fn an_existing_file_can_be_the_avatar_on_directus(b: Via) {
    let env = TestEnv::directus11(b);
    let file = "11111111-2222-4333-8444-555555555555";
    env.exec(&format!(
                "INSERT INTO directus_files (id, storage, filename_download, type) VALUES ('{file}', 'local', 'a.png', 'image/png')"
            ));
    env.cmd()
        .args(["edit", "editor@example.com", "--avatar", file])
        .assert()
        .success();
    let avatar =
        "SELECT CAST(avatar AS TEXT) FROM directus_users WHERE email = 'editor@example.com'";
    assert_eq!(env.value(avatar).as_deref(), Some(file));
    env.cmd()
        .args([
            "edit",
            "editor@example.com",
            "--avatar",
            "22222222-2222-4333-8444-555555555555",
        ])
        .assert()
        .code(3);
    env.cmd()
        .args(["edit", "editor@example.com", "--avatar", "none"])
        .assert()
        .success();
    assert_eq!(env.value(avatar), None);
}
