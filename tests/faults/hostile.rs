//! A catalogue of hostile and careless input across every command: each is
//! refused with its documented exit code, exactly one `error:` line, and the
//! database exactly as it was. Run on every database the suite has.

use crate::common::*;
use crate::common::{Via, each_db};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// One bad input: the arguments, what stdin holds, and the exit code expected.
struct Case {
    args: Vec<OsString>,
    stdin: &'static str,
    code: i32,
}

fn case(args: &[&str], code: i32) -> Case {
    Case {
        args: args.iter().map(OsString::from).collect(),
        stdin: "",
        code,
    }
}

fn with_stdin(args: &[&str], stdin: &'static str, code: i32) -> Case {
    Case {
        stdin,
        ..case(args, code)
    }
}

/// Files the import and apply cases read, written into the test's folder.
const FILES: [(&str, &str); 14] = [
    ("unknown.csv", "email,nickname\na@example.com,x\n"),
    ("ragged.csv", "email,first_name\na@example.com,A,extra\n"),
    ("broken.json", "[{\"email\": \"a@example.com\""),
    ("object.json", "{\"email\": \"a@example.com\"}"),
    ("broken.toml", "[[users]\nemail = 1"),
    ("noemail.jsonl", "{\"first_name\": \"A\"}\n"),
    ("twice.csv", "email\na@example.com\nA@EXAMPLE.COM\n"),
    ("status.csv", "email,status\na@example.com,banned\n"),
    ("hash.csv", "email,password_hash\na@example.com,plaintext\n"),
    ("token.csv", "email,token\na@example.com,short\n"),
    ("zwsp.csv", "email\nadmin\u{200b}@example.com\n"),
    (
        "inject.csv",
        "email,role\nx@example.com,'; DROP TABLE directus_users; --\n",
    ),
    ("apply-table.toml", "[[groups]]\nname = \"x\"\n"),
    (
        "apply-env.toml",
        "[[users]]\nemail = \"a@example.com\"\npassword_env = \"ROSTER_TEST_UNSET_VARIABLE\"\n",
    ),
];

fn catalogue() -> Vec<Case> {
    let long = "x".repeat(51);
    let long_email = format!("{}@example.com", "a".repeat(130));
    let long_role = "r".repeat(101);
    let huge_ttl = "18446744073709551615";
    let mut cases = vec![
        // Emails.
        case(&["invite", "not-an-email", "--role", "Editor"], 5),
        case(&["invite", "a@b", "--role", "Editor"], 5),
        case(&["invite", "@example.com", "--role", "Editor"], 5),
        case(&["invite", "a@@example.com", "--role", "Editor"], 5),
        case(&["invite", "a b@example.com", "--role", "Editor"], 5),
        case(
            &["invite", "admin\u{200b}@example.com", "--role", "Editor"],
            5,
        ),
        case(
            &[
                "invite",
                "admin\u{202e}moc.elpmaxe@example.com",
                "--role",
                "Editor",
            ],
            5,
        ),
        case(
            &["invite", "\u{feff}admin@example.com", "--role", "Editor"],
            5,
        ),
        case(&["invite", "a\u{1b}[2J@example.com", "--role", "Editor"], 5),
        case(
            &["invite", "a\nerror: fake@example.com", "--role", "Editor"],
            5,
        ),
        case(&["invite", &long_email, "--role", "Editor"], 5),
        case(&["invite", "", "--role", "Editor"], 5),
        // Profile fields.
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--first-name",
                &long,
            ],
            5,
        ),
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--title",
                &long,
            ],
            5,
        ),
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--timezone",
                "Mars/Base",
            ],
            5,
        ),
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--language",
                "english please",
            ],
            5,
        ),
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--theme",
                "pink",
            ],
            5,
        ),
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--email-notifications",
                "maybe",
            ],
            5,
        ),
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--company",
                "ACME",
            ],
            5,
        ),
        // Roles, SQL metacharacters included.
        case(&["invite", "a@example.com", "--role", "Nope"], 3),
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "'; DROP TABLE directus_users; --",
            ],
            3,
        ),
        case(&["invite", "a@example.com", "--role", "%"], 3),
        case(&["invite", "a@example.com"], 2),
        // Passwords.
        case(
            &[
                "create",
                "a@example.com",
                "--role",
                "Editor",
                "--password-env",
                "ROSTER_TEST_UNSET_VARIABLE",
            ],
            2,
        ),
        case(
            &[
                "create",
                "a@example.com",
                "--role",
                "Editor",
                "--password-file",
                "/nonexistent/pw",
            ],
            2,
        ),
        case(
            &[
                "create",
                "a@example.com",
                "--role",
                "Editor",
                "--password-file",
                "/",
            ],
            2,
        ),
        with_stdin(
            &[
                "create",
                "a@example.com",
                "--role",
                "Editor",
                "--password-stdin",
            ],
            "weak\n",
            5,
        ),
        with_stdin(
            &[
                "create",
                "a@example.com",
                "--role",
                "Editor",
                "--password-stdin",
            ],
            "\n",
            5,
        ),
        with_stdin(
            &[
                "create",
                "a@example.com",
                "--role",
                "Editor",
                "--password-stdin",
            ],
            "",
            5,
        ),
        case(&["create", "a@example.com", "--role", "Editor"], 2),
        case(
            &[
                "create",
                "a@example.com",
                "--role",
                "Editor",
                "--status",
                "draft",
                "--random-password",
            ],
            2,
        ),
        with_stdin(&["policy", "check"], "short\n", 5),
        // Tokens.
        with_stdin(
            &["set-token", "editor@example.com", "--stdin"],
            "short\n",
            5,
        ),
        with_stdin(
            &["set-token", "editor@example.com", "--stdin"],
            "has spaces in it and is long enough for a token\n",
            5,
        ),
        with_stdin(
            &["set-token", "admin@example.com", "--stdin"],
            "oe9f7t5M0ojxkFCx6aK-hJh1ts4w6nFh\n",
            4,
        ),
        // Users that are not there, or cannot change so.
        case(&["suspend", "nobody@example.com"], 3),
        case(&["suspend", "' OR 1=1 --"], 3),
        case(&["show", "x\nerror: fake"], 3),
        case(&["show", "00000000-0000-0000-0000-000000000000"], 3),
        case(&["unsuspend", "invited@example.com"], 4),
        case(&["suspend", "archived@example.com"], 4),
        case(&["soft-delete", "editor@example.com"], 2),
        case(&["suspend", "admin@example.com"], 4),
        case(&["2fa", "enroll", "nobody@example.com"], 3),
        case(&["forget", "editor@example.com"], 4),
        case(&["sessions", "revoke", "nobody@example.com"], 3),
        // Edits.
        case(&["edit", "editor@example.com"], 2),
        case(&["edit", "editor@example.com", "--avatar", "not-a-uuid"], 5),
        case(
            &["edit", "editor@example.com", "--email", "not-an-email"],
            5,
        ),
        case(
            &["edit", "editor@example.com", "--email", "ADMIN@example.com"],
            4,
        ),
        // Listing.
        case(&["list", "--status", "bogus"], 2),
        case(&["list", "--limit", "-1"], 2),
        case(&["list", "--inactive-since", "soon"], 2),
        case(&["list", "--role", "Nope"], 3),
        case(&["export", "--status", "bogus"], 2),
        // Roles.
        case(&["roles", "create", ""], 5),
        case(&["roles", "create", &long_role], 5),
        case(&["roles", "create", "editor"], 4),
        case(
            &["roles", "create", "Editor", "--if-not-exists", "--admin"],
            4,
        ),
        case(&["roles", "rename", "Editor", "administrator"], 4),
        case(&["roles", "delete", "Nope"], 3),
        case(&["roles", "delete", "Editor"], 4),
        // Invite links.
        case(
            &["invite", "a@example.com", "--role", "Editor", "--link"],
            2,
        ),
        case(
            &[
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--link",
                "--public-url",
                "https://x.example.com",
                "--secret-file",
                "/nonexistent",
            ],
            2,
        ),
        // Databases and configuration.
        case(&["-d", "", "list"], 2),
        case(&["-d", "postgres:nohost", "list"], 2),
        case(&["-d", "ftp://example.com/db", "list"], 2),
        case(&["-d", "sqlite:", "list"], 2),
        case(&["--env-file", "/nonexistent/.env", "list"], 2),
        case(&["--config", "/nonexistent/roster.toml", "list"], 2),
        case(&["--busy-timeout", "-5", "list"], 2),
        case(&["no-such-command"], 2),
    ];
    // Import and apply files.
    for (file, code) in [
        ("unknown.csv", 5),
        ("ragged.csv", 5),
        ("broken.json", 5),
        ("object.json", 5),
        ("broken.toml", 5),
        ("noemail.jsonl", 5),
        ("twice.csv", 5),
        ("status.csv", 5),
        ("hash.csv", 5),
        ("token.csv", 5),
        ("zwsp.csv", 5),
        ("inject.csv", 3),
    ] {
        cases.push(case(&["import", file, "--role", "Editor"], code));
    }
    cases.push(case(&["import", "missing.csv"], 2));
    cases.push(case(&["import", "/", "--input-format", "csv"], 2));
    cases.push(case(&["import", "users.txt"], 2));
    cases.push(case(&["apply", "apply-table.toml"], 5));
    cases.push(case(&["apply", "apply-env.toml"], 2));
    cases.push(case(
        &[
            "invite",
            "a@example.com",
            "--role",
            "Editor",
            "--link",
            "--invite-ttl",
            huge_ttl,
            "--public-url",
            "https://x.example.com",
            "--secret-file",
            "users.txt",
        ],
        5,
    ));
    // Arguments that are not UTF-8 at all.
    let mut bad_utf8 = case(&["invite"], 2);
    bad_utf8.args.push(OsString::from_vec(vec![
        b'a', 0xff, b'@', b'x', b'.', b'c', b'o',
    ]));
    cases.push(bad_utf8);
    let mut bad_utf8_role = case(&["invite", "a@example.com", "--role"], 2);
    bad_utf8_role
        .args
        .push(OsString::from_vec(vec![0xc3, 0x28]));
    cases.push(bad_utf8_role);
    cases
}

each_db!(every_bad_input_is_refused_with_its_code_one_error_line_and_no_change);
fn every_bad_input_is_refused_with_its_code_one_error_line_and_no_change(b: Via) {
    let cases = catalogue();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    {
        let env = TestEnv::directus11(b);
        for (name, text) in FILES {
            std::fs::write(env.dir.path().join(name), text).expect("write file");
        }
        std::fs::write(env.dir.path().join("users.txt"), "s3cret\n").expect("write file");
        let before = env.dump();
        for (i, c) in cases.iter().enumerate() {
            let out = env
                .cmd()
                .args(&c.args)
                .env_remove("ROSTER_TEST_UNSET_VARIABLE")
                .write_stdin(c.stdin)
                .output()
                .expect("run roster");
            let err = String::from_utf8_lossy(&out.stderr);
            let what = format!("case {i} {:?}: {err}", c.args);
            assert_eq!(out.status.code(), Some(c.code), "{what}");
            let errors = err.lines().filter(|l| l.starts_with("error:")).count();
            assert_eq!(errors, 1, "{what}");
            assert!(
                !err.contains('\u{1b}'),
                "no terminal escape reaches stderr: {what}"
            );
            assert_eq!(env.dump(), before, "{what}");
        }
    }
}

#[test]
fn terminal_escapes_in_the_data_are_shown_escaped() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec("UPDATE directus_users SET first_name = char(27) || ']0;PWNED' || char(7) || char(27) || '[2J' WHERE email = 'editor@example.com'");
    for args in [
        vec!["list"],
        vec!["show", "editor@example.com"],
        vec!["edit", "editor@example.com", "--title", "T"],
    ] {
        let out = env.cmd().args(&args).output().expect("run");
        let all = [out.stdout, out.stderr].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?}: {text}"
        );
        if args[0] != "edit" {
            assert!(text.contains("\\e]0;PWNED\\u{7}\\e[2J"), "{args:?}: {text}");
        }
    }
}

#[test]
fn csv_for_spreadsheets_defuses_formulas_and_export_keeps_them() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec("UPDATE directus_users SET first_name = '=HYPERLINK(\"http://evil\")', last_name = '+1', title = '@SUM(A1)' WHERE email = 'editor@example.com'");
    let out = env
        .cmd()
        .args(["list", "--format", "csv", "--search", "editor@"])
        .assert()
        .code(0);
    let csv = stdout_of(&out);
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\",'+1"),
        "{csv}"
    );
    assert!(csv.contains("'@SUM(A1)"), "{csv}");
    let out = env
        .cmd()
        .args(["export", "--output-format", "csv", "--search", "editor@"])
        .assert()
        .code(0);
    let exact = stdout_of(&out);
    assert!(
        exact.contains("\"=HYPERLINK(\"\"http://evil\"\")\",+1"),
        "{exact}"
    );
}

#[test]
fn a_reader_that_goes_away_ends_listing_quietly_and_nothing_panics() {
    let env = TestEnv::standalone(Backend::Sqlite);
    let mut csv = String::from("email\n");
    for i in 0..3000 {
        csv.push_str(&format!("user{i}@example.com\n"));
    }
    std::fs::write(env.dir.path().join("many.csv"), csv).unwrap();
    env.cmd()
        .args(["import", "many.csv", "--role", "Administrator"])
        .assert()
        .code(0);
    for fmt in ["table", "json", "csv"] {
        for _ in 0..5 {
            let status = std::process::Command::new("bash")
                .arg("-c")
                .arg(format!(
                    "set -o pipefail; {} -d {} list --format {fmt} | head -c 10 >/dev/null",
                    env!("CARGO_BIN_EXE_roster"),
                    env.url
                ))
                .status()
                .expect("bash");
            assert_eq!(status.code(), Some(0), "list --format {fmt} | head");
        }
    }
    // stderr closed as well: no panic (101), whatever happens.
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} -d /nonexistent/x.db list 2>&- >&-",
            env!("CARGO_BIN_EXE_roster")
        ))
        .status()
        .expect("bash");
    assert_eq!(status.code(), Some(6));
}

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
        let a = env
            .cmd()
            .args(["show", "editor@example.com", "--format", "json"])
            .assert()
            .code(0);
        assert_eq!(json_of(&a)["last_access"], "1960-01-01T00:00:00Z");
    }
    let a = env
        .cmd()
        .args(["list", "--format", "json"])
        .assert()
        .code(0);
    let users = json_of(&a);
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
fn files_that_are_not_regular_and_odd_encodings_get_clear_messages() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::directus11(Backend::Sqlite);
    let fifo = env.dir.path().join("pw.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
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
    let a = env
        .cmd()
        .args(["set-password", "editor@example.com", "--password-env", "PW"])
        .env("PW", std::ffi::OsStr::from_bytes(b"pass\xffword"))
        .assert()
        .code(2);
    assert_eq!(
        stderr_of(&a),
        "error: environment variable PW is not valid UTF-8\n"
    );
    // A .env saved with a byte-order mark reads as Node reads it.
    let dotenv = env.dir.path().join("bom.env");
    std::fs::write(
        &dotenv,
        format!("\u{feff}DB_CLIENT=sqlite3\nDB_FILENAME={}\n", env.url),
    )
    .unwrap();
    let a = bare_cmd(env.dir.path())
        .arg("--env-file")
        .arg(&dotenv)
        .args(["list", "--count"])
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "4\n");
    // A huge input is not echoed whole.
    let a = env
        .cmd()
        .args(["show", &"x".repeat(10_000)])
        .assert()
        .code(3);
    assert!(stderr_of(&a).len() < 600, "{}", stderr_of(&a).len());
}

#[test]
fn sso_refresh_tokens_never_reach_the_audit_trail() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec("UPDATE directus_users SET auth_data = '{\"refreshToken\":\"sso-refresh-secret\"}' WHERE email = 'editor@example.com'");
    env.cmd()
        .args(["edit", "editor@example.com", "--title", "Lead"])
        .assert()
        .code(0);
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
    {
        let env = TestEnv::standalone(Via::POSTGRES.require());
        env.exec("ALTER TABLE directus_users ALTER COLUMN token TYPE uuid USING NULL");
        env.cmd()
            .args(["invite", "a@example.com", "--role", "Administrator"])
            .assert()
            .code(0);
        let token = "a-secret-token-that-is-long-enough-0123456789";
        // Nor under -v, which adds the server's own report.
        for verbose in [&[][..], &["-v"][..]] {
            let a = env
                .cmd()
                .args(verbose)
                .args(["set-token", "a@example.com", "--stdin"])
                .write_stdin(format!("{token}\n"))
                .assert()
                .code(5);
            assert!(!stderr_of(&a).contains(token), "{}", stderr_of(&a));
        }
    }
}
