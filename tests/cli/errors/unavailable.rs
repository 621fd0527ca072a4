//! An unusable database (exit 6).

use super::*;

/// The refusal to use a database without roster's schema (an absent SQLite file).
fn no_schema_error(env: &TestEnv) -> String {
    match env.backend {
        Backend::Sqlite => {
            format!(
                "error: database file {0} does not exist (run `roster init -d {0}` to create it)",
                env.url
            )
        }
        Backend::Postgres | Backend::Mysql => {
            "error: this database has no directus_users table: it is neither a Directus nor a \
                                  roster database (run `roster init` to create roster's schema)"
                .to_string()
        }
    }
}

/// Neither the default database nor the named one was created.
fn assert_nothing_created(env: &TestEnv) {
    assert!(
        !env.dir.path().join("roster.db").exists(),
        "no default database either"
    );
    match env.backend {
        Backend::Sqlite => assert!(!Path::new(&env.url).exists(), "the named file was created"),
        Backend::Postgres | Backend::Mysql => {
            assert_eq!(env.dump(), "", "tables were created")
        }
    }
}

each_db!(a_named_database_without_roster_schema_exits_6_naming_init);
fn a_named_database_without_roster_schema_exits_6_naming_init(b: Via) {
    let env = TestEnv::empty(b);
    let want = no_schema_error(&env);
    let cases: [(&[&str], &str); 5] = [
        (&["list"], ""),
        (&["invite", "x@example.com", "--role", "Administrator"], ""),
        (
            &[
                "create",
                "x@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ],
            PW,
        ),
        (&["suspend", "x@example.com"], ""),
        (&["roles", "create", "Editor"], ""),
    ];
    for (args, stdin) in cases {
        let run = env.roster(args).stdin(stdin);
        run.fails(6).stderr_line(&want).db_unchanged();
    }
    assert_nothing_created(&env);
}

each_db!(a_database_named_by_the_environment_is_never_created_implicitly);
fn a_database_named_by_the_environment_is_never_created_implicitly(b: Via) {
    let env = TestEnv::empty(b);
    env.bare([
        "--no-input",
        "invite",
        "x@example.com",
        "--role",
        "Administrator",
    ])
    .env("ROSTER_DATABASE_URL", &env.url)
    .fails(6)
    .stderr_line(&no_schema_error(&env))
    .db_unchanged();
    assert_nothing_created(&env);
}

#[test]
fn a_missing_sqlite_file_given_as_a_sqlite_url_exits_6() {
    let env = TestEnv::empty(Backend::Sqlite);
    let path = env.dir.path().join("nothing.db");
    for url in [
        format!("sqlite:{}", path.display()),
        format!("sqlite://{}", path.display()),
    ] {
        let ran = env.bare(["-d", &url, "--no-input", "list"]).code(6);
        let line = ran.error_line();
        assert!(
            line.contains("does not exist") && line.contains("roster init"),
            "{line}"
        );
        assert!(!path.exists(), "{url}: the file was created");
    }
}
