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
