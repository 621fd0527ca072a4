//! import: every format, conflicts, all or nothing, revival, and secrets it generates.

use crate::common::*;
use crate::{PW, write};

each_db!(every_format_imports_the_same_users);
fn every_format_imports_the_same_users(b: Via) {
    let files = [
        ("u.csv", "email,first_name,role,password,status\nAnn@Example.com,Ann,Editor,Import-Passw0rd!,\nbob@example.com,,Editor,,invited\n".to_string()),
        ("u.json", r#"[{"email":"Ann@Example.com","first_name":"Ann","role":"Editor","password":"Import-Passw0rd!"},{"email":"bob@example.com","role":"Editor","first_name":null}]"#.to_string()),
        ("u.jsonl", "{\"email\":\"Ann@Example.com\",\"first_name\":\"Ann\",\"role\":\"Editor\",\"password\":\"Import-Passw0rd!\"}\n\n{\"email\":\"bob@example.com\",\"role\":\"Editor\"}\n".to_string()),
        ("u.toml", "[[users]]\nemail = \"Ann@Example.com\"\nfirst_name = \"Ann\"\nrole = \"Editor\"\npassword = \"Import-Passw0rd!\"\n\n[[users]]\nemail = \"bob@example.com\"\nrole = \"Editor\"\n".to_string()),
    ];
    for (name, text) in &files {
        let env = TestEnv::with_editor(b);
        let path = write(&env, name, text);
        let json = env
            .roster(["import", "--format", "json"])
            .arg(&path)
            .succeeds()
            .json();
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
            env.count("SELECT count(*) FROM directus_activity WHERE collection = 'directus_users'"),
            2
        );
    }
}

each_db!(an_import_records_what_each_row_gives_and_no_more);
/// Each new user's revision holds exactly the fields its row gave, as Directus's
/// own create records them, whatever characters they hold (MariaDB loads these
/// rows as tab-separated text, PostgreSQL copies them so).
fn an_import_records_what_each_row_gives_and_no_more(b: Via) {
    let env = TestEnv::with_editor(b);
    let description = "tab\there\nback\\slash \\N \"quoted\" é 😀";
    let rows = serde_json::json!([
        {"email": "ann@example.com", "role": "Editor", "description": description},
        {"email": "bob@example.com", "role": "Editor", "first_name": "Bob", "status": "draft"},
    ]);
    let path = write(&env, "u.json", &rows.to_string());
    env.roster(["import"]).arg(&path).succeeds();
    let editor = env
        .value("SELECT id FROM directus_roles WHERE name = 'Editor'")
        .unwrap();
    let expected = |email: &str, given: serde_json::Value| {
        let id = env.id_of(email);
        let mut object = serde_json::json!({"id": id, "email": email, "role": editor});
        object
            .as_object_mut()
            .unwrap()
            .extend(given.as_object().unwrap().clone());
        (id, object)
    };
    let ann = expected(
        "ann@example.com",
        serde_json::json!({"status": "invited", "description": description}),
    );
    let bob = expected(
        "bob@example.com",
        serde_json::json!({"status": "draft", "first_name": "Bob"}),
    );
    for (id, object) in [ann, bob] {
        let sql = format!(
            "SELECT r.data, r.delta, a.action FROM directus_revisions r \
             JOIN directus_activity a ON a.id = r.activity WHERE r.item = '{id}'"
        );
        let row = env.rows(&sql).remove(0);
        let json = |i: usize| -> serde_json::Value {
            serde_json::from_str(row[i].as_deref().unwrap()).unwrap()
        };
        assert_eq!((json(0), json(1)), (object.clone(), object), "{row:?}");
        assert_eq!(row[2].as_deref(), Some("create"));
    }
    assert_eq!(
        env.col("ann@example.com", "description").as_deref(),
        Some(description)
    );
    assert_eq!(
        env.col("ann@example.com", "provider").as_deref(),
        Some("default")
    );
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
    env.roster(["import"]).arg(&path).fails(4)
        .stderr_line("error: line 2: a user with email ann@example.com already exists (status invited); use --on-conflict skip or update")
        .db_unchanged();

    let import = |on_conflict| {
        env.roster(["import", "--on-conflict", on_conflict, "--format", "json"])
            .arg(&path)
            .succeeds()
            .json()
    };
    let json = import("skip");
    let counts = |a: &str, b: &str| (json[a].as_i64(), json[b].as_i64());
    assert_eq!(counts("skipped", "created"), (Some(1), Some(1)), "{json}");
    assert_eq!(env.col("ann@example.com", "title"), None);

    let json = import("update");
    let counts = |a: &str, b: &str| (json[a].as_i64(), json[b].as_i64());
    assert_eq!(counts("updated", "unchanged"), (Some(1), Some(1)), "{json}");
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
    let ran = env.roster(["import"]).arg(&path).fails(5);
    ran.db_unchanged();
    let line = ran.error_line();
    assert!(
        line.starts_with("error: line 5001: not valid CSV"),
        "{line}"
    );

    let path = write(
        &env,
        "bad.jsonl",
        &format!(
            "{}{{\"email\":\"x@example.com\",\"theme\":\"pink\"}}\n",
            "{\"email\":\"ok@example.com\"}\n".repeat(3)
        ),
    );
    env.roster(["import"])
        .arg(&path)
        .fails(5)
        .stderr_line("error: line 4: theme \"pink\" must be light, dark or auto")
        .db_unchanged();
}

/// Files import refuses: name, contents, exit code and how the error begins.
const BAD_FILES: [(&str, &str, i32, &str); 8] = [
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
    ("h.txt", "email\n", 5, "error: the file holds no users"),
];

#[test]
fn bad_files_name_the_row_and_the_field() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    for (name, text, code, start) in BAD_FILES {
        let path = write(&env, name, text);
        let ran = env.roster(["import"]).arg(&path).fails(code);
        ran.db_unchanged();
        let err = ran.err();
        assert!(err.starts_with(start), "{name}: {err}");
        let errors = err.lines().filter(|l| l.starts_with("error:")).count();
        assert_eq!(errors, 1, "{name}: {err}");
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
    let json = env
        .roster(["import", "--format", "json"])
        .arg(&path)
        .succeeds()
        .json();
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
    let json = env
        .roster(["import", "--random-password", "--generate-token"])
        .args(["--format", "json"])
        .arg(&path)
        .succeeds()
        .json();
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
    let json = env
        .roster(["import", "--on-conflict", "skip", "--random-password"])
        .args(["--format", "json"])
        .arg(&path)
        .succeeds()
        .json();
    assert!(json["rows"][0].get("password").is_none());
}

each_db!(generated_secrets_that_no_one_would_see_are_not_written);
fn generated_secrets_that_no_one_would_see_are_not_written(b: Via) {
    let env = TestEnv::with_editor(b);
    // Output that goes nowhere: the secret would be lost, so nothing is written.
    let path = write(&env, "v.csv", "email,role\nbob@example.com,Editor\n");
    let before = env.snapshot();
    let status = env
        .std_cmd()
        .args(["import", "--random-password"])
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(2));
    assert_eq!(env.snapshot(), before);
}

each_db!(an_import_of_many_chunks_writes_every_row_in_file_order);
fn an_import_of_many_chunks_writes_every_row_in_file_order(b: Via) {
    // More rows than the import hands to the database at a time (5,000), with a
    // live user and a soft-deleted one in the last chunk.
    let env = TestEnv::with_editor(b);
    env.invite("u10998@example.com", "Editor");
    env.invite("u10999@example.com", "Editor");
    env.roster(["soft-delete", "u10999@example.com", "--yes"])
        .succeeds();
    let mut csv = String::from("email,role\n");
    for i in 0..11_000 {
        csv.push_str(&format!("u{i}@example.com,Editor\n"));
    }
    let path = write(&env, "u.csv", &csv);
    let json = env
        .roster(["import", "--on-conflict", "skip", "--format", "json"])
        .arg(&path)
        .succeeds()
        .json();
    let counts = (&json["created"], &json["revived"], &json["skipped"]);
    assert_eq!(counts, (&10_998.into(), &1.into(), &1.into()));
    let rows = json["rows"].as_array().expect("rows");
    let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, (2..11_002).collect::<Vec<u64>>());
    assert_eq!(rows[10_998]["action"], "skipped");
    assert_eq!(rows[10_999]["action"], "revived");
    let live = "SELECT count(*) FROM directus_users WHERE status = 'invited'";
    assert_eq!(env.count(live), 11_000);
    // The same file again: all skipped, nothing written.
    let again = env
        .roster(["import", "--on-conflict", "skip", "--format", "json"])
        .arg(&path)
        .succeeds()
        .json();
    assert_eq!(again["skipped"], 11_000);
}

each_db!(the_csv_result_has_every_column_on_every_line);
fn the_csv_result_has_every_column_on_every_line(b: Via) {
    // One row gives its token, the other gets one made: the lines still agree.
    let env = TestEnv::with_editor(b);
    let token = "t".repeat(40);
    let path = write(
        &env,
        "u.csv",
        &format!("email,role,token\nann@example.com,Editor,{token}\nbob@example.com,Editor,\n"),
    );
    let out = env
        .roster(["import", "--generate-token", "--format", "csv"])
        .arg(&path)
        .succeeds()
        .out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "line,email,id,action,password,token");
    let ann = env.id_of("ann@example.com");
    assert_eq!(lines[1], format!("2,ann@example.com,{ann},created,,"));
    let bob = env.id_of("bob@example.com");
    let made = env.col("bob@example.com", "token").expect("token");
    assert_eq!(lines[2], format!("3,bob@example.com,{bob},created,,{made}"));
    assert_eq!(lines.len(), 3);
}

each_db!(a_new_row_made_soft_deleted_holds_no_credential);
fn a_new_row_made_soft_deleted_holds_no_credential(b: Via) {
    // No password is hashed from the file's plain text and no token generated
    // for a user who is soft-deleted from the start, and a hash and a token the
    // row carries (an export of a user Directus archived carries its hash) are
    // not stored: a soft-deleted row never holds a credential.
    let env = TestEnv::with_editor(b);
    let hash = roster::password::hash(PW).unwrap();
    let token = "t".repeat(40);
    let path = write(
        &env,
        "u.csv",
        &format!(
            "email,role,status,password,password_hash,token\nann@example.com,Editor,deleted,{PW},,\nbob@example.com,Editor,deleted,,,\ncid@example.com,Editor,deleted,,\"{hash}\",{token}\n"
        ),
    );
    let out = env
        .roster(["import", "--generate-token"])
        .arg(&path)
        .succeeds()
        .out();
    for email in ["ann@example.com", "bob@example.com", "cid@example.com"] {
        assert_eq!(env.status_of(email), "deleted", "{email}");
        assert_eq!(env.col(email, "password"), None, "{email}");
        assert_eq!(env.col(email, "token"), None, "{email}");
    }
    assert!(!out.contains("token=") && !out.contains(&token), "{out}");
    // A second run changes nothing.
    let again = env
        .roster(["import", "--on-conflict", "update"])
        .arg(&path)
        .succeeds()
        .out();
    assert!(
        !again.contains("created") && !again.contains("updated"),
        "{again}"
    );
}

each_db!(a_field_given_twice_in_a_row_is_refused);
fn a_field_given_twice_in_a_row_is_refused(b: Via) {
    // Which of the two was meant is not for roster to guess: the role least of all.
    let env = TestEnv::with_editor(b);
    let files = [
        (
            "u.json",
            r#"[{"email":"ann@example.com","role":"Editor"},{"email":"bob@example.com","role":"Editor","role":"Administrator"}]"#,
            r#"error: users[1]: the field "role" is given twice"#,
        ),
        (
            "u.jsonl",
            "{\"email\":\"ann@example.com\",\"email\":\"bob@example.com\",\"role\":\"Editor\"}\n",
            r#"error: line 1: the field "email" is given twice"#,
        ),
        (
            "u.csv",
            "email,role,first_name,role\nann@example.com,Editor,Ann,Administrator\n",
            r#"error: line 1: the column "role" is given twice"#,
        ),
    ];
    for (name, text, said) in files {
        let path = write(&env, name, text);
        env.roster(["import"])
            .arg(&path)
            .fails(5)
            .stderr_line(said)
            .db_unchanged();
    }
}

each_db!(a_token_or_id_another_user_has_is_refused_naming_the_row_and_the_user);
fn a_token_or_id_another_user_has_is_refused_naming_the_row_and_the_user(b: Via) {
    let env = TestEnv::with_editor(b);
    let token = "t".repeat(40);
    let first = write(
        &env,
        "a.csv",
        &format!("email,role,token\nann@example.com,Editor,{token}\n"),
    );
    env.roster(["import"]).arg(&first).succeeds();
    let ann = env.id_of("ann@example.com");
    // A re-run gives ann her own token: nothing to refuse.
    env.roster(["import", "--on-conflict", "update"])
        .arg(&first)
        .succeeds();
    let refused = [
        (
            format!("email,role,token\ncid@example.com,Editor,\nbob@example.com,Editor,{token}\n"),
            4,
            format!("error: line 3: another user already has this token: ann@example.com ({ann})"),
        ),
        (
            format!("email,role,id\nbob@example.com,Editor,{ann}\n"),
            4,
            format!("error: line 2: the id {ann} is already another user's: ann@example.com ({ann})"),
        ),
        (
            format!("email,role,token\nbob@example.com,Editor,{token}x\ncid@example.com,Editor,{}x\n", token.to_uppercase()),
            5,
            "error: line 3: the token is also given by line 2".to_string(),
        ),
        (
            "email,role,id\nbob@example.com,Editor,00000000-0000-4000-8000-000000000001\ncid@example.com,Editor,00000000-0000-4000-8000-000000000001\n".to_string(),
            5,
            "error: line 3: the id 00000000-0000-4000-8000-000000000001 is also given by line 2".to_string(),
        ),
    ];
    for (text, code, said) in refused {
        let path = write(&env, "b.csv", &text);
        env.roster(["import"])
            .arg(&path)
            .fails(code)
            .stderr_line(&said)
            .db_unchanged();
    }
}

each_db!(a_password_hash_directus_could_not_verify_in_reason_is_refused);
fn a_password_hash_directus_could_not_verify_in_reason_is_refused(b: Via) {
    // Every login attempt would verify against it: 4 TiB, days of rounds, or no
    // hash to compare with at all.
    let env = TestEnv::with_editor(b);
    let salt = "c2FsdHNhbHRzYWx0c2FsdA";
    let out = "Kd6Uvek3SGGu3Wo6f7A1VtOsjt2u3t7o4JxfoF8/1sY";
    let bounds = "memory m from 8 x p to 1048576 KiB (1 GiB), time t from 1 to 32, parallelism p from 1 to 16, a salt of 8 to 64 bytes and a hash of 16 to 64 bytes, version 19";
    for hash in [
        format!("$argon2id$v=19$m=4294967295,t=3,p=4${salt}${out}"),
        format!("$argon2id$v=19$m=65536,t=4294967295,p=4${salt}${out}"),
        format!("$argon2id$v=19$m=65536,t=3,p=255${salt}${out}"),
        "$argon2id$v=19$m=65536,t=3,p=4".to_string(),
        format!("$argon2id$v=16$m=65536,t=3,p=4${salt}${out}"),
    ] {
        let path = write(
            &env,
            "u.csv",
            &format!("email,role,password_hash\nann@example.com,Editor,\"{hash}\"\n"),
        );
        env.roster(["import"])
            .arg(&path)
            .fails(5)
            .stderr_line(&format!(
                "error: line 2: password_hash is outside what roster accepts: {bounds}"
            ))
            .db_unchanged();
    }
    // Directus's own parameters pass.
    let path = write(
        &env,
        "u.csv",
        &format!(
            "email,role,password_hash\nann@example.com,Editor,\"$argon2id$v=19$m=65536,t=3,p=4${salt}${out}\"\n"
        ),
    );
    env.roster(["import"]).arg(&path).succeeds();
}

each_db!(a_control_character_in_a_text_field_is_refused_on_every_database);
fn a_control_character_in_a_text_field_is_refused_on_every_database(b: Via) {
    // SQLite stored a NUL that PostgreSQL refused in its own words.
    let env = TestEnv::with_editor(b);
    let path = write(
        &env,
        "u.jsonl",
        "{\"email\":\"ann@example.com\",\"role\":\"Editor\"}\n{\"email\":\"bob@example.com\",\"role\":\"Editor\",\"first_name\":\"B\\u0000b\"}\n",
    );
    env.roster(["import"])
        .arg(&path)
        .fails(5)
        .stderr_line("error: line 2: first name contains a control character (U+0000): only printable text is stored")
        .db_unchanged();
    env.roster([
        "create",
        "cid@example.com",
        "--role",
        "Editor",
        "--title",
        "a\u{1b}[2Jb",
    ])
    .fails(5)
    .stderr_line(
        "error: title contains a control character (U+001B): only printable text is stored",
    )
    .db_unchanged();
}

each_db!(an_id_that_is_not_the_existing_user_s_is_refused_unless_ignored);
fn an_id_that_is_not_the_existing_user_s_is_refused_unless_ignored(b: Via) {
    let env = TestEnv::directus11(b);
    let other = "00000000-0000-4000-8000-000000000001";
    let path = write(
        &env,
        "u.csv",
        &format!("id,email,first_name\n{other},editor@example.com,Edwina\n"),
    );
    for args in [
        &["import", "--on-conflict", "update"][..],
        &["import", "--on-conflict", "update", "--dry-run"],
    ] {
        env.roster(args)
            .arg(&path)
            .fails(5)
            .stderr(&format!(
                "error: line 2: id {other} is not the id of editor@example.com, the user with this email ({EDITOR_ID})\n\
                 hint: --ignore-ids updates the user the email names and keeps its id\n"
            ))
            .db_unchanged();
    }
    // The same id in another spelling is the same id; skip writes nothing, so
    // it has nothing to refuse.
    let same = write(
        &env,
        "same.csv",
        &format!(
            "id,email,first_name\n{},editor@example.com,Edwina\n",
            EDITOR_ID.to_uppercase()
        ),
    );
    env.roster(["import", "--on-conflict", "update"])
        .arg(&same)
        .succeeds();
    env.roster(["import", "--on-conflict", "skip"])
        .arg(&path)
        .succeeds();
    env.roster(["import", "--on-conflict", "update", "--ignore-ids"])
        .arg(&path)
        .succeeds();
    assert_eq!(env.id_of("editor@example.com"), EDITOR_ID);
    assert_eq!(
        env.col("editor@example.com", "first_name").as_deref(),
        Some("Edwina")
    );
}
