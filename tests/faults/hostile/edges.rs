//! Edges of the input and of the databases: values each engine stores
//! differently, files that are not regular, odd encodings, huge input, and
//! secrets that must never be echoed or audited.

use crate::common::*;
use crate::common::{Via, each_db};

each_db!(both_databases_give_the_same_answers_at_the_edges);
fn both_databases_give_the_same_answers_at_the_edges(b: Via) {
    let env = TestEnv::directus11(b);
    let (before_1970, null_email) = match b.backend {
        Backend::Sqlite => (Some("-315619200000"), "NULL"),
        // A MySQL timestamp starts in 1970: no such value can be stored there.
        Backend::Mysql => (None, "NULL"),
        Backend::Postgres => (Some("'1960-01-01T00:00:00Z'"), "NULL"),
    };
    env.exec(&format!(
        "UPDATE directus_users SET email = {null_email} WHERE email = 'suspended@example.com'"
    ));
    if let Some(before_1970) = before_1970 {
        env.exec(&format!(
                "UPDATE directus_users SET last_access = {before_1970} WHERE email = 'editor@example.com'"
            ));
        let shown = env
            .roster(["show", "editor@example.com", "--format", "json"])
            .succeeds()
            .json();
        assert_eq!(shown["last_access"], "1960-01-01T00:00:00Z");
    }
    let users = env.roster(["list", "--format", "json"]).succeeds().json();
    let last = users
        .as_array()
        .and_then(|u| u.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        last["email"], "",
        "a user without an email sorts last: {users}"
    );
}

#[test]
fn a_password_file_that_is_not_a_regular_file_is_refused() {
    let env = TestEnv::directus11(Backend::Sqlite);
    let fifo = env.dir.path().join("pw.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // A timeout of its own: reading a FIFO nobody writes would wait for ever.
    let a = env
        .cmd()
        .args(["set-password", "editor@example.com", "--password-file"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).ends_with("it is not a regular file\n"),
        "{}",
        stderr_of(&a)
    );
}

#[test]
fn odd_encodings_and_huge_input_get_clear_messages() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::directus11(Backend::Sqlite);
    env.roster(["set-password", "editor@example.com", "--password-env", "PW"])
        .env("PW", std::ffi::OsStr::from_bytes(b"pass\xffword"))
        .fails(2)
        .stderr("error: environment variable PW is not valid UTF-8\n");
    // A .env saved with a byte-order mark reads as Node reads it.
    let dotenv = env.dir.path().join("bom.env");
    std::fs::write(
        &dotenv,
        format!("\u{feff}DB_CLIENT=sqlite3\nDB_FILENAME={}\n", env.url),
    )
    .unwrap();
    env.bare(["--env-file"])
        .arg(&dotenv)
        .args(["list", "--count"])
        .succeeds()
        .stdout("4\n");
    // A huge input is not echoed whole.
    let err = env.roster(["show", &"x".repeat(10_000)]).fails(3).err();
    assert!(err.len() < 600, "{}", err.len());
}

#[test]
fn sso_refresh_tokens_never_reach_the_audit_trail() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec("UPDATE directus_users SET auth_data = '{\"refreshToken\":\"sso-refresh-secret\"}' WHERE email = 'editor@example.com'");
    env.roster(["edit", "editor@example.com", "--title", "Lead"])
        .succeeds();
    let data = env
        .value("SELECT data FROM directus_revisions ORDER BY id DESC LIMIT 1")
        .unwrap_or_default();
    assert!(!data.contains("sso-refresh-secret"), "{data}");
    assert!(data.contains("\"auth_data\":\"**********\""), "{data}");
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_value_the_server_refuses_is_never_echoed() {
    let env = TestEnv::standalone(Via::POSTGRES.require());
    env.exec("ALTER TABLE directus_users ALTER COLUMN token TYPE uuid USING NULL");
    env.roster(["invite", "a@example.com", "--role", "Administrator"])
        .succeeds();
    let token = "a-secret-token-that-is-long-enough-0123456789";
    // Nor under -v, which adds the server's own report.
    for verbose in [&[][..], &["-v"][..]] {
        let err = env
            .roster(verbose)
            .args(["set-token", "a@example.com", "--stdin"])
            .stdin(format!("{token}\n"))
            .fails(5)
            .err();
        assert!(!err.contains(token), "{err}");
    }
}
