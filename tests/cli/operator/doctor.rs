//! `doctor`: which database roster uses and whether it is usable.

use super::*;

each_db!(doctor_says_which_database_and_whether_it_is_usable);
fn doctor_says_which_database_and_whether_it_is_usable(b: Via) {
    let env = TestEnv::directus11(b);
    let json = env
        .roster(["doctor", "--format", "json"])
        .env("DATABASE_URL", "/nowhere.db")
        .succeeds()
        .json();
    assert_eq!(json["source"], "-d");
    assert_eq!(json["passed_over"], serde_json::json!(["DATABASE_URL"]));
    assert_eq!(json["connected"], true);
    assert_eq!(json["schema"], "directus11");
    assert_eq!(json["last_migration"], "20240924B");
    assert_eq!(json["active_admins"], 1, "{json}");
}

#[test]
fn doctor_names_the_default_database_and_refuses_other_files() {
    let env = TestEnv::empty(Backend::Sqlite);
    // Nothing named: the default, which doctor does not create.
    let ran = env.bare(["doctor"]).succeeds();
    let out = ran.out();
    assert!(out.starts_with("database:        SQLite file roster.db (named by the default"));
    ran.stderr("warning: roster.db does not exist yet: the first command creates it\n");
    assert!(!env.dir.path().join("roster.db").exists());
    // A file that is not a roster or Directus database: exit 6.
    std::fs::write(env.dir.path().join("other.db"), b"").unwrap();
    let ran = env.bare(["doctor", "-d", "other.db"]).code(6);
    assert!(ran.out().contains("connected:       yes"));
    let err = ran.err();
    assert!(
        err.contains("neither a Directus nor a roster database"),
        "{err}"
    );
}

each_db!(doctor_names_the_directus_version_from_the_migrations);
fn doctor_names_the_directus_version_from_the_migrations(b: Via) {
    let env = TestEnv::directus12(b);
    let out = env.roster(["doctor"]).succeeds().out();
    assert!(
        out.contains("schema:          Directus 12\nlast migration:  20260909A\n"),
        "{out}"
    );
    env.exec("INSERT INTO directus_migrations (version, name) VALUES ('20270101A', 'Later')");
    let json = env.roster(["doctor", "--format", "json"]).succeeds().json();
    assert_eq!(json["directus_version"], "newer than 12.4.1");
    assert_eq!(json["last_migration"], "20270101A");
    let old = TestEnv::directus11(b);
    let json = old.roster(["doctor", "--format", "json"]).succeeds().json();
    assert_eq!(json["directus_version"], "11");
    if b == Backend::Sqlite {
        let json = TestEnv::directus10()
            .roster(["doctor", "--format", "json"])
            .succeeds()
            .json();
        assert_eq!(json["directus_version"], "10");
    }
}

each_db!(custom_fields_are_found_with_what_directus_keeps_of_them);
fn custom_fields_are_found_with_what_directus_keeps_of_them(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec("ALTER TABLE directus_users ADD COLUMN department varchar(40)");
    env.exec("ALTER TABLE directus_users ADD COLUMN badge_code varchar(20)");
    env.exec("ALTER TABLE directus_users ADD COLUMN team integer");
    env.exec(
        "INSERT INTO directus_fields (collection, field, interface, options, required) VALUES \
         ('directus_users', 'department', 'select-dropdown', \
          '{\"choices\":[{\"text\":\"Sales\",\"value\":\"sales\"},{\"text\":\"Support\",\"value\":\"support\"}]}', true)",
    );
    env.exec(
        "INSERT INTO directus_fields (collection, field, validation, validation_message) VALUES \
         ('directus_users', 'badge_code', '{\"_and\":[{\"badge_code\":{\"_regex\":\"^[A-Z]{3}$\"}}]}', 'Three capitals')",
    );
    env.exec(
        "INSERT INTO directus_fields (collection, field, special, interface) VALUES \
         ('directus_users', 'team', 'm2o', 'select-dropdown-m2o')",
    );
    env.exec(
        "INSERT INTO directus_relations (many_collection, many_field, one_collection) \
         VALUES ('directus_users', 'team', 'teams')",
    );
    let report = env.roster(["doctor", "--format", "json"]).succeeds().json();
    let fields = report["custom_fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["department", "badge_code", "team"]);
    assert_eq!(fields[0]["type"], "text");
    assert_eq!(fields[0]["max_length"], 40);
    assert_eq!(fields[0]["required"], true);
    assert_eq!(
        fields[0]["choices"],
        serde_json::json!(["sales", "support"])
    );
    assert_eq!(fields[1]["validation_message"], "Three capitals");
    assert_eq!(
        fields[1]["validation"]["_and"][0]["badge_code"]["_regex"],
        "^[A-Z]{3}$"
    );
    assert_eq!(fields[2]["type"], "integer");
    assert_eq!(fields[2]["related"], "teams");
    let text = env.roster(["doctor"]).succeeds().out();
    assert!(
        text.contains(
            "custom fields:   department: text (at most 40), required, one of sales, support\n"
        ),
        "{text}"
    );
}

each_db!(a_directus_database_as_made_has_no_custom_field);
fn a_directus_database_as_made_has_no_custom_field(b: Via) {
    let env = TestEnv::directus12(b);
    let report = env.roster(["doctor", "--format", "json"]).succeeds().json();
    assert_eq!(report["custom_fields"], serde_json::json!([]));
}

each_db!(the_fields_directus_s_api_added_are_found_with_their_types);
fn the_fields_directus_s_api_added_are_found_with_their_types(b: Via) {
    found_with_their_types(&TestEnv::custom11(b));
    found_with_their_types(&TestEnv::custom12(b));
}

fn found_with_their_types(env: &TestEnv) {
    let report = env.roster(["doctor", "--format", "json"]).succeeds().json();
    let found: Vec<(String, String)> = report["custom_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().into(),
                f["type"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        ("department", "text"),
        ("employee_number", "integer"),
        ("consent", "boolean"),
        ("start_date", "date"),
        ("preferences", "json"),
        ("skills", "csv"),
        ("badge_code", "text"),
        ("weekly_hours", "integer"),
        ("team", "integer"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(found, want);
    let field = |name: &str| {
        report["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(field("employee_number")["required"], true);
    assert_eq!(field("team")["related"], "teams");
    assert_eq!(field("weekly_hours")["has_default"], true);
    assert_eq!(
        field("badge_code")["validation_message"],
        "A badge code is three capitals, a dash and four digits"
    );
}
