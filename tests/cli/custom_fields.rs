//! Custom user fields on the fixture whose fields Directus's own API added:
//! set with --set and --unset, refused as Directus's rules (and the app) refuse
//! them, stored as Directus stores them, shown, listed, exported and imported.

use crate::common::*;

const PW: &str = "Custom-Pass-123!";

/// Runs a test on the custom-field fixtures of Directus 11.3.5 and 12.4.1.
fn on_both(b: Via, body: impl Fn(&TestEnv)) {
    body(&TestEnv::custom11(b));
    body(&TestEnv::custom12(b));
}

/// `create ann@example.com` in Editor with these `--set` values.
fn create_with<'a>(env: &'a TestEnv, sets: &[&str]) -> Run<'a> {
    let sets = sets.iter().flat_map(|s| ["--set", s]);
    env.roster([
        "create",
        "ann@example.com",
        "--role",
        "Editor",
        "--password-env",
        "PW",
    ])
    .args(sets)
    .env("PW", PW)
}

const EVERY_TYPE: [&str; 9] = [
    "employee_number=7",
    "department=sales",
    "consent=yes",
    "start_date=2025-01-31",
    "preferences={\"digest\":\"daily\"}",
    "skills=go,zig",
    "badge_code=ABC-1234",
    "weekly_hours=20",
    "team=2",
];

each_db!(every_type_is_stored_as_directus_stores_it_and_shown_as_it_is);
fn every_type_is_stored_as_directus_stores_it_and_shown_as_it_is(b: Via) {
    on_both(b, |env| {
        create_with(env, &EVERY_TYPE).succeeds();
        let col = |c: &str| env.col("ann@example.com", c).unwrap_or_default();
        assert_eq!(col("employee_number"), "7");
        assert_eq!(col("department"), "sales");
        assert_eq!(col("skills"), "go,zig", "a csv list as Directus joins it");
        assert_eq!(col("badge_code"), "ABC-1234");
        let date = col("start_date");
        match b.backend {
            // As Directus keeps a date on SQLite: epoch milliseconds.
            Backend::Sqlite => assert_eq!(date, "1738281600000"),
            _ => assert!(date.starts_with("2025-01-31"), "{date}"),
        }
        let shown = env
            .roster(["show", "ann@example.com", "--format", "json"])
            .succeeds()
            .json();
        let want = serde_json::json!({
            "department": "sales", "employee_number": 7, "consent": true,
            "start_date": "2025-01-31", "preferences": {"digest": "daily"},
            "skills": ["go", "zig"], "badge_code": "ABC-1234", "weekly_hours": 20, "team": 2,
        });
        for (k, v) in want.as_object().unwrap() {
            assert_eq!(&shown[k], v, "{k} in {shown}");
        }
    });
}

each_db!(values_the_project_s_rules_refuse_are_refused_and_nothing_is_written);
fn values_the_project_s_rules_refuse_are_refused_and_nothing_is_written(b: Via) {
    on_both(b, |env| {
        let refusals: [(&[&str], &str); 7] = [
            (
                &["department=sales"],
                "error: employee_number required for a new user (the project marks it so)\nhint: give it with --set NAME=VALUE (doctor lists the custom fields)\n",
            ),
            (
                &["employee_number=x"],
                "error: employee_number \"x\" is not a whole number\n",
            ),
            (
                &["employee_number=1", "department=marketing"],
                "error: department \"marketing\" is not one of its choices: sales, engineering, support\n",
            ),
            (
                &["employee_number=1", "badge_code=abc"],
                "error: badge_code: A badge code is three capitals, a dash and four digits\n",
            ),
            (
                &["employee_number=1", "weekly_hours=61"],
                "error: weekly_hours: Between 0 and 60 hours\n",
            ),
            (
                &["employee_number=1", "start_date=31.01.2025"],
                "error: start_date \"31.01.2025\" is not a date such as 2024-03-01\n",
            ),
            (
                &["employee_number=1", "shoe_size=44"],
                "error: no field \"shoe_size\" that roster can set; its custom fields: department, employee_number, consent, start_date, preferences, skills, badge_code, weekly_hours, team\n",
            ),
        ];
        for (sets, said) in refusals {
            create_with(env, sets).fails(5).stderr(said);
        }
    });
}

each_db!(edit_sets_and_unsets_custom_fields_and_the_revision_records_them);
fn edit_sets_and_unsets_custom_fields_and_the_revision_records_them(b: Via) {
    on_both(b, |env| {
        env.roster(["edit", "editor@example.com", "--set", "weekly_hours=30", "--unset", "skills"])
            .succeeds()
            .stderr("updated editor@example.com\n  skills: [\"rust\",\"sql\"] → (none)\n  weekly_hours: 38 → 30\n");
        assert_eq!(env.col("editor@example.com", "skills"), None);
        assert_eq!(
            env.col("editor@example.com", "weekly_hours").as_deref(),
            Some("30")
        );
        let delta = env
            .value("SELECT delta FROM directus_revisions ORDER BY id DESC")
            .unwrap();
        let delta: serde_json::Value = serde_json::from_str(&delta).unwrap();
        assert_eq!(
            delta,
            serde_json::json!({"skills": null, "weekly_hours": 30})
        );
        env.roster(["edit", "editor@example.com", "--set", "badge_code=nope"])
            .fails(5)
            .stderr("error: badge_code: A badge code is three capitals, a dash and four digits\n");
    });
}

each_db!(custom_fields_move_through_export_and_import);
fn custom_fields_move_through_export_and_import(b: Via) {
    on_both(b, |env| {
        let exported = env.roster(["export"]).succeeds().out();
        let path = env.dir.path().join("all.json");
        std::fs::write(&path, &exported).unwrap();
        let editor = serde_json::from_str::<serde_json::Value>(&exported).unwrap()[1].clone();
        assert_eq!(
            editor["skills"],
            serde_json::json!(["rust", "sql"]),
            "{editor}"
        );
        assert_eq!(editor["employee_number"], 1001);
        // A second run of what was exported changes nothing.
        env.roster(["import", "--on-conflict", "update", "--format", "json"])
            .arg(&path)
            .keeps_db()
            .succeeds()
            .db_unchanged();
        let csv = "email,role,employee_number,department,skills,start_date\nbo@example.com,Editor,9,support,\"a,b\",2023-05-06\n";
        let file = env.dir.path().join("new.csv");
        std::fs::write(&file, csv).unwrap();
        env.roster(["import"]).arg(&file).succeeds();
        assert_eq!(env.col("bo@example.com", "skills").as_deref(), Some("a,b"));
        let missing = env.dir.path().join("missing.csv");
        std::fs::write(&missing, "email,role\ncy@example.com,Editor\n").unwrap();
        env.roster(["import"]).arg(&missing).fails(5).stderr(
            "error: line 2: employee_number required for a new user (the project marks it so)\n",
        );
    });
}

#[test]
fn list_shows_custom_fields_in_json_csv_and_the_columns_asked_for() {
    let env = TestEnv::custom11(Backend::Sqlite);
    let out = env
        .roster([
            "list",
            "--format",
            "csv",
            "--columns",
            "email,department,skills,team",
        ])
        .succeeds()
        .out();
    assert_eq!(
        out,
        "email,department,skills,team\nadmin@example.com,,,\neditor@example.com,engineering,\"[\"\"rust\"\",\"\"sql\"\"]\",1\ninvited@example.com,,,\nsuspended@example.com,support,,2\n"
    );
    let json = env.roster(["list", "--format", "json"]).succeeds().json();
    assert_eq!(json[1]["department"], "engineering");
    // The table stays narrow: custom fields only when --columns asks.
    let table = env.roster(["list"]).succeeds().out();
    assert!(!table.contains("engineering"), "{table}");
}

each_db!(a_seed_sets_custom_fields_and_its_second_run_changes_nothing);
fn a_seed_sets_custom_fields_and_its_second_run_changes_nothing(b: Via) {
    on_both(b, |env| {
        let seed = "[[users]]\nemail = \"ann@example.com\"\nrole = \"Editor\"\nemployee_number = 1001\n\
                    department = \"engineering\"\nskills = [\"rust\", \"sql\"]\nstart_date = \"2024-03-01\"\n\
                    preferences = { digest = \"weekly\" }\n";
        let path = env.dir.path().join("seed.toml");
        std::fs::write(&path, seed).unwrap();
        env.roster(["apply"]).arg(&path).succeeds();
        let shown = env
            .roster(["show", "ann@example.com", "--format", "json"])
            .succeeds()
            .json();
        assert_eq!(shown["skills"], serde_json::json!(["rust", "sql"]));
        assert_eq!(
            shown["preferences"],
            serde_json::json!({"digest": "weekly"})
        );
        assert_eq!(shown["start_date"], "2024-03-01");
        env.roster(["apply"])
            .arg(&path)
            .keeps_db()
            .succeeds()
            .db_unchanged()
            .stderr("nothing to change: the database matches the file\n");
    });
}

each_db!(a_many_to_one_value_must_name_an_item_of_its_collection);
fn a_many_to_one_value_must_name_an_item_of_its_collection(b: Via) {
    on_both(b, |env| {
        env.roster(["edit", "editor@example.com", "--set", "team=9"])
            .fails(3)
            .stderr("error: team: no item 9 in teams\n");
        create_with(env, &["employee_number=5", "team=8"])
            .fails(3)
            .stderr("error: team: no item 8 in teams\n");
        let file = env.dir.path().join("t.csv");
        std::fs::write(
            &file,
            "email,role,employee_number,team\nq@example.com,Editor,1,7\n",
        )
        .unwrap();
        env.roster(["import"])
            .arg(&file)
            .fails(3)
            .stderr("error: line 2: team: no item 7 in teams\n");
        env.roster(["edit", "editor@example.com", "--set", "team=2"])
            .succeeds();
        assert_eq!(env.col("editor@example.com", "team").as_deref(), Some("2"));
    });
}

each_db!(activate_sets_custom_fields_with_the_password_in_one_transaction);
fn activate_sets_custom_fields_with_the_password_in_one_transaction(b: Via) {
    on_both(b, |env| {
        let activate = |sets: &[&str]| {
            env.roster(["activate", "invited@example.com", "--password-env", "PW"])
                .args(sets.iter().flat_map(|s| ["--set", s]))
                .env("PW", PW)
        };
        activate(&["employee_number=55", "badge_code=bad"])
            .fails(5)
            .stderr("error: badge_code: A badge code is three capitals, a dash and four digits\n");
        activate(&["employee_number=55", "department=sales"]).succeeds();
        assert_eq!(env.status_of("invited@example.com"), "active");
        assert_eq!(
            env.col("invited@example.com", "employee_number").as_deref(),
            Some("55")
        );
        // A re-run on the active user sets what it gives, as edit does.
        env.roster([
            "activate",
            "invited@example.com",
            "--set",
            "weekly_hours=10",
        ])
        .succeeds()
        .stderr("updated invited@example.com\n  weekly_hours: 40 → 10\n");
    });
}

each_db!(decimals_instants_and_uuids_are_kept_as_given);
fn decimals_instants_and_uuids_are_kept_as_given(b: Via) {
    let env = TestEnv::custom11(b);
    let (uuid, instant) = match b.backend {
        Backend::Postgres => ("uuid", "timestamp with time zone"),
        Backend::Mysql => ("char(36)", "datetime"),
        Backend::Sqlite => ("char(36)", "datetime"),
    };
    env.exec("ALTER TABLE directus_users ADD COLUMN score numeric(10,2)");
    env.exec(&format!(
        "ALTER TABLE directus_users ADD COLUMN seen_at {instant}"
    ));
    env.exec(&format!(
        "ALTER TABLE directus_users ADD COLUMN badge_id {uuid}"
    ));
    let id = "0b5e4c5a-4f4e-4c1f-9b0e-2d1c3a4b5c6d";
    env.roster(["edit", "editor@example.com", "--set", "score=12.5", "--set"])
        .arg("seen_at=2025-01-31T10:20:30Z")
        .args(["--set", &format!("badge_id={id}")])
        .succeeds();
    let shown = env
        .roster(["show", "editor@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(
        shown["score"], "12.5",
        "decimals as text, as Directus: {shown}"
    );
    assert_eq!(shown["badge_id"], id);
    assert_eq!(shown["seen_at"], "2025-01-31T10:20:30Z", "{shown}");
    // Given again in other spellings, nothing changes.
    env.roster([
        "edit",
        "editor@example.com",
        "--set",
        "score=12.50",
        "--set",
    ])
    .arg("seen_at=2025-01-31T11:20:30+01:00")
    .succeeds()
    .stderr("editor@example.com already has these values; nothing to do\n");
    env.roster(["edit", "editor@example.com", "--set", "score=lots"])
        .fails(5)
        .stderr("error: score \"lots\" is not a number\n");
    env.roster(["edit", "editor@example.com", "--set", "seen_at=yesterday"])
        .fails(5)
        .stderr(
            "error: seen_at \"yesterday\" is not a date and time such as 2024-03-01T09:30:00Z\n",
        );
}

each_db!(every_database_exports_the_same_custom_values);
fn every_database_exports_the_same_custom_values(b: Via) {
    // The same fields and values, made by Directus's API on each database:
    // what roster exports of them is the same text everywhere, so a file moves.
    let customs = |env: &TestEnv| {
        let all: serde_json::Value =
            serde_json::from_str(&env.roster(["export"]).succeeds().out()).unwrap();
        let names = [
            "email",
            "department",
            "employee_number",
            "consent",
            "start_date",
            "preferences",
            "skills",
            "badge_code",
            "weekly_hours",
            "team",
        ];
        let rows: Vec<serde_json::Value> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                names
                    .iter()
                    .map(|n| ((*n).to_string(), u[n].clone()))
                    .collect()
            })
            .collect();
        rows
    };
    let sqlite = customs(&TestEnv::custom11(Backend::Sqlite));
    assert_eq!(customs(&TestEnv::custom11(b)), sqlite);
    assert_eq!(customs(&TestEnv::custom12(b)), sqlite);
}

each_db!(a_required_field_with_a_default_may_be_left_out_and_json_must_parse);
fn a_required_field_with_a_default_may_be_left_out_and_json_must_parse(b: Via) {
    let env = TestEnv::custom11(b);
    env.exec("UPDATE directus_fields SET required = true WHERE collection = 'directus_users' AND field = 'weekly_hours'");
    create_with(&env, &["employee_number=3"]).succeeds();
    assert_eq!(
        env.col("ann@example.com", "weekly_hours").as_deref(),
        Some("40")
    );
    env.roster(["edit", "ann@example.com", "--set", "preferences={oops"])
        .fails(5);
    env.roster([
        "edit",
        "ann@example.com",
        "--set",
        &format!("department={}", "x".repeat(41)),
    ])
    .fails(5)
    .stderr(&format!(
        "error: department \"{}\" is longer than 40 characters\n",
        "x".repeat(41)
    ));
}

each_db!(a_column_sql_needs_quoted_is_left_alone_and_forget_erases_custom_fields);
fn a_column_sql_needs_quoted_is_left_alone_and_forget_erases_custom_fields(b: Via) {
    let env = TestEnv::custom11(b);
    env.exec("ALTER TABLE directus_users ADD COLUMN \"phoneNumber\" varchar(20)");
    let report = env.roster(["doctor", "--format", "json"]).succeeds().json();
    assert_eq!(
        report["custom_fields_left_alone"],
        serde_json::json!(["phoneNumber"])
    );
    env.roster(["list", "--format", "json"]).succeeds();
    env.roster(["soft-delete", "editor@example.com", "--yes"])
        .succeeds();
    env.roster(["forget", "editor@example.com"]).succeeds();
    let forgotten = format!(
        "forgotten-{}@forgotten.invalid",
        "1ccf0e10-5d51-4570-8760-dbf5112fb24e"
    );
    assert_eq!(env.col(&forgotten, "department"), None);
    assert_eq!(env.col(&forgotten, "skills"), None);
}
