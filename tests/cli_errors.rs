//! Refusals on every backend: bad input, unknown users and roles, missing
//! arguments off a terminal, missing databases, conflicts. Each one exits with
//! its documented code, prints one `error: ` line (maybe followed by `hint: `
//! lines) and leaves the database exactly as it was. Also: `--dry-run` changes
//! nothing for any mutating command, and the default `roster.db` (spec §4, §8).
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a failure is a test failure

mod common;
use assert_cmd::Command;
use common::{Backend, TestEnv, backends, bare_cmd, error_line, json_of, stderr_of, stdout_of};
use std::path::Path;

const PW: &str = "Str0ng!Pass\n";
const NO_PASSWORD: &str = "error: no password given: use --password-stdin, --password-file, --password-env or \
                           --random-password (roster prompts only at a terminal, and never with --no-input)";
const NO_ROLE: &str = "error: a new user needs a role: give --role NAME (see `roster roles list`)";
const NEEDS_YES: &str =
    "error: soft-delete needs --yes when roster cannot ask (no terminal, or --no-input)";

// ---------------------------------------------------------------- helpers

/// Everything a command could change: every row, and on SQLite whether the file
/// exists and its bytes.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    exists: bool,
    dump: String,
    bytes: Vec<u8>,
}

fn snapshot(env: &TestEnv) -> Snapshot {
    match env.backend {
        // Opening a missing file to dump it would create it: look only at what is there.
        Backend::Sqlite if !Path::new(&env.url).exists() => Snapshot {
            exists: false,
            dump: String::new(),
            bytes: Vec::new(),
        },
        Backend::Sqlite => Snapshot {
            exists: true,
            bytes: env.file_bytes(),
            dump: env.dump(),
        },
        Backend::Postgres | Backend::Mysql => Snapshot {
            exists: true,
            dump: env.dump(),
            bytes: Vec::new(),
        },
    }
}

/// `roster -d URL` without `--no-input`; stdin is not a terminal under the test runner.
fn off_terminal_cmd(env: &TestEnv) -> Command {
    let mut cmd = bare_cmd(env.dir.path());
    cmd.args(["-d", &env.url]);
    cmd
}

/// Runs `cmd`, which must exit with `code`, print one error (plus hints) and
/// change nothing. Returns the error line.
fn refused_cmd(env: &TestEnv, mut cmd: Command, code: i32, what: &str) -> String {
    let before = snapshot(env);
    let a = cmd.assert().code(code);
    let what = format!("{:?}: {what}", env.backend);
    let line = error_line(&stderr_of(&a), &what);
    assert_eq!(stdout_of(&a), "", "{what}: nothing on stdout");
    assert_eq!(snapshot(env), before, "{what}: the database changed");
    line
}

/// [`refused_cmd`] for `roster -d URL --no-input ARGS`, with `stdin` when given.
fn refused(env: &TestEnv, args: &[&str], stdin: Option<&str>, code: i32) -> String {
    let mut cmd = env.cmd();
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    refused_cmd(env, cmd, code, &format!("{args:?}"))
}

/// The standalone schema with an Editor role and an active administrator.
fn populated(b: Backend) -> TestEnv {
    let env = TestEnv::with_editor(b);
    env.user_with_status("admin@example.com", "Administrator", "active");
    env
}

// ---------------------------------------------------------------- bad values (exit 5)

#[test]
fn bad_emails_are_refused_with_exit_5() {
    for b in backends() {
        let env = populated(b);
        let long = format!("{}@example.com", "a".repeat(117));
        assert_eq!(long.len(), 129);
        let cases = [
            ("Not-An-Email", r#"invalid email "not-an-email": it needs exactly one @"#.to_string()),
            ("a@@example.com", r#"invalid email "a@@example.com": it needs exactly one @"#.into()),
            ("a@b", r#"invalid email "a@b": the domain needs at least two labels, like example.com"#.into()),
            ("@example.com", r#"invalid email "@example.com": the part before @ is empty"#.into()),
            ("a b@example.com", r#"invalid email "a b@example.com": it contains whitespace or control characters"#.into()),
            (
                "a@exa_mple.com",
                r#"invalid email "a@exa_mple.com": the domain may hold only letters, digits and hyphens (IDN as punycode)"#
                    .into(),
            ),
            (
                "a@bücher.de",
                r#"invalid email "a@bücher.de": the domain may hold only letters, digits and hyphens (IDN as punycode)"#
                    .into(),
            ),
            ("a@example..com", r#"invalid email "a@example..com": the domain may hold only letters, digits and hyphens (IDN as punycode)"#.into()),
            ("   ", r#"invalid email "": it is empty"#.into()),
            (long.as_str(), format!("invalid email {long:?}: it is longer than 128 characters")),
        ];
        for (email, want) in &cases {
            let want = format!("error: {want}");
            assert_eq!(
                refused(&env, &["invite", email, "--role", "Editor"], None, 5),
                want,
                "{b:?}"
            );
            // The email is checked before the role, the password and the database.
            assert_eq!(
                refused(&env, &["create", email, "--role", "Nope"], None, 5),
                want,
                "{b:?}"
            );
        }
    }
}

#[test]
fn the_longest_valid_email_and_names_are_accepted() {
    for b in backends() {
        let env = populated(b);
        let email = format!("{}@example.com", "a".repeat(116));
        let name = "é".repeat(50);
        env.cmd()
            .args([
                "invite",
                &email,
                "--role",
                "Editor",
                "--first-name",
                &name,
                "--last-name",
                &name,
                "--title",
                &name,
            ])
            .assert()
            .code(0);
        let row = env.rows(&format!(
            "SELECT first_name, last_name, title FROM directus_users WHERE email = '{email}'"
        ));
        assert_eq!(
            row,
            vec![vec![
                Some(name.clone()),
                Some(name.clone()),
                Some(name.clone())
            ]],
            "{b:?}"
        );
    }
}

#[test]
fn too_long_names_are_refused_with_exit_5() {
    for b in backends() {
        let env = populated(b);
        for long in ["x".repeat(51), "é".repeat(51)] {
            for (flag, what) in [
                ("--first-name", "first name"),
                ("--last-name", "last name"),
                ("--title", "title"),
            ] {
                let want = format!("error: {what} is longer than 50 characters");
                let got = refused(
                    &env,
                    &["invite", "n@example.com", "--role", "Editor", flag, &long],
                    None,
                    5,
                );
                assert_eq!(got, want, "{b:?}");
                let got = refused(
                    &env,
                    &["create", "n@example.com", "--role", "Editor", flag, &long],
                    None,
                    5,
                );
                assert_eq!(got, want, "{b:?}");
            }
        }
    }
}

#[test]
fn bad_timezone_language_and_theme_are_refused() {
    for b in backends() {
        let env = populated(b);
        for (flag, value, want) in [
            (
                "--timezone",
                "Mars/Base",
                r#"error: timezone "Mars/Base" is not an IANA zone name such as Europe/Berlin"#,
            ),
            (
                "--timezone",
                "CEST+2",
                r#"error: timezone "CEST+2" is not an IANA zone name such as Europe/Berlin"#,
            ),
            (
                "--language",
                "english please",
                r#"error: language "english please" is not a BCP 47 tag such as en-US"#,
            ),
            (
                "--locale",
                "e",
                r#"error: language "e" is not a BCP 47 tag such as en-US"#,
            ),
        ] {
            let got = refused(
                &env,
                &["invite", "t@example.com", "--role", "Editor", flag, value],
                None,
                5,
            );
            assert_eq!(got, want, "{b:?}");
        }
        // The theme is checked by the argument parser: a usage error, in clap's own
        // format (an error line, then its usage text).
        let before = snapshot(&env);
        let a = env
            .cmd()
            .args([
                "invite",
                "t@example.com",
                "--role",
                "Editor",
                "--theme",
                "pink",
            ])
            .assert()
            .code(5);
        // A bad field value is a validation error (5), as the spec's table says.
        assert_eq!(
            stderr_of(&a),
            "error: theme \"pink\" must be light, dark or auto\n",
            "{b:?}"
        );
        assert_eq!(snapshot(&env), before, "{b:?}");
    }
}

#[test]
fn values_longer_than_their_column_are_refused_with_exit_5() {
    for b in backends() {
        let env = populated(b);
        let company = "c".repeat(256);
        refused(
            &env,
            &[
                "invite",
                "c@example.com",
                "--role",
                "Editor",
                "--company",
                &company,
            ],
            None,
            5,
        );
        let language = format!("en{}", "-abcdefgh".repeat(30));
        refused(
            &env,
            &[
                "invite",
                "c@example.com",
                "--role",
                "Editor",
                "--language",
                &language,
            ],
            None,
            5,
        );
    }
}

// ---------------------------------------------------------------- not found (exit 3)

#[test]
fn an_unknown_role_exits_3_with_a_hint() {
    for b in backends() {
        let env = populated(b);
        let ghost = uuid::Uuid::new_v4().to_string();
        for role in ["Nope", ghost.as_str()] {
            let mut cmd = env.cmd();
            cmd.args(["invite", "r@example.com", "--role", role]);
            let before = snapshot(&env);
            let a = cmd.assert().code(3);
            assert_eq!(
                stderr_of(&a),
                format!("error: no role {role:?}\nhint: `roster roles list` shows the roles\n"),
                "{b:?}"
            );
            assert_eq!(snapshot(&env), before, "{b:?}");
        }
        let got = refused(
            &env,
            &[
                "create",
                "r@example.com",
                "--role",
                "Nope",
                "--password-stdin",
            ],
            Some(PW),
            3,
        );
        assert_eq!(got, r#"error: no role "Nope""#, "{b:?}");
    }
}

#[test]
fn an_unknown_user_exits_3() {
    for b in backends() {
        let env = populated(b);
        let ghost = uuid::Uuid::new_v4().to_string();
        for user in ["nobody@example.com", ghost.as_str()] {
            let want = format!("error: no user {user}");
            let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
                (vec!["suspend", user], None),
                (vec!["unsuspend", user], None),
                (vec!["soft-delete", "--yes", user], None),
                (vec!["activate", user, "--password-stdin"], Some(PW)),
                (vec!["set-token", user], None),
                (vec!["set-token", user, "--clear"], None),
                (vec!["show", user], None),
            ];
            for (args, stdin) in cases {
                assert_eq!(refused(&env, &args, stdin, 3), want, "{b:?}: {args:?}");
            }
        }
        // set-password hashes before it looks the user up: once is enough.
        let got = refused(
            &env,
            &["set-password", "nobody@example.com", "--password-stdin"],
            Some(PW),
            3,
        );
        assert_eq!(got, "error: no user nobody@example.com", "{b:?}");
        // An unknown acting user is not found either.
        let got = refused(
            &env,
            &[
                "--actor",
                "nobody@example.com",
                "invite",
                "x@example.com",
                "--role",
                "Editor",
            ],
            None,
            3,
        );
        assert_eq!(
            got, "error: no user nobody@example.com (given as --actor)",
            "{b:?}"
        );
    }
}

// ---------------------------------------------------------------- usage (exit 2)

#[test]
fn a_new_user_without_a_role_off_a_terminal_exits_2() {
    for b in backends() {
        let env = populated(b);
        assert_eq!(
            refused(&env, &["invite", "new@example.com"], None, 2),
            NO_ROLE,
            "{b:?}"
        );
        let got = refused(
            &env,
            &["create", "new@example.com", "--password-stdin"],
            Some(PW),
            2,
        );
        assert_eq!(got, NO_ROLE, "{b:?}");
        // Without --no-input, but with no terminal to ask at.
        let mut cmd = off_terminal_cmd(&env);
        cmd.args(["invite", "new@example.com"]);
        assert_eq!(
            refused_cmd(&env, cmd, 2, "invite off a terminal"),
            NO_ROLE,
            "{b:?}"
        );
        // An existing email is a conflict first, with or without a role.
        let got = refused(&env, &["invite", "ADMIN@example.com"], None, 4);
        assert_eq!(
            got, "error: a user with email admin@example.com already exists (status active)",
            "{b:?}"
        );
    }
}

#[test]
fn a_missing_password_off_a_terminal_exits_2() {
    for b in backends() {
        let env = populated(b);
        env.user_with_status("inv@example.com", "Editor", "invited");
        for args in [
            vec!["create", "new@example.com", "--role", "Editor"],
            vec!["activate", "inv@example.com"],
            vec!["set-password", "admin@example.com"],
        ] {
            assert_eq!(
                refused(&env, &args, None, 2),
                NO_PASSWORD,
                "{b:?}: {args:?}"
            );
            let mut cmd = off_terminal_cmd(&env);
            cmd.args(&args);
            assert_eq!(
                refused_cmd(&env, cmd, 2, "off a terminal"),
                NO_PASSWORD,
                "{b:?}: {args:?}"
            );
        }
    }
}

#[test]
fn soft_delete_without_yes_exits_2() {
    for b in backends() {
        let env = populated(b);
        env.user_with_status("ed@example.com", "Editor", "active");
        assert_eq!(
            refused(&env, &["soft-delete", "ed@example.com"], None, 2),
            NEEDS_YES,
            "{b:?}"
        );
        let mut cmd = off_terminal_cmd(&env);
        cmd.args(["soft-delete", "ed@example.com"]);
        assert_eq!(
            refused_cmd(&env, cmd, 2, "off a terminal"),
            NEEDS_YES,
            "{b:?}"
        );
    }
}

#[test]
fn bad_database_urls_and_config_files_exit_2() {
    for b in backends() {
        let env = populated(b);
        let mut cmd = bare_cmd(env.dir.path());
        cmd.args(["-d", "oracle://localhost/directus", "--no-input", "list"]);
        let got = refused_cmd(&env, cmd, 2, "oracle URL");
        assert_eq!(
            got,
            r#"error: unsupported database URL scheme "oracle": use sqlite:PATH, a file path, postgres:// or mysql://"#,
            "{b:?}"
        );

        let missing = env.dir.path().join("absent.toml");
        let got = refused(
            &env,
            &["--config", &missing.display().to_string(), "list"],
            None,
            2,
        );
        assert!(
            got.starts_with(&format!(
                "error: cannot read config file {}: ",
                missing.display()
            )),
            "{b:?}: {got}"
        );

        let bad = env.dir.path().join("bad.toml");
        std::fs::write(&bad, "[password_policy]\nmin_lenght = 3\n").unwrap();
        let got = refused(
            &env,
            &["--config", &bad.display().to_string(), "list"],
            None,
            2,
        );
        assert!(
            got.starts_with(&format!(
                "error: config file {} is not valid: ",
                bad.display()
            )),
            "{b:?}: {got}"
        );
    }
}

// ---------------------------------------------------------------- conflicts (exit 4)

#[test]
fn conflicts_exit_4() {
    for b in backends() {
        let env = populated(b);
        env.user_with_status("sus@example.com", "Editor", "suspended");
        env.user_with_status("inv@example.com", "Editor", "invited");
        env.user_with_status("del@example.com", "Editor", "deleted");
        let cases: Vec<(Vec<&str>, Option<&str>, &str)> = vec![
            (
                vec![
                    "create",
                    "Admin@Example.com",
                    "--role",
                    "Editor",
                    "--password-stdin",
                ],
                Some(PW),
                "error: a user with email admin@example.com already exists (status active)",
            ),
            (
                vec!["invite", "sus@example.com", "--role", "Editor"],
                None,
                "error: a user with email sus@example.com already exists (status suspended)",
            ),
            (
                vec!["activate", "sus@example.com", "--password-stdin"],
                Some(PW),
                "error: cannot activate sus@example.com: the user is suspended",
            ),
            (
                vec!["unsuspend", "inv@example.com"],
                None,
                "error: cannot unsuspend inv@example.com: the user is invited",
            ),
            (
                vec!["suspend", "del@example.com"],
                None,
                "error: cannot suspend del@example.com: the user is deleted",
            ),
            (
                vec!["suspend", "admin@example.com"],
                None,
                "error: admin@example.com is the last active administrator; roster will not lock everyone out \
                 (use --force to do it anyway)",
            ),
            (
                vec!["roles", "create", "editor"],
                None,
                "error: a role named \"Editor\" already exists (ROLE)",
            ),
        ];
        let editor = env
            .value("SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = 'Editor'")
            .unwrap();
        for (args, stdin, want) in cases {
            let want = want.replace("ROLE", &editor);
            assert_eq!(refused(&env, &args, stdin, 4), want, "{b:?}: {args:?}");
        }
    }
}

#[test]
fn init_twice_exits_4() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let got = refused(&env, &["init"], None, 4);
        assert_eq!(
            got, "error: this database already has a directus_users table; nothing to initialise",
            "{b:?}"
        );
        let got = refused(&env, &["init", "--dry-run"], None, 4);
        assert_eq!(
            got, "error: this database already has a directus_users table; nothing to initialise",
            "{b:?}"
        );
    }
}

// ---------------------------------------------------------------- database unavailable (exit 6)

#[test]
fn a_named_database_without_roster_schema_exits_6_naming_init() {
    for b in backends() {
        let env = TestEnv::empty(b);
        let want = match b {
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
            assert_eq!(refused(&env, &args, stdin, 6), want, "{b:?}: {args:?}");
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
        assert_eq!(
            refused_cmd(&env, cmd, 6, "ROSTER_DATABASE_URL"),
            want,
            "{b:?}"
        );

        assert!(
            !env.dir.path().join("roster.db").exists(),
            "{b:?}: no default database either"
        );
        match b {
            Backend::Sqlite => assert!(!Path::new(&env.url).exists(), "the named file was created"),
            Backend::Postgres | Backend::Mysql => {
                assert_eq!(env.dump(), "", "tables were created")
            }
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

// ---------------------------------------------------------------- dry runs

/// Runs a `--dry-run` command: it succeeds, says what it would have done, and changes nothing.
fn dry(env: &TestEnv, args: &[&str], stdin: Option<&str>) -> assert_cmd::assert::Assert {
    let before = snapshot(env);
    let mut cmd = env.cmd();
    cmd.args(args).arg("--dry-run");
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let a = cmd.assert().code(0);
    let err = stderr_of(&a);
    assert!(
        err.contains("dry run: would have") && err.contains("nothing was changed"),
        "{:?}: {args:?}: {err}",
        env.backend
    );
    assert_eq!(
        snapshot(env),
        before,
        "{:?}: {args:?} --dry-run changed the database",
        env.backend
    );
    a
}

#[test]
fn dry_run_changes_nothing_for_every_mutating_command() {
    for b in backends() {
        let env = populated(b);
        env.user_with_status("ed@example.com", "Editor", "active");
        env.user_with_status("inv@example.com", "Editor", "invited");
        env.user_with_status("sus@example.com", "Editor", "suspended");
        env.user_with_status("del@example.com", "Editor", "deleted");
        let tok = env.user_with_status("tok@example.com", "Editor", "active");
        env.exec(&format!(
                "UPDATE directus_users SET token = 'dry-token-0123456789abcdef0123456789' WHERE id = '{tok}'"
            ));
        let ed = env.id_of("ed@example.com");
        env.add_session("sess-ed", &ed);

        dry(
            &env,
            &[
                "create",
                "new@example.com",
                "--role",
                "Editor",
                "--password-stdin",
            ],
            Some(PW),
        );
        let a = dry(
            &env,
            &[
                "create",
                "new@example.com",
                "--role",
                "Editor",
                "--random-password",
            ],
            None,
        );
        assert_eq!(
            stdout_of(&a),
            "",
            "{b:?}: no password is shown for a user that was not made"
        );
        dry(
            &env,
            &["create", "DEL@example.com", "--password-stdin"],
            Some(PW),
        );
        dry(
            &env,
            &["invite", "new@example.com", "--role", "Editor"],
            None,
        );
        dry(&env, &["invite", "del@example.com"], None);
        dry(
            &env,
            &["activate", "inv@example.com", "--password-stdin"],
            Some(PW),
        );
        dry(
            &env,
            &["set-password", "ed@example.com", "--password-stdin"],
            Some(PW),
        );
        dry(
            &env,
            &["suspend", "ed@example.com", "inv@example.com"],
            None,
        );
        dry(&env, &["unsuspend", "sus@example.com"], None);
        dry(
            &env,
            &["soft-delete", "--yes", "ed@example.com", "tok@example.com"],
            None,
        );
        let a = dry(&env, &["set-token", "ed@example.com"], None);
        assert_eq!(
            stdout_of(&a),
            "",
            "{b:?}: no token is shown when none was set"
        );
        dry(
            &env,
            &["set-token", "ed@example.com", "--stdin"],
            Some("dry-token-abcdefghijklmnopqrstuvwxyz\n"),
        );
        dry(&env, &["set-token", "tok@example.com", "--clear"], None);
        dry(&env, &["roles", "create", "Viewer"], None);
        dry(
            &env,
            &["roles", "create", "Boss", "--admin", "--app-access"],
            None,
        );

        let a = dry(
            &env,
            &[
                "invite",
                "json@example.com",
                "--role",
                "Editor",
                "--format",
                "json",
            ],
            None,
        );
        let out = json_of(&a);
        assert_eq!(out["dry_run"], true, "{b:?}");
        assert_eq!(out["result"], "created", "{b:?}");
        assert_eq!(out["user"]["email"], "json@example.com", "{b:?}");
    }
}

#[test]
fn dry_run_of_init_creates_nothing() {
    for b in backends() {
        let env = TestEnv::empty(b);
        let a = env.cmd().args(["init", "--dry-run"]).assert().code(0);
        let err = stderr_of(&a);
        assert!(
            err.starts_with("dry run: would have created") && err.contains("nothing was changed"),
            "{b:?}: {err}"
        );
        match b {
            Backend::Sqlite => assert!(!Path::new(&env.url).exists(), "the file was created"),
            Backend::Postgres | Backend::Mysql => {
                assert_eq!(env.dump(), "", "tables were created")
            }
        }
    }
}

// ---------------------------------------------------------------- the default database

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

#[test]
fn a_database_named_by_the_environment_is_used_instead_of_the_default() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let elsewhere = tempfile::tempdir().unwrap();
        for var in ["ROSTER_DATABASE_URL", "DATABASE_URL"] {
            let email = format!("{}@example.com", var.to_lowercase().replace('_', "-"));
            let a = bare_cmd(elsewhere.path())
                .env(var, &env.url)
                .args(["--no-input", "invite", &email, "--role", "Administrator"])
                .assert()
                .code(0);
            assert!(
                !stderr_of(&a).contains("roster.db"),
                "{b:?}: {}",
                stderr_of(&a)
            );
            env.id_of(&email);
        }
        assert!(!elsewhere.path().join("roster.db").exists(), "{b:?}");
    }
}

// ---------------------------------------------------------------- failing before the first row

#[test]
fn a_listing_that_fails_before_its_first_row_leaves_stdout_empty() {
    for b in backends() {
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
            assert_eq!(stdout_of(&a), "", "{b:?} {args:?}: no half document");
            assert_eq!(stderr_of(&a).lines().count(), 1, "{b:?} {args:?}");
        }
    }
}

#[test]
fn verbose_adds_the_database_s_own_report_without_values() {
    for b in backends() {
        let env = TestEnv::empty(b);
        env.exec("CREATE TABLE directus_users (id varchar(36))");
        let a = env.cmd().args(["list"]).assert().code(6);
        let quiet = stderr_of(&a);
        let a = env.cmd().args(["-v", "list"]).assert().code(6);
        let loud = stderr_of(&a);
        let lines: Vec<&str> = loud.lines().collect();
        assert_eq!(
            lines[0],
            quiet.trim_end(),
            "{b:?}: the same error line first"
        );
        let own = match b {
            Backend::Sqlite => "caused by: SQLite error 1: no such ",
            Backend::Postgres => "caused by: PostgreSQL ERROR 42",
            Backend::Mysql => "caused by: MySQL error 1",
        };
        assert!(lines[1].starts_with(own), "{b:?}: {loud}");
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
}
