//! What operators asked for and what surprised them: status filters, stale
//! accounts, roles whose access differs, unverified users, SSO accounts.

use crate::common::*;
use crate::common::{Via, each_db};

each_db!(an_unknown_status_filter_is_a_usage_error_naming_the_known_ones);
fn an_unknown_status_filter_is_a_usage_error_naming_the_known_ones(b: Via) {
    let env = TestEnv::directus11(b);
    for cmd in ["list", "export"] {
        let a = env.cmd().args([cmd, "--status", "bogus"]).assert().code(2);
        assert_eq!(
            stderr_of(&a),
            "error: unknown status \"bogus\": use draft, invited, active, suspended, deleted or unverified\n"
        );
    }
}

each_db!(stale_accounts_are_found_and_counted);
fn stale_accounts_are_found_and_counted(b: Via) {
    let env = TestEnv::directus11(b);
    // admin logged in a day ago, editor long ago; the others never did.
    let ago = |days: i64| match b.backend {
        Backend::Sqlite => format!("{}", roster::repo::now_ms() - days * 86_400_000),
        // The SQL-standard spelling, which PostgreSQL and MySQL both read.
        _ => format!("now() - interval '{days}' day"),
    };
    env.exec(&format!(
        "UPDATE directus_users SET last_access = {} WHERE email = 'admin@example.com'",
        ago(1)
    ));
    env.exec(&format!(
        "UPDATE directus_users SET last_access = {} WHERE email = 'editor@example.com'",
        ago(60)
    ));
    let a = env
        .cmd()
        .args(["list", "--inactive-since", "30d", "--format", "json"])
        .assert()
        .code(0);
    let emails: Vec<String> = json_of(&a)
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        emails,
        [
            "editor@example.com",
            "invited@example.com",
            "suspended@example.com"
        ],
    );
    let a = env
        .cmd()
        .args(["list", "--inactive-since", "30d", "--count"])
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "3\n");
    let a = env
        .cmd()
        .args(["list", "--count", "--all"])
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "5\n");
    let a = env
        .cmd()
        .args([
            "export",
            "--inactive-since",
            "30d",
            "--output-format",
            "jsonl",
        ])
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a).lines().count(), 3);
}

each_db!(roles_create_if_not_exists_refuses_a_role_whose_access_differs);
fn roles_create_if_not_exists_refuses_a_role_whose_access_differs(b: Via) {
    let env = TestEnv::directus11(b);
    let before = env.dump();
    let a = env
        .cmd()
        .args(["roles", "create", "Editor", "--if-not-exists", "--admin"])
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: role Editor exists with admin = false, but admin = true was asked for; roster does not change an existing role's access\n"
    );
    assert_eq!(env.dump(), before);
    env.cmd()
        .args([
            "roles",
            "create",
            "administrator",
            "--if-not-exists",
            "--admin",
        ])
        .assert()
        .code(0);
}

each_db!(unverified_users_can_be_approved_or_blocked);
fn unverified_users_can_be_approved_or_blocked(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec("UPDATE directus_users SET status = 'unverified' WHERE email = 'editor@example.com'");
    let hash = env.col("editor@example.com", "password");
    let a = env
        .cmd()
        .args(["activate", "editor@example.com"])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "activated editor@example.com (was unverified)\n"
    );
    assert_eq!(env.status_of("editor@example.com"), "active");
    assert_eq!(
        env.col("editor@example.com", "password"),
        hash,
        "their own password is kept"
    );

    env.exec("UPDATE directus_users SET status = 'unverified' WHERE email = 'editor@example.com'");
    let a = env
        .cmd()
        .args(["suspend", "editor@example.com"])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "suspended editor@example.com (was unverified)\n"
    );
    assert_eq!(env.status_of("editor@example.com"), "suspended");
}

each_db!(set_password_switches_an_sso_account_to_local_login_and_says_so);
fn set_password_switches_an_sso_account_to_local_login_and_says_so(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec("UPDATE directus_users SET provider = 'github' WHERE email = 'editor@example.com'");
    let a = env
        .cmd()
        .args(["set-password", "editor@example.com", "--password-stdin"])
        .write_stdin("New-Passw0rd!x\n")
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "set the password of editor@example.com\n\
             editor@example.com logged in through github (SSO); it now logs in with this password (provider default)\n"
    );
    assert_eq!(
        env.col("editor@example.com", "provider").as_deref(),
        Some("default")
    );
}

each_db!(edit_changes_the_email_in_any_case_unique_and_ends_sessions);
fn edit_changes_the_email_in_any_case_unique_and_ends_sessions(b: Via) {
    let env = TestEnv::directus11(b);
    env.add_session("s1", EDITOR_ID);
    let a = env
        .cmd()
        .args(["edit", "editor@example.com", "--email", "Eddie@Example.com"])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "updated editor@example.com\n  email: editor@example.com → eddie@example.com\n"
    );
    assert_eq!(env.id_of("eddie@example.com"), EDITOR_ID);
    assert_eq!(
        env.count("SELECT count(*) FROM directus_sessions"),
        0,
        "sessions end"
    );
    let before = env.dump();
    for taken in ["ADMIN@example.com", "archived@example.com"] {
        let a = env
            .cmd()
            .args(["edit", "eddie@example.com", "--email", taken])
            .assert()
            .code(4);
        assert!(
            stderr_of(&a).starts_with("error: another user ("),
            "{}",
            stderr_of(&a)
        );
    }
    assert_eq!(env.dump(), before);
}

#[test]
fn errors_are_one_json_object_under_format_json() {
    let env = TestEnv::directus11(Backend::Sqlite);
    let a = env
        .cmd()
        .args(["unsuspend", "invited@example.com", "--format", "json"])
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "{\"error\":\"cannot unsuspend invited@example.com: the user is invited\",\"exit_code\":4,\
         \"hints\":[\"`roster activate` gives an invited or draft user a password and makes it active\"]}\n"
    );
}

each_db!(sessions_are_listed_without_tokens_and_revoked_without_touching_passwords);
fn sessions_are_listed_without_tokens_and_revoked_without_touching_passwords(b: Via) {
    let env = TestEnv::directus11(b);
    env.add_session("secret-session-token-1", EDITOR_ID);
    env.add_session("secret-session-token-2", EDITOR_ID);
    let a = env
        .cmd()
        .args(["sessions", "list", "editor@example.com", "--format", "json"])
        .assert()
        .code(0);
    let out = stdout_of(&a);
    assert!(!out.contains("secret-session-token"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(json[0]["email"], "editor@example.com");
    // TestEnv::add_session's expiry: a MySQL timestamp ends in 2038.
    let expires = match b.backend {
        Backend::Mysql => "2038-01-01T00:00:00Z",
        _ => "2100-01-01T00:00:00Z",
    };
    assert_eq!(json[0]["expires"], expires);
    let a = env
        .cmd()
        .args(["sessions", "list", "admin@example.com"])
        .assert()
        .code(0);
    assert_eq!(stderr_of(&a), "no sessions\n");

    let hash = env.col("editor@example.com", "password");
    let a = env
        .cmd()
        .args([
            "sessions",
            "revoke",
            "editor@example.com",
            "admin@example.com",
        ])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "ended 2 session(s) of editor@example.com\nended 0 session(s) of admin@example.com\n"
    );
    assert_eq!(env.count("SELECT count(*) FROM directus_sessions"), 0);
    assert_eq!(env.col("editor@example.com", "password"), hash);
    assert_eq!(env.status_of("editor@example.com"), "active");
    env.cmd()
        .args(["sessions", "revoke", "nobody@example.com"])
        .assert()
        .code(3);
}

each_db!(forget_erases_a_soft_deleted_users_personal_data_and_keeps_the_row);
fn forget_erases_a_soft_deleted_users_personal_data_and_keeps_the_row(b: Via) {
    let env = TestEnv::directus11(b);
    let before = env.dump();
    let a = env
        .cmd()
        .args(["forget", "editor@example.com"])
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: editor@example.com is active: only a soft-deleted user can be forgotten (run `roster soft-delete` first)\n"
    );
    assert_eq!(env.dump(), before);

    let a = env
        .cmd()
        .args(["forget", "archived@example.com"])
        .assert()
        .code(0);
    let tomb = format!("forgotten-{ARCHIVED_ID}@forgotten.invalid");
    assert_eq!(
        stderr_of(&a),
        format!("erased the personal data of {ARCHIVED_ID}; its email is now {tomb}\n")
    );
    assert_eq!(env.id_of(&tomb), ARCHIVED_ID, "the row and id stay");
    assert_eq!(env.col(&tomb, "first_name"), None);
    assert_eq!(env.col(&tomb, "last_name"), None);
    assert_eq!(env.status_of(&tomb), "archived");
    let audit = env.rows(&format!(
            "SELECT CAST(delta AS TEXT) FROM directus_revisions WHERE item = '{ARCHIVED_ID}' ORDER BY id DESC"
        ));
    let delta = audit[0][0].clone().unwrap_or_default();
    assert!(
        !delta.contains("Arch"),
        "the audit trail holds no personal data: {delta}"
    );
    // Again: a no-op; and the old email can be created anew without reviving the row.
    env.cmd().args(["forget", ARCHIVED_ID]).assert().code(0);
    env.cmd()
        .args([
            "invite",
            "archived@example.com",
            "--role",
            "Editor",
            "--format",
            "json",
        ])
        .assert()
        .code(0);
    assert_ne!(env.id_of("archived@example.com"), ARCHIVED_ID);
}

each_db!(roles_are_renamed_and_deleted_keeping_every_user_in_a_role);
fn roles_are_renamed_and_deleted_keeping_every_user_in_a_role(b: Via) {
    let env = TestEnv::directus11(b);
    env.cmd()
        .args(["roles", "create", "Staff", "--app-access"])
        .assert()
        .code(0);
    let a = env
        .cmd()
        .args(["roles", "rename", "staff", "EDITOR"])
        .assert()
        .code(4);
    assert!(stderr_of(&a).starts_with("error: a role named \"Editor\" already exists"));
    let a = env
        .cmd()
        .args(["roles", "rename", "staff", "Crew"])
        .assert()
        .code(0);
    assert!(
        stderr_of(&a).starts_with("renamed role Staff to Crew"),
        "{}",
        stderr_of(&a)
    );

    let before = env.dump();
    let a = env
        .cmd()
        .args(["roles", "delete", "Editor"])
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: 4 user(s) hold the role Editor: give --reassign OTHER to move them first\n"
    );
    assert_eq!(env.dump(), before);
    let a = env
        .cmd()
        .args(["roles", "delete", "Editor", "--reassign", "crew"])
        .assert()
        .code(0);
    assert!(stderr_of(&a).starts_with("deleted role Editor, moving 4 user(s) to Crew"));
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM directus_roles WHERE CAST(id AS TEXT) = '{EDITOR_ROLE}'"
        )),
        0
    );
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM directus_access WHERE CAST(role AS TEXT) = '{EDITOR_ROLE}'"
        )),
        0
    );
    assert_eq!(
        env.count("SELECT count(*) FROM directus_users WHERE role IS NULL"),
        0
    );

    // The administrators' role cannot go where no admin is left.
    let before = env.dump();
    let a = env
        .cmd()
        .args(["roles", "delete", "Administrator", "--reassign", "Crew"])
        .assert()
        .code(4);
    assert!(
        stderr_of(&a).contains("would leave no active administrator"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(env.dump(), before);
}

each_db!(doctor_says_which_database_and_whether_it_is_usable);
fn doctor_says_which_database_and_whether_it_is_usable(b: Via) {
    {
        let env = TestEnv::directus11(b);
        let a = env
            .cmd()
            .args(["doctor", "--format", "json"])
            .env("DATABASE_URL", "/nowhere.db")
            .assert()
            .code(0);
        let json = json_of(&a);
        assert_eq!(json["source"], "-d");
        assert_eq!(json["passed_over"], serde_json::json!(["DATABASE_URL"]));
        assert_eq!(json["connected"], true);
        assert_eq!(json["schema"], "directus11");
        assert_eq!(json["last_migration"], "20240924B");
        assert_eq!(json["active_admins"], 1, "{json}");
    }
}

#[test]
fn doctor_names_the_default_database_and_refuses_other_files() {
    // Nothing named: the default, which doctor does not create.
    let dir = tempfile::tempdir().unwrap();
    let a = bare_cmd(dir.path()).arg("doctor").assert().code(0);
    assert!(
        stdout_of(&a).starts_with("database:        SQLite file roster.db (named by the default")
    );
    assert_eq!(
        stderr_of(&a),
        "warning: roster.db does not exist yet: the first command creates it\n"
    );
    assert!(!dir.path().join("roster.db").exists());
    // A file that is not a roster or Directus database: exit 6.
    std::fs::write(dir.path().join("other.db"), b"").unwrap();
    let a = bare_cmd(dir.path())
        .args(["doctor", "-d", "other.db"])
        .assert()
        .code(6);
    assert!(stdout_of(&a).contains("connected:       yes"));
    assert!(
        stderr_of(&a).contains("neither a Directus nor a roster database"),
        "{}",
        stderr_of(&a)
    );
}
