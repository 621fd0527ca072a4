//! `roster edit` on every backend: only given fields change, an empty value
//! clears, no-ops exit 0, sessions stay, and the last administrator keeps access.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::TestEnv;
use crate::common::{Via, each_db};

/// One column of ann@example.com, as text.
fn col(env: &TestEnv, column: &str) -> Option<String> {
    env.col("ann@example.com", column)
}

/// A standalone database with an admin, a Staff role and ann (Administrator).
fn setup(b: Via) -> TestEnv {
    let env = TestEnv::standalone(b);
    env.roster(["roles", "create", "Staff"]).succeeds();
    for email in ["ann@example.com", "boss@example.com"] {
        env.roster([
            "create",
            email,
            "--role",
            "Administrator",
            "--password-env",
            "PW",
        ])
        .args(["--first-name", "Ann", "--title", "Clerk"])
        .env("PW", "Str0ng!Pass")
        .succeeds();
    }
    env
}

each_db!(edit_changes_only_the_given_fields_and_keeps_sessions);
fn edit_changes_only_the_given_fields_and_keeps_sessions(b: Via) {
    let env = setup(b);
    let id = col(&env, "id").unwrap();
    env.add_session("s1", &id);
    env.roster(["edit", "ANN@example.com", "--title", "Lead", "--company", "ACME"])
        .args(["--timezone", "Europe/Berlin", "--role", "staff"])
        .args(["--email-notifications", "false"])
        .succeeds()
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
    env.roster(["edit", "ann@example.com", "--title", ""])
        .succeeds();
    assert_eq!(col(&env, "title"), None);
    env.roster([
        "edit",
        "ann@example.com",
        "--first-name",
        "Ann",
        "--title",
        "",
    ])
    .keeps_db()
    .succeeds()
    .stderr("ann@example.com already has these values; nothing to do\n")
    .db_unchanged();
}

each_db!(refusals_leave_the_database_unchanged);
fn refusals_leave_the_database_unchanged(b: Via) {
    let env = setup(b);
    let cases: [(&[&str], i32); 5] = [
        (&["edit", "ann@example.com"], 2),
        (&["edit", "nobody@example.com", "--title", "x"], 3),
        (&["edit", "ann@example.com", "--role", "nope"], 3),
        (&["edit", "ann@example.com", "--timezone", "Mars/Base"], 5),
        (&["edit", "ann@example.com", "--avatar", "not-a-uuid"], 5),
    ];
    for (args, code) in cases {
        env.roster(args).fails(code).db_unchanged().error_line();
    }
    env.roster(["edit", "ann@example.com", "--title", "x", "--dry-run"])
        .keeps_db()
        .succeeds()
        .db_unchanged();
}

each_db!(the_last_active_admin_keeps_admin_access_unless_forced);
fn the_last_active_admin_keeps_admin_access_unless_forced(b: Via) {
    let env = setup(b);
    env.roster(["edit", "boss@example.com", "--role", "Staff"])
        .succeeds();
    env.roster(["edit", "ann@example.com", "--role", "Staff"])
        .fails(4)
        .stderr(
            "error: ann@example.com is the last active administrator; this role change would \
                 lock everyone out (use --force to do it anyway)\n",
        )
        .db_unchanged();
    env.roster(["edit", "ann@example.com", "--role", "Staff", "--force"])
        .succeeds();
}

each_db!(a_deleted_user_cannot_be_edited);
fn a_deleted_user_cannot_be_edited(b: Via) {
    let env = setup(b);
    env.roster(["soft-delete", "ann@example.com", "--yes"])
        .succeeds();
    env.roster(["edit", "ann@example.com", "--title", "x"])
        .code(4);
}

each_db!(an_existing_file_can_be_the_avatar_on_directus);
fn an_existing_file_can_be_the_avatar_on_directus(b: Via) {
    let env = TestEnv::directus11(b);
    let file = "11111111-2222-4333-8444-555555555555";
    env.exec(&format!(
                "INSERT INTO directus_files (id, storage, filename_download, type) VALUES ('{file}', 'local', 'a.png', 'image/png')"
            ));
    env.roster(["edit", "editor@example.com", "--avatar", file])
        .succeeds();
    let avatar =
        "SELECT CAST(avatar AS TEXT) FROM directus_users WHERE email = 'editor@example.com'";
    assert_eq!(env.value(avatar).as_deref(), Some(file));
    let unknown = "22222222-2222-4333-8444-555555555555";
    env.roster(["edit", "editor@example.com", "--avatar", unknown])
        .code(3);
    env.roster(["edit", "editor@example.com", "--avatar", "none"])
        .succeeds();
    assert_eq!(env.value(avatar), None);
}
