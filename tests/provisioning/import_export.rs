//! import, export and apply on every database: formats, conflicts, all or
//! nothing, revival, round trips between databases, plans and re-runs.

use crate::common::*;
use crate::common::{Via, each_db};
use std::path::PathBuf;

fn write(env: &TestEnv, name: &str, text: &str) -> PathBuf {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

const PW: &str = "Import-Passw0rd!";

each_db!(every_format_imports_the_same_users);
fn every_format_imports_the_same_users(b: Via) {
    let files = [
        ("u.csv", "email,first_name,role,password,status\nAnn@Example.com,Ann,Editor,Import-Passw0rd!,\nbob@example.com,,Editor,,invited\n".to_string()),
        ("u.json", r#"[{"email":"Ann@Example.com","first_name":"Ann","role":"Editor","password":"Import-Passw0rd!"},{"email":"bob@example.com","role":"Editor","first_name":null}]"#.to_string()),
        ("u.jsonl", "{\"email\":\"Ann@Example.com\",\"first_name\":\"Ann\",\"role\":\"Editor\",\"password\":\"Import-Passw0rd!\"}\n\n{\"email\":\"bob@example.com\",\"role\":\"Editor\"}\n".to_string()),
        ("u.toml", "[[users]]\nemail = \"Ann@Example.com\"\nfirst_name = \"Ann\"\nrole = \"Editor\"\npassword = \"Import-Passw0rd!\"\n\n[[users]]\nemail = \"bob@example.com\"\nrole = \"Editor\"\n".to_string()),
    ];
    {
        for (name, text) in &files {
            let env = TestEnv::with_editor(b);
            let path = write(&env, name, text);
            let a = env
                .cmd()
                .args(["import", "--format", "json"])
                .arg(&path)
                .assert()
                .code(0);
            let json = json_of(&a);
            assert_eq!(json["created"], 2, "{name}: {json}");
            assert_eq!(json["rows"][0]["action"], "created", "{name}");
            assert_eq!(env.status_of("ann@example.com"), "active", "{name}");
            assert_eq!(env.status_of("bob@example.com"), "invited", "{name}");
            assert_eq!(
                env.col("ann@example.com", "first_name").as_deref(),
                Some("Ann")
            );
            let hash = env.col("ann@example.com", "password").expect("hash");
            assert!(roster::password::verify(PW, &hash), "{name}");
            assert_eq!(env.col("bob@example.com", "password"), None, "{name}");
            // One audit row per user created.
            assert_eq!(
                env.count(
                    "SELECT count(*) FROM directus_activity WHERE collection = 'directus_users'"
                ),
                2
            );
        }
    }
}

each_db!(conflicts_fail_skip_or_update);
fn conflicts_fail_skip_or_update(b: Via) {
    let env = TestEnv::with_editor(b);
    env.invite("ann@example.com", "Editor");
    let path = write(
        &env,
        "u.csv",
        "email,title,role\nANN@example.com,Boss,Editor\ncid@example.com,,Editor\n",
    );
    let before = env.dump();
    let a = env.cmd().arg("import").arg(&path).assert().code(4);
    assert_eq!(
        error_line(&stderr_of(&a), "conflict"),
        "error: line 2: a user with email ann@example.com already exists (status invited); use --on-conflict skip or update"
    );
    assert_eq!(env.dump(), before, "a conflict writes nothing");

    let a = env
        .cmd()
        .args(["import", "--on-conflict", "skip", "--format", "json"])
        .arg(&path)
        .assert()
        .code(0);
    let json = json_of(&a);
    assert_eq!(
        (json["skipped"].as_i64(), json["created"].as_i64()),
        (Some(1), Some(1)),
        "{json}"
    );
    assert_eq!(env.col("ann@example.com", "title"), None);

    let a = env
        .cmd()
        .args(["import", "--on-conflict", "update", "--format", "json"])
        .arg(&path)
        .assert()
        .code(0);
    let json = json_of(&a);
    assert_eq!(
        (json["updated"].as_i64(), json["unchanged"].as_i64()),
        (Some(1), Some(1)),
        "{json}"
    );
    assert_eq!(env.col("ann@example.com", "title").as_deref(), Some("Boss"));
    // An update never touches a password the row does not give.
    assert_eq!(env.status_of("ann@example.com"), "invited");
}

each_db!(a_bad_row_at_the_end_of_a_big_file_writes_nothing);
fn a_bad_row_at_the_end_of_a_big_file_writes_nothing(b: Via) {
    let env = TestEnv::with_editor(b);
    let mut csv = String::from("email,first_name,role\n");
    for i in 0..4999 {
        csv.push_str(&format!("user{i}@example.com,User {i},Editor\n"));
    }
    csv.push_str("last@example.com,Last,Editor,extra\n");
    let path = write(&env, "big.csv", &csv);
    let (before, bytes) = (env.dump(), env.file_bytes());
    let a = env.cmd().arg("import").arg(&path).assert().code(5);
    let line = error_line(&stderr_of(&a), "bad row");
    assert!(
        line.starts_with("error: line 5001: not valid CSV"),
        "{line}"
    );
    assert_eq!(env.dump(), before);
    assert_eq!(env.file_bytes(), bytes, "byte for byte");

    let path = write(
        &env,
        "bad.jsonl",
        &format!(
            "{}{{\"email\":\"x@example.com\",\"theme\":\"pink\"}}\n",
            "{\"email\":\"ok@example.com\"}\n".repeat(3)
        ),
    );
    let a = env.cmd().arg("import").arg(&path).assert().code(5);
    assert_eq!(
        error_line(&stderr_of(&a), "bad field"),
        "error: line 4: theme \"pink\" must be light, dark or auto"
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn bad_files_name_the_row_and_the_field() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let cases = [
        (
            "a.csv",
            "email,nickname\na@example.com,x\n",
            5,
            "error: line 2: unknown field \"nickname\"",
        ),
        (
            "b.json",
            r#"[{"email":"a@example.com"},{"email":"A@EXAMPLE.com"}]"#,
            5,
            "error: users[0] and users[1] both have the email a@example.com",
        ),
        (
            "c.toml",
            "[[users]]\nfirst_name = \"x\"\n",
            5,
            "error: users[0]: the email field is missing",
        ),
        (
            "d.json",
            r#"[{"email":"a@example.com","role":"Nope"}]"#,
            3,
            "error: users[0]: no role \"Nope\"",
        ),
        (
            "e.csv",
            "email,status,role\na@example.com,active,Editor\n",
            5,
            "error: line 2: an active user needs a password, a password_hash or --random-password",
        ),
        (
            "f.csv",
            "email,password_hash,role\na@example.com,notahash,Editor\n",
            5,
            "error: line 2: password_hash is not an argon2 PHC string ($argon2id$v=19$...)",
        ),
        (
            "g.csv",
            "email,tfa_secret,role\na@example.com,lower!,Editor\n",
            5,
            "error: line 2: tfa_secret must be base32 text (A-Z, 2-7)",
        ),
        ("h.txt", "email\n", 2, "error: cannot tell the format of"),
    ];
    let before = env.file_bytes();
    for (name, text, code, start) in cases {
        let path = write(&env, name, text);
        let a = env.cmd().arg("import").arg(&path).assert().code(code);
        let err = stderr_of(&a);
        assert!(err.starts_with(start), "{name}: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{name}: {err}"
        );
        assert_eq!(env.file_bytes(), before, "{name}");
    }
}

each_db!(import_revives_a_soft_deleted_email);
fn import_revives_a_soft_deleted_email(b: Via) {
    let env = TestEnv::directus11(b);
    let path = write(
        &env,
        "u.csv",
        &format!("email,password\nARCHIVED@example.com,{PW}\n"),
    );
    let a = env
        .cmd()
        .args(["import", "--format", "json"])
        .arg(&path)
        .assert()
        .code(0);
    let json = json_of(&a);
    assert_eq!(json["revived"], 1, "{json}");
    assert_eq!(json["rows"][0]["id"], ARCHIVED_ID);
    assert_eq!(env.status_of("archived@example.com"), "active");
    assert_eq!(
        env.count(
            "SELECT count(*) FROM directus_users WHERE lower(email) = 'archived@example.com'"
        ),
        1
    );
    assert_eq!(
        env.col("archived@example.com", "first_name").as_deref(),
        Some("Arch")
    );
}

each_db!(generated_secrets_are_shown_once_and_stored);
fn generated_secrets_are_shown_once_and_stored(b: Via) {
    let env = TestEnv::with_editor(b);
    let path = write(&env, "u.csv", "email,role\nann@example.com,Editor\n");
    let a = env
        .cmd()
        .args([
            "import",
            "--random-password",
            "--generate-token",
            "--format",
            "json",
        ])
        .arg(&path)
        .assert()
        .code(0);
    let json = json_of(&a);
    let row = &json["rows"][0];
    let (pw, token) = (
        row["password"].as_str().unwrap(),
        row["token"].as_str().unwrap(),
    );
    assert_eq!(env.status_of("ann@example.com"), "active");
    assert!(roster::password::verify(
        pw,
        &env.col("ann@example.com", "password").unwrap()
    ));
    assert_eq!(env.col("ann@example.com", "token").as_deref(), Some(token));
    // A second run of the same file generates nothing: the user exists.
    let a = env
        .cmd()
        .args([
            "import",
            "--on-conflict",
            "skip",
            "--random-password",
            "--format",
            "json",
        ])
        .arg(&path)
        .assert()
        .code(0);
    assert!(json_of(&a)["rows"][0].get("password").is_none());

    // Output that goes nowhere: the secret would be lost, so nothing is written.
    let path = write(&env, "v.csv", "email,role\nbob@example.com,Editor\n");
    let before = env.dump();
    let status = env
        .std_cmd()
        .args(["import", "--random-password"])
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(2));
    assert_eq!(env.dump(), before);
}

/// Every user of an export, minus what differs by design between databases.
fn export_all(env: &TestEnv) -> String {
    let a = env
        .cmd()
        .args([
            "export",
            "--all",
            "--with-secrets",
            "--output-format",
            "jsonl",
        ])
        .assert()
        .code(0);
    assert!(stderr_of(&a).starts_with("warning: the export holds password hashes"));
    stdout_of(&a)
}

each_db!(export_import_export_round_trips_between_databases);
fn export_import_export_round_trips_between_databases(b: Via) {
    // Both ways between this database and SQLite; SQLite to itself once.
    let mut pairs = vec![(b, Via::SQLITE), (Via::SQLITE, b)];
    pairs.dedup();
    for (from, to) in pairs {
        let src = TestEnv::directus11(from);
        let doc = export_all(&src);
        assert_eq!(doc.lines().count(), 5, "{doc}");
        let dst = TestEnv::with_editor(to);
        let path = write(&dst, "all.jsonl", &doc);
        dst.cmd().arg("import").arg(&path).assert().code(0);
        assert_eq!(export_all(&dst), doc, "{from:?} -> {to:?}");
        for (email, pw) in [
            ("admin@example.com", "AdminPass123!"),
            ("editor@example.com", "EditorPass123!"),
        ] {
            let hash = dst.col(email, "password").expect("hash");
            assert!(
                roster::password::verify(pw, &hash),
                "{email} logs in after {from:?} -> {to:?}"
            );
        }
        assert_eq!(
            dst.col("editor@example.com", "token").as_deref(),
            Some(EDITOR_TOKEN)
        );
        assert_eq!(dst.status_of("archived@example.com"), "deleted");
    }
}

#[test]
fn export_formats_and_filters() {
    let env = TestEnv::directus11(Backend::Sqlite);
    let a = env
        .cmd()
        .args(["export", "--output-format", "csv", "--status", "suspended"])
        .assert()
        .code(0);
    assert_eq!(
        stdout_of(&a),
        "id,email,first_name,last_name,status,role,title,company,timezone,language,theme,email_notifications\n\
         5a39a141-d392-48ee-88ff-fd379faf6185,suspended@example.com,Sam,Suspended,suspended,Editor,,,,,,true\n"
    );
    assert_eq!(stderr_of(&a), "", "no secrets, no warning");
    let a = env
        .cmd()
        .args(["export", "--output-format", "toml", "--search", "eddie"])
        .assert()
        .code(0);
    assert_eq!(
        stdout_of(&a),
        "[[users]]\nemail = \"editor@example.com\"\nemail_notifications = true\nfirst_name = \"Eddie\"\n\
         id = \"1ccf0e10-5d51-4570-8760-dbf5112fb24e\"\nlast_name = \"Editor\"\nrole = \"Editor\"\nstatus = \"active\"\n"
    );
    let a = env.cmd().args(["export"]).assert().code(0);
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&a)).expect("json");
    assert_eq!(
        json.as_array().map(Vec::len),
        Some(4),
        "soft-deleted users only with --all"
    );
}

fn seed(env: &TestEnv, text: &str) -> PathBuf {
    write(env, "seed.toml", text)
}

const SEED: &str = r#"
[[roles]]
name = "Staff"
app_access = true

[[users]]
email = "boss@example.com"
role = "Administrator"
password_env = "SEED_PW"

[[users]]
email = "ann@example.com"
first_name = "Ann"
role = "Staff"
password_env = "SEED_PW"

[[users]]
email = "bob@example.com"
role = "Staff"
"#;

each_db!(apply_plans_then_a_second_run_changes_nothing);
fn apply_plans_then_a_second_run_changes_nothing(b: Via) {
    let env = TestEnv::standalone(b);
    let path = seed(&env, SEED);
    let a = env
        .cmd()
        .env("SEED_PW", PW)
        .args(["apply", "--dry-run"])
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(
        stdout_of(&a),
        "+ role Staff\n+ boss@example.com\n+ ann@example.com\n+ bob@example.com\n"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM directus_users"),
        0,
        "a dry run writes nothing"
    );

    let a = env
        .cmd()
        .env("SEED_PW", PW)
        .arg("apply")
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(
        stdout_of(&a),
        "+ role Staff\n+ boss@example.com\n+ ann@example.com\n+ bob@example.com\n"
    );
    assert_eq!(env.status_of("ann@example.com"), "active");
    assert_eq!(env.status_of("bob@example.com"), "invited");
    let hash = env.col("ann@example.com", "password");

    let before = env.dump();
    let a = env
        .cmd()
        .env("SEED_PW", "Other-Passw0rd!")
        .arg("apply")
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "");
    assert_eq!(
        stderr_of(&a),
        "nothing to change: the database matches the file\n"
    );
    assert_eq!(
        env.dump(),
        before,
        "a re-run changes nothing, passwords included"
    );
    assert_eq!(env.col("ann@example.com", "password"), hash);

    let changed = write(
        &env,
        "changed.toml",
        &SEED.replace("first_name = \"Ann\"", "first_name = \"Anna\""),
    );
    let a = env
        .cmd()
        .env("SEED_PW", PW)
        .arg("apply")
        .arg(&changed)
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "~ ann@example.com first_name: Ann → Anna\n");
}

each_db!(apply_prune_keeps_the_last_administrator);
fn apply_prune_keeps_the_last_administrator(b: Via) {
    let env = TestEnv::standalone(b);
    let path = seed(&env, SEED);
    env.cmd()
        .env("SEED_PW", PW)
        .arg("apply")
        .arg(&path)
        .assert()
        .code(0);
    // Without boss, pruning would soft-delete the only administrator.
    let no_boss = write(&env, "no-boss.toml", &SEED.replace("boss@example.com", "ann@example.com").replacen("[[users]]\nemail = \"ann@example.com\"\nrole = \"Administrator\"\npassword_env = \"SEED_PW\"\n", "", 1));
    let before = env.dump();
    let a = env
        .cmd()
        .env("SEED_PW", PW)
        .args(["apply", "--prune"])
        .arg(&no_boss)
        .assert()
        .code(4);
    assert!(
        stderr_of(&a).contains("no active administrator"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(env.dump(), before);
    let a = env
        .cmd()
        .env("SEED_PW", PW)
        .args(["apply", "--prune", "--force"])
        .arg(&no_boss)
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "- boss@example.com\n");
    assert_eq!(env.status_of("boss@example.com"), "deleted");
    assert_eq!(env.col("boss@example.com", "password"), None);

    // Apply again with boss: revived, with a password.
    let a = env
        .cmd()
        .env("SEED_PW", PW)
        .arg("apply")
        .arg(&path)
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "+ boss@example.com (revived)\n");
    assert_eq!(env.status_of("boss@example.com"), "active");
}

#[test]
fn apply_refuses_a_role_whose_access_differs() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let path = seed(&env, "[[roles]]\nname = \"Editor\"\nadmin = true\n");
    let before = env.file_bytes();
    let a = env.cmd().arg("apply").arg(&path).assert().code(4);
    assert_eq!(
        stderr_of(&a),
        "error: role Editor exists with admin = false, but admin = true was asked for; roster does not change an existing role's access\n"
    );
    assert_eq!(env.file_bytes(), before);
}

each_db!(a_user_base_moves_through_a_pipe);
fn a_user_base_moves_through_a_pipe(b: Via) {
    let src = TestEnv::directus11(Backend::Sqlite);
    let doc = export_all(&src);
    {
        let dst = TestEnv::with_editor(b);
        dst.cmd()
            .args(["import", "-", "--input-format", "jsonl"])
            .write_stdin(doc.clone())
            .assert()
            .code(0);
        assert_eq!(export_all(&dst), doc);
    }
}
