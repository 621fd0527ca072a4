//! The default database `roster.db`, and failures before a listing's first row.

use super::*;

#[test]
fn without_a_database_roster_creates_roster_db_here_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let a = bare_cmd(dir.path())
        .args([
            "--no-input",
            "create",
            "first@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
        ])
        .write_stdin(PW)
        .assert()
        .code(0);
    let db = dir.path().join("roster.db");
    assert!(db.exists());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (id, status): (String, String) = conn
        .query_row(
            "SELECT id, status FROM directus_users WHERE email = 'first@example.com'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(status, "active");
    let err = stderr_of(&a);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].contains(
            "created roster.db with roster's standalone schema (an Administrator role is ready)"
        ),
        "{err}"
    );
    assert_eq!(
        lines[1],
        format!("created active user first@example.com ({id})"),
        "{err}"
    );

    // The second run uses it, without the note.
    let a = bare_cmd(dir.path())
        .args([
            "--no-input",
            "invite",
            "second@example.com",
            "--role",
            "Administrator",
        ])
        .assert()
        .code(0);
    assert!(
        !stderr_of(&a).contains("created roster.db"),
        "{}",
        stderr_of(&a)
    );
    let n: i64 = conn
        .query_row("SELECT count(*) FROM directus_users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

each_db!(a_database_named_by_the_environment_is_used_instead_of_the_default);
fn a_database_named_by_the_environment_is_used_instead_of_the_default(b: Via) {
    let env = TestEnv::standalone(b);
    let elsewhere = tempfile::tempdir().unwrap();
    for var in ["ROSTER_DATABASE_URL", "DATABASE_URL"] {
        let email = format!("{}@example.com", var.to_lowercase().replace('_', "-"));
        let a = bare_cmd(elsewhere.path())
            .env(var, &env.url)
            .args(["--no-input", "invite", &email, "--role", "Administrator"])
            .assert()
            .code(0);
        assert!(!stderr_of(&a).contains("roster.db"), "{}", stderr_of(&a));
        env.id_of(&email);
    }
    assert!(!elsewhere.path().join("roster.db").exists());
}

// ---------------------------------------------------------------- failing before the first row

each_db!(a_listing_that_fails_before_its_first_row_leaves_stdout_empty);
fn a_listing_that_fails_before_its_first_row_leaves_stdout_empty(b: Via) {
    let env = TestEnv::empty(b);
    env.exec("CREATE TABLE directus_users (id varchar(36))");
    let runs: [&[&str]; 6] = [
        &["--format", "json", "list"],
        &["--format", "csv", "list"],
        &["export", "--output-format", "json"],
        &["export", "--output-format", "csv"],
        &["export", "--output-format", "jsonl"],
        &["export", "--output-format", "toml"],
    ];
    for args in runs {
        let a = env.cmd().args(args).assert().code(6);
        assert_eq!(stdout_of(&a), "", "{args:?}: no half document");
        assert_eq!(stderr_of(&a).lines().count(), 1, "{args:?}");
    }
}

each_db!(verbose_adds_the_database_s_own_report_without_values);
fn verbose_adds_the_database_s_own_report_without_values(b: Via) {
    let env = TestEnv::empty(b);
    env.exec("CREATE TABLE directus_users (id varchar(36))");
    let a = env.cmd().args(["list"]).assert().code(6);
    let quiet = stderr_of(&a);
    let a = env.cmd().args(["-v", "list"]).assert().code(6);
    let loud = stderr_of(&a);
    let lines: Vec<&str> = loud.lines().collect();
    assert_eq!(lines[0], quiet.trim_end(), "the same error line first");
    let own = match b.backend {
        Backend::Sqlite => "caused by: SQLite error 1: no such ",
        Backend::Postgres => "caused by: PostgreSQL ERROR 42",
        Backend::Mysql => "caused by: MySQL error 1",
    };
    assert!(lines[1].starts_with(own), "{loud}");
    let a = env
        .cmd()
        .args(["-v", "--format", "json", "list"])
        .assert()
        .code(6);
    let report: serde_json::Value = serde_json::from_str(&stderr_of(&a)).unwrap();
    assert_eq!(
        report["causes"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
}
