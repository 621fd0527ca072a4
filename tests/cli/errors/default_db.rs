//! The default database `roster.db`, and failures before a listing's first row.

use super::*;

#[test]
fn without_a_database_roster_creates_roster_db_here_and_says_so() {
    let env = TestEnv::empty(Backend::Sqlite);
    let ran = env
        .bare(["--no-input", "create", "first@example.com"])
        .args(["--role", "Administrator", "--password-stdin"])
        .stdin(PW)
        .succeeds();
    let db = env.dir.path().join("roster.db");
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
    let err = ran.err();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    let note = "created roster.db with roster's standalone schema (an Administrator role is ready)";
    assert!(lines[0].contains(note), "{err}");
    let created = format!("created active user first@example.com ({id})");
    assert_eq!(lines[1], created, "{err}");

    // The second run uses it, without the note.
    let ran = env
        .bare([
            "--no-input",
            "invite",
            "second@example.com",
            "--role",
            "Administrator",
        ])
        .succeeds();
    assert!(!ran.err().contains("created roster.db"), "{}", ran.err());
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
        let ran = env
            .bare(["--no-input", "invite", &email, "--role", "Administrator"])
            .current_dir(elsewhere.path())
            .env(var, &env.url)
            .succeeds();
        assert!(!ran.err().contains("roster.db"), "{}", ran.err());
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
        // fails() checks that stdout is empty: no half document.
        let ran = env.roster(args).fails(6);
        assert_eq!(ran.err().lines().count(), 1, "{args:?}");
    }
}

each_db!(verbose_adds_the_database_s_own_report_without_values);
fn verbose_adds_the_database_s_own_report_without_values(b: Via) {
    let env = TestEnv::empty(b);
    env.exec("CREATE TABLE directus_users (id varchar(36))");
    let quiet = env.roster(["list"]).code(6).err();
    let loud = env.roster(["-v", "list"]).code(6).err();
    let lines: Vec<&str> = loud.lines().collect();
    assert_eq!(lines[0], quiet.trim_end(), "the same error line first");
    let own = match b.backend {
        Backend::Sqlite => "caused by: SQLite error 1: no such ",
        Backend::Postgres => "caused by: PostgreSQL ERROR 42",
        Backend::Mysql => "caused by: MySQL error 1",
    };
    assert!(lines[1].starts_with(own), "{loud}");
    let json = env.roster(["-v", "--format", "json", "list"]).code(6).err();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        report["causes"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
}
