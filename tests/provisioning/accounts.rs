//! The account columns beyond the profile flags in files: SSO users, JSON
//! values, instants, avatars and SSO identities, each checked as a row is.

use crate::common::*;
use crate::write;

each_db!(an_sso_row_needs_no_password_and_stays_sso);
fn an_sso_row_needs_no_password_and_stays_sso(b: Via) {
    let env = TestEnv::directus11(b);
    let csv = "email,role,provider,external_identifier\nkc@example.com,Editor,keycloak,kc-77\n";
    let path = write(&env, "sso.csv", csv);
    // --random-password is for local accounts: it never turns an SSO user into one.
    let ran = env
        .roster(["import", "--random-password"])
        .arg(&path)
        .succeeds();
    let id = env.id_of("kc@example.com");
    ran.stdout(&format!("created      kc@example.com {id}\n"));
    assert_eq!(env.status_of("kc@example.com"), "active");
    assert_eq!(env.col("kc@example.com", "password"), None);
    assert_eq!(
        env.col("kc@example.com", "provider").as_deref(),
        Some("keycloak")
    );
    assert_eq!(
        env.col("kc@example.com", "external_identifier").as_deref(),
        Some("kc-77")
    );
}

each_db!(an_sso_row_with_a_password_is_refused);
fn an_sso_row_with_a_password_is_refused(b: Via) {
    let env = TestEnv::directus11(b);
    let csv = "email,role,provider,password\nkc@example.com,Editor,keycloak,Import-Passw0rd!\n";
    let path = write(&env, "sso.csv", csv);
    env.roster(["import"]).arg(&path).fails(5).stderr(
        "error: line 2: an SSO user (provider keycloak) logs in through its provider: give it no password\n",
    );
}

each_db!(json_values_move_as_json_in_every_format);
fn json_values_move_as_json_in_every_format(b: Via) {
    let files = [
        (
            "t.csv",
            "email,role,tags,theme_light_overrides\na@example.com,Editor,\"[\"\"x\"\", \"\"y\"\"]\",\"{\"\"primary\"\": \"\"#fff\"\"}\"\n",
        ),
        (
            "t.json",
            r##"[{"email":"a@example.com","role":"Editor","tags":["x","y"],"theme_light_overrides":{"primary":"#fff"}}]"##,
        ),
        (
            "t.toml",
            "[[users]]\nemail = \"a@example.com\"\nrole = \"Editor\"\ntags = [\"x\", \"y\"]\ntheme_light_overrides = { primary = \"#fff\" }\n",
        ),
    ];
    for (name, text) in files {
        let env = TestEnv::directus11(b);
        let path = write(&env, name, text);
        env.roster(["import"]).arg(&path).succeeds();
        let tags = env.col("a@example.com", "tags").unwrap();
        let tags: serde_json::Value = serde_json::from_str(&tags).unwrap();
        assert_eq!(tags, serde_json::json!(["x", "y"]), "{name}");
        let shown = env
            .roster(["show", "a@example.com", "--format", "json"])
            .succeeds()
            .json();
        assert_eq!(shown["tags"], serde_json::json!(["x", "y"]), "{name}");
        assert_eq!(
            shown["theme_light_overrides"],
            serde_json::json!({"primary": "#fff"}),
            "{name}"
        );
    }
}

each_db!(bad_account_values_are_refused_naming_the_row);
fn bad_account_values_are_refused_naming_the_row(b: Via) {
    let env = TestEnv::directus11(b);
    let cases = [
        (
            "tags\n\"staff,berlin\"",
            "error: line 2: tags \"staff,berlin\" must be a JSON array of strings, such as [\"staff\", \"berlin\"]\n",
        ),
        (
            "theme_dark_overrides\n[]",
            "error: line 2: dark theme overrides \"[]\" must be a JSON object, such as {\"primary\": \"#6644ff\"}\n",
        ),
        (
            "text_direction\nsideways",
            "error: line 2: text direction \"sideways\" must be auto, ltr or rtl\n",
        ),
        (
            "last_access\nyesterday",
            "error: line 2: last access \"yesterday\" is not a time such as 2026-01-31T09:30:00Z (RFC 3339)\n",
        ),
        (
            "avatar\nnot-a-file",
            "error: line 2: avatar \"not-a-file\" is not a UUID\n",
        ),
        (
            "description\n\"a\u{7}b\"",
            "error: line 2: description contains a control character (U+0007): only text, tabs and line breaks are stored\n",
        ),
    ];
    for (columns, want) in cases {
        let (head, value) = columns.split_once('\n').unwrap();
        let csv = format!("email,role,{head}\nnew@example.com,Editor,{value}\n");
        let path = write(&env, "bad.csv", &csv);
        env.roster(["import"]).arg(&path).fails(5).stderr(want);
    }
}

each_db!(an_avatar_must_be_a_file_of_the_database);
fn an_avatar_must_be_a_file_of_the_database(b: Via) {
    let env = TestEnv::directus11(b);
    let file = "5e7a3e4c-2b1f-4d3e-9a7c-0f1e2d3c4b5a";
    let csv = format!("email,role,avatar\nnew@example.com,Editor,{file}\n");
    let path = write(&env, "a.csv", &csv);
    env.roster(["import"]).arg(&path).fails(3).stderr(&format!(
        "error: line 2: the avatar {file} is no file of this database's directus_files\n\
         hint: move the files first, or leave the avatar out of the file\n"
    ));
    env.exec(&format!(
        "INSERT INTO directus_files (id, storage, filename_download, type) \
         VALUES ('{file}', 'local', 'me.png', 'image/png')"
    ));
    env.roster(["import"]).arg(&path).succeeds();
    assert_eq!(env.col("new@example.com", "avatar").as_deref(), Some(file));
}

each_db!(an_sso_identity_belongs_to_one_user);
fn an_sso_identity_belongs_to_one_user(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec(
        "UPDATE directus_users SET provider = 'keycloak', external_identifier = 'kc-1' \
         WHERE email = 'editor@example.com'",
    );
    let csv = "email,role,provider,external_identifier\nkc@example.com,Editor,keycloak,kc-1\n";
    let path = write(&env, "sso.csv", csv);
    let id = env.id_of("editor@example.com");
    env.roster(["import"]).arg(&path).fails(4).stderr(&format!(
        "error: line 2: the external_identifier \"kc-1\" is already another user's: editor@example.com ({id})\n"
    ));
}

each_db!(text_direction_moves_to_a_database_without_it_only_as_auto);
fn text_direction_moves_to_a_database_without_it_only_as_auto(b: Via) {
    // Directus 11.3.5 has no text_direction column; 11.4 and later export `auto`.
    let env = TestEnv::directus11(b);
    let path = write(
        &env,
        "t.csv",
        "email,role,text_direction\nnew@example.com,Editor,auto\n",
    );
    env.roster(["import"]).arg(&path).succeeds();
    assert_eq!(env.status_of("new@example.com"), "invited");
    let path = write(
        &env,
        "t.csv",
        "email,role,text_direction\nrtl@example.com,Editor,rtl\n",
    );
    env.roster(["import"]).arg(&path).fails(5).stderr(
        "error: line 2: this database's directus_users table has no text_direction column\n",
    );
}

each_db!(auth_data_is_masked_in_the_trail_and_cleared_by_a_soft_delete);
fn auth_data_is_masked_in_the_trail_and_cleared_by_a_soft_delete(b: Via) {
    let env = TestEnv::directus11(b);
    let row = r#"{"email":"kc@example.com","role":"Editor","provider":"keycloak","auth_data":{"refresh_token":"r-1"}}"#;
    env.roster(["import", "-"]).stdin(row).succeeds();
    let stored = env.col("kc@example.com", "auth_data").unwrap();
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored, serde_json::json!({"refresh_token": "r-1"}));
    let id = env.id_of("kc@example.com");
    let data = env
        .value(&format!(
            "SELECT data FROM directus_revisions WHERE collection = 'directus_users' AND item = '{id}'"
        ))
        .unwrap();
    assert!(data.contains("\"auth_data\":\"**********\""), "{data}");
    assert!(!data.contains("r-1"), "{data}");
    env.roster(["soft-delete", "kc@example.com", "--yes"])
        .succeeds();
    assert_eq!(env.col("kc@example.com", "auth_data"), None);
}
