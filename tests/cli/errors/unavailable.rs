//! An unusable database (exit 6).

use super::*;

each_db!(a_named_database_without_roster_schema_exits_6_naming_init);
fn a_named_database_without_roster_schema_exits_6_naming_init(b: Via) {
    let env = TestEnv::empty(b);
    let want = match b.backend {
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
    };
    let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
        (vec!["list"], None),
        (
            vec!["invite", "x@example.com", "--role", "Administrator"],
            None,
        ),
        (
            vec![
                "create",
                "x@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ],
            Some(PW),
        ),
        (vec!["suspend", "x@example.com"], None),
        (vec!["roles", "create", "Editor"], None),
    ];
    for (args, stdin) in cases {
        assert_eq!(refused(&env, &args, stdin, 6), want, "{args:?}");
    }
    // Named through the environment instead of -d: still never created implicitly.
    let mut cmd = bare_cmd(env.dir.path());
    cmd.env("ROSTER_DATABASE_URL", &env.url).args([
        "--no-input",
        "invite",
        "x@example.com",
        "--role",
        "Administrator",
    ]);
    assert_eq!(refused_cmd(&env, cmd, 6, "ROSTER_DATABASE_URL"), want,);

    assert!(
        !env.dir.path().join("roster.db").exists(),
        "no default database either"
    );
    match b.backend {
        Backend::Sqlite => assert!(!Path::new(&env.url).exists(), "the named file was created"),
        Backend::Postgres | Backend::Mysql => {
            assert_eq!(env.dump(), "", "tables were created")
        }
    }
}

#[test]
fn a_missing_sqlite_file_given_as_a_sqlite_url_exits_6() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing.db");
    for url in [
        format!("sqlite:{}", path.display()),
        format!("sqlite://{}", path.display()),
    ] {
        let a = bare_cmd(dir.path())
            .args(["-d", &url, "--no-input", "list"])
            .assert()
            .code(6);
        let line = error_line(&stderr_of(&a), &url);
        assert!(
            line.contains("does not exist") && line.contains("roster init"),
            "{line}"
        );
        assert!(!path.exists(), "{url}: the file was created");
    }
}
