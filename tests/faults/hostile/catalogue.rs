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
const FILES: [(&str, &str); 19] = [
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
    // Round two: a key given twice, a control character, a hash that would
    // make every login allocate 4 TiB, a role declared twice, a secret-bearing
    // TOML error.
    (
        "twice-key.json",
        "[{\"email\": \"a@example.com\", \"role\": \"Editor\", \"role\": \"Administrator\"}]",
    ),
    ("nul.csv", "email,first_name\na@example.com,A\u{1}B\n"),
    (
        "huge-hash.csv",
        "email,password_hash\na@example.com,$argon2id$v=19$m=4294967295,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g\n",
    ),
    (
        "apply-role-twice.toml",
        "[[roles]]\nname = \"Ops\"\n[[roles]]\nname = \"ops\"\n",
    ),
    (
        "secret.toml",
        "[[users]]\nemail = \"a@example.com\"\npassword = \"Hunter2!x\" x\n",
    ),
    (
        "apply-env.toml",
        "[[users]]\nemail = \"a@example.com\"\npassword_env = \"ROSTER_TEST_UNSET_VARIABLE\"\n",
    ),
];

/// `invite a@example.com --role Editor` and one more option with a bad value.
fn invite_with(option: &str, value: &str, code: i32) -> Case {
    case(
        &["invite", "a@example.com", "--role", "Editor", option, value],
        code,
    )
}

/// `create a@example.com --role Editor` and more arguments.
fn create_with(more: &[&str], code: i32) -> Case {
    let args = [&["create", "a@example.com", "--role", "Editor"], more].concat();
    case(&args, code)
}

/// `create a@example.com --role Editor --password-stdin` reading `stdin`.
fn create_reading(stdin: &'static str) -> Case {
    Case {
        stdin,
        ..create_with(&["--password-stdin"], 5)
    }
}

/// Every hostile case, theme by theme.
fn catalogue() -> Vec<Case> {
    [
        emails(),
        profile_fields(),
        passwords(),
        tokens(),
        users(),
        listing_and_roles(),
        invite_links_and_configuration(),
        files(),
        not_utf8(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Emails that are malformed, too long, or hide characters.
fn emails() -> Vec<Case> {
    let long_email = format!("{}@example.com", "a".repeat(130));
    [
        "not-an-email",
        "a@b",
        "@example.com",
        "a@@example.com",
        "a b@example.com",
        "admin\u{200b}@example.com",
        "admin\u{202e}moc.elpmaxe@example.com",
        "\u{feff}admin@example.com",
        "a\u{1b}[2J@example.com",
        "a\nerror: fake@example.com",
        &long_email,
        "",
    ]
    .into_iter()
    .map(|email| case(&["invite", email, "--role", "Editor"], 5))
    .collect()
}

/// Profile fields out of bounds, roles that are not there (SQL metacharacters
/// included), and no role at all.
fn profile_fields() -> Vec<Case> {
    let long = "x".repeat(51);
    vec![
        invite_with("--first-name", &long, 5),
        invite_with("--title", &long, 5),
        invite_with("--timezone", "Mars/Base", 5),
        invite_with("--language", "english please", 5),
        invite_with("--theme", "pink", 5),
        invite_with("--email-notifications", "maybe", 5),
        invite_with("--company", "ACME", 5),
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
    ]
}

/// Passwords that are missing, unreadable or too weak.
fn passwords() -> Vec<Case> {
    vec![
        create_with(&["--password-env", "ROSTER_TEST_UNSET_VARIABLE"], 2),
        create_with(&["--password-file", "/nonexistent/pw"], 2),
        create_with(&["--password-file", "/"], 2),
        create_reading("weak\n"),
        create_reading("\n"),
        create_reading(""),
        create_with(&[], 2),
        create_with(&["--status", "draft", "--random-password"], 2),
        with_stdin(&["policy", "check"], "short\n", 5),
    ]
}

/// Tokens that are malformed or another user's.
fn tokens() -> Vec<Case> {
    let editor = ["set-token", "editor@example.com", "--stdin"];
    vec![
        with_stdin(&editor, "short\n", 5),
        with_stdin(
            &editor,
            "has spaces in it and is long enough for a token\n",
            5,
        ),
        with_stdin(
            &["set-token", "admin@example.com", "--stdin"],
            "oe9f7t5M0ojxkFCx6aK-hJh1ts4w6nFh\n",
            4,
        ),
    ]
}

/// Users that are not there or cannot change so, and edits that are refused.
fn users() -> Vec<Case> {
    let edit = |more: &[&str], code| case(&[&["edit", "editor@example.com"], more].concat(), code);
    vec![
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
        edit(&[], 2),
        edit(&["--avatar", "not-a-uuid"], 5),
        edit(&["--email", "not-an-email"], 5),
        edit(&["--email", "ADMIN@example.com"], 4),
    ]
}

/// Listing filters that mean nothing, and role changes that are refused.
fn listing_and_roles() -> Vec<Case> {
    let long_role = "r".repeat(101);
    vec![
        case(&["list", "--status", "bogus"], 2),
        case(&["list", "--limit", "-1"], 2),
        case(&["list", "--inactive-since", "soon"], 2),
        case(&["list", "--role", "Nope"], 3),
        case(&["export", "--status", "bogus"], 2),
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
    ]
}

/// Invite links without what they need, and databases and configuration that are not there.
fn invite_links_and_configuration() -> Vec<Case> {
    let link = ["invite", "a@example.com", "--role", "Editor", "--link"];
    let public_url = ["--public-url", "https://x.example.com"];
    vec![
        case(&link, 2),
        case(
            &[&link[..], &public_url, &["--secret-file", "/nonexistent"]].concat(),
            2,
        ),
        case(&["-d", "", "list"], 2),
        case(&["-d", "postgres:nohost", "list"], 2),
        case(&["-d", "ftp://example.com/db", "list"], 2),
        case(&["-d", "sqlite:", "list"], 2),
        case(&["--env-file", "/nonexistent/.env", "list"], 2),
        case(&["--config", "/nonexistent/roster.toml", "list"], 2),
        case(&["--busy-timeout", "-5", "list"], 2),
        case(&["no-such-command"], 2),
    ]
}

/// Import and apply files (see [`FILES`]), and files that are not what they should be.
fn files() -> Vec<Case> {
    let mut cases: Vec<Case> = [
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
        ("twice-key.json", 5),
        ("nul.csv", 5),
        ("huge-hash.csv", 5),
        ("secret.toml", 5),
    ]
    .into_iter()
    .map(|(file, code)| case(&["import", file, "--role", "Editor"], code))
    .collect();
    cases.extend([
        case(&["import", "missing.csv"], 2),
        case(&["import", "/", "--input-format", "csv"], 2),
        case(&["import", "users.txt"], 5),
        case(&["apply", "apply-table.toml"], 5),
        case(&["apply", "apply-env.toml"], 2),
        case(&["apply", "apply-role-twice.toml"], 5),
        // Round two: durations with no unit that meant seconds, and a forget of
        // an email MySQL's collation finds another person's by.
        case(&["list", "--inactive-since", "3m"], 2),
        case(&["forget", "ärchived@example.com"], 3),
    ]);
    let huge_ttl = "18446744073709551615";
    let link = ["invite", "a@example.com", "--role", "Editor", "--link"];
    let rest = [
        "--invite-ttl",
        huge_ttl,
        "--public-url",
        "https://x.example.com",
        "--secret-file",
        "users.txt",
    ];
    cases.push(case(&[&link[..], &rest].concat(), 5));
    cases
}

/// Arguments that are not UTF-8 at all.
fn not_utf8() -> Vec<Case> {
    let mut email = case(&["invite"], 2);
    email.args.push(OsString::from_vec(vec![
        b'a', 0xff, b'@', b'x', b'.', b'c', b'o',
    ]));
    let mut role = case(&["invite", "a@example.com", "--role"], 2);
    role.args.push(OsString::from_vec(vec![0xc3, 0x28]));
    vec![email, role]
}

each_db!(every_bad_input_is_refused_with_its_code_one_error_line_and_no_change);
fn every_bad_input_is_refused_with_its_code_one_error_line_and_no_change(b: Via) {
    let cases = catalogue();
    assert!(cases.len() >= 99, "{} cases", cases.len());
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
