//! Every command under every `--format`, at 60 and 160 columns: what it prints
//! (or the exit-2 refusal of a format it does not print), as one snapshot per
//! command, on the Directus 11.3.5 fixture whose ids and dates are fixed.

use crate::common::{Backend, TestEnv};

const FORMATS: [&str; 4] = ["table", "json", "csv", "plain"];
const PASSWORD: &str = "Formats-Pass-123!";
const TOKEN: &str = "formats-token-0123456789-abcdefghijklmnopqrstuvwxyz";

/// One command as the matrix runs it: its arguments and standard input.
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    stdin: &'static str,
}

const fn case(name: &'static str, args: &'static [&'static str]) -> Case {
    Case {
        name,
        args,
        stdin: "",
    }
}

const CASES: &[Case] = &[
    case("init", &["init", "--dry-run"]),
    case(
        "create",
        &[
            "create",
            "new@example.com",
            "--role",
            "Editor",
            "--password-env",
            "PW",
        ],
    ),
    case("invite", &["invite", "new@example.com", "--role", "Editor"]),
    case(
        "activate",
        &["activate", "invited@example.com", "--password-env", "PW"],
    ),
    case(
        "suspend",
        &["suspend", "editor@example.com", "invited@example.com"],
    ),
    case("unsuspend", &["unsuspend", "suspended@example.com"]),
    case(
        "soft-delete",
        &["soft-delete", "editor@example.com", "--yes"],
    ),
    case(
        "edit",
        &["edit", "editor@example.com", "--title", "Chief editor"],
    ),
    case(
        "set-password",
        &["set-password", "editor@example.com", "--password-env", "PW"],
    ),
    Case {
        name: "set-token",
        args: &["set-token", "editor@example.com", "--stdin"],
        stdin: TOKEN,
    },
    case(
        "reset-link",
        &[
            "reset-link",
            "editor@example.com",
            "--secret-file",
            "secret",
            "--public-url",
            "https://cms.example.com",
        ],
    ),
    case("list", &["list"]),
    case("show", &["show", "editor@example.com"]),
    Case {
        name: "import",
        args: &[
            "import",
            "-",
            "--input-format",
            "csv",
            "--on-conflict",
            "update",
        ],
        stdin: "email,role,status\nnew@example.com,Editor,invited\neditor@example.com,Editor,active\n",
    },
    case("export", &["export", "--status", "suspended"]),
    Case {
        name: "import-refused",
        args: &["import", "-", "--input-format", "csv"],
        stdin: "email,role\nnew@example.com,Editor\nbad-email,Editor\n",
    },
    Case {
        name: "apply",
        args: &["apply", "-", "--input-format", "toml"],
        stdin: "[[users]]\nemail = \"new@example.com\"\nrole = \"Editor\"\nstatus = \"invited\"\n",
    },
    case("sessions-list", &["sessions", "list"]),
    case(
        "sessions-revoke",
        &["sessions", "revoke", "editor@example.com"],
    ),
    case("forget", &["forget", "archived@example.com"]),
    case("doctor", &["doctor"]),
    case("roles-list", &["roles", "list"]),
    case("roles-create", &["roles", "create", "Viewer"]),
    case("policy-show", &["policy", "show"]),
    Case {
        name: "policy-check",
        args: &["policy", "check"],
        stdin: PASSWORD,
    },
    case("2fa-disable", &["2fa", "disable", "editor@example.com"]),
    case("completions", &["completions", "bash"]),
];

/// What one run printed, made stable: new ids, times and signed links vary.
fn transcript(case: &Case, format: &str, columns: &str) -> String {
    let env = TestEnv::directus11(Backend::Sqlite);
    std::fs::write(
        env.dir.path().join("secret"),
        "a-long-random-project-secret",
    )
    .unwrap();
    let out = env
        .roster(["--format", format])
        .args(case.args)
        .env("COLUMNS", columns)
        .env("PW", PASSWORD)
        .current_dir(env.dir.path())
        .stdin(case.stdin)
        .code_any();
    let dir = env.dir.path().display().to_string();
    let stable = |s: &str| stabilised(&s.replace(&dir, "<dir>"));
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        shortened(&stable(&String::from_utf8_lossy(&out.stdout))),
        stable(&String::from_utf8_lossy(&out.stderr)),
    )
}

/// Text with what differs between runs replaced: generated ids, JWTs, new times.
fn stabilised(text: &str) -> String {
    let patterns = [
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
            "<uuid>",
        ),
        (r"eyJ[\w-]+\.[\w-]+\.[\w-]+", "<jwt>"),
        (r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<now>"),
    ];
    patterns.iter().fold(text.to_string(), |text, (re, with)| {
        let re = regress::Regex::new(re).unwrap();
        let mut out = String::new();
        let mut at = 0;
        for m in re.find_iter(&text) {
            out.push_str(&text[at..m.start()]);
            out.push_str(with);
            at = m.end();
        }
        out.push_str(&text[at..]);
        out
    })
}

/// A long output (a completion script) shown by its first lines.
fn shortened(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    match lines.len() > 40 {
        true => format!(
            "{}\n… ({} lines in all)\n",
            lines[..5].join("\n"),
            lines.len()
        ),
        false => text.to_string(),
    }
}

/// Every format of one command; a format other than a table prints the same
/// at any width.
fn matrix(case: &Case) -> String {
    let mut all = String::new();
    for format in FORMATS {
        let narrow = transcript(case, format, "60");
        let wide = transcript(case, format, "160");
        if format == "table" {
            all.push_str(&format!("=== --format table, 60 columns\n{narrow}"));
            all.push_str(&format!("=== --format table, 160 columns\n{wide}"));
            continue;
        }
        assert_eq!(
            narrow, wide,
            "{} --format {format} depends on the width",
            case.name
        );
        all.push_str(&format!("=== --format {format}\n{narrow}"));
    }
    all
}

#[test]
fn every_command_under_every_format_and_width() {
    for case in CASES {
        let all = matrix(case);
        insta::with_settings!({ snapshot_suffix => case.name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("formats", all);
        });
    }
}

#[test]
fn a_format_a_command_does_not_print_is_refused_before_anything_happens() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.roster(["--format", "csv", "suspend", "editor@example.com"])
        .succeeds()
        .stdout(&format!(
            "id,email,previous_status,status,changed,dry_run,sessions_ended\n{},editor@example.com,active,suspended,true,false,0\n",
            env.id_of("editor@example.com")
        ));
    env.roster([
        "--format",
        "plain",
        "edit",
        "editor@example.com",
        "--title",
        "x",
    ])
    .fails(2)
    .stderr("error: edit does not print --format plain; it prints table or json\n");
    env.roster(["--format", "csv", "doctor"])
        .fails(2)
        .stderr("error: doctor does not print --format csv; it prints table or json\n");
    env.roster(["--format", "plain", "export"])
        .fails(2)
        .stderr("error: export does not print --format plain; it prints table, json or csv\n");
}
