//! Re-runs: the same import or apply a second time changes nothing, writes no
//! audit row and ends no session; a real change is still made.

use crate::common::*;
use crate::{PW, export_all, write};

/// Two users with passwords, as a CSV file.
fn users_csv(ann_pw: &str) -> String {
    format!(
        "email,first_name,role,password\nann@example.com,Ann,Editor,{ann_pw}\nbob@example.com,Bob,Editor,{PW}\n"
    )
}

const AUDIT: &str = "SELECT count(*) FROM directus_activity";
const SESSIONS: &str = "SELECT count(*) FROM directus_sessions";

each_db!(a_second_import_with_passwords_changes_nothing);
fn a_second_import_with_passwords_changes_nothing(b: Via) {
    let env = TestEnv::with_editor(b);
    let path = write(&env, "u.csv", &users_csv(PW));
    let update = ["import", "--on-conflict", "update"];
    env.roster(update).arg(&path).succeeds();
    let (ann, bob) = (env.id_of("ann@example.com"), env.id_of("bob@example.com"));
    env.add_session("ann-session", &ann);
    env.roster(update)
        .arg(&path)
        .keeps_db()
        .succeeds()
        .stdout(&format!(
            "unchanged    ann@example.com {ann}\nunchanged    bob@example.com {bob}\n"
        ))
        .stderr("0 created, 0 revived, 0 updated, 0 skipped, 2 unchanged, 0 soft-deleted\n")
        .db_unchanged();
    let json = env
        .roster(update)
        .args(["--format", "json"])
        .arg(&path)
        .keeps_db()
        .succeeds()
        .db_unchanged()
        .json();
    assert_eq!(
        (json["unchanged"].as_i64(), json["updated"].as_i64()),
        (Some(2), Some(0)),
        "{json}"
    );
    assert_eq!(env.count(SESSIONS), 1);
}

each_db!(a_changed_password_is_still_set_and_ends_sessions);
fn a_changed_password_is_still_set_and_ends_sessions(b: Via) {
    let env = TestEnv::with_editor(b);
    let update = ["import", "--on-conflict", "update", "--format", "json"];
    env.roster(update)
        .arg(write(&env, "u.csv", &users_csv(PW)))
        .succeeds();
    let ann = env.id_of("ann@example.com");
    env.add_session("ann-session", &ann);
    env.add_session("ann-phone", &ann);
    let audit = env.count(AUDIT);
    let changed = write(&env, "v.csv", &users_csv("Other-Passw0rd!"));
    let ran = env.roster(update).arg(&changed).succeeds();
    ran.stderr("0 created, 0 revived, 1 updated, 0 skipped, 1 unchanged, 0 soft-deleted; ended 2 sessions\n");
    let json = ran.json();
    assert_eq!(json["sessions_ended"], 2, "{json}");
    assert_eq!(json["rows"][0]["action"], "updated", "{json}");
    assert_eq!(json["rows"][1]["action"], "unchanged", "{json}");
    let hash = env.col("ann@example.com", "password").unwrap();
    assert!(roster::password::verify("Other-Passw0rd!", &hash));
    assert_eq!(env.count(SESSIONS), 0);
    assert_eq!(env.count(AUDIT), audit + 1);
}

each_db!(an_exported_soft_deleted_user_imports_unchanged);
fn an_exported_soft_deleted_user_imports_unchanged(b: Via) {
    let env = TestEnv::directus11(b);
    let path = write(&env, "all.jsonl", &export_all(&env));
    let update = ["import", "--on-conflict", "update", "--format", "json"];
    let first = env.roster(update).arg(&path).succeeds().json();
    let row = |json: &serde_json::Value| {
        let rows = json["rows"].as_array().unwrap().clone();
        rows.into_iter().find(|r| r["id"] == ARCHIVED_ID).unwrap()
    };
    // Kept deleted as the file says: no revival, no password cleared again.
    assert_eq!(row(&first)["action"], "unchanged", "{first}");
    // The fixture stores Directus's own word for it, which stays.
    assert_eq!(env.status_of("archived@example.com"), "archived");
    let second = env
        .roster(update)
        .arg(&path)
        .keeps_db()
        .succeeds()
        .db_unchanged()
        .json();
    let rows = second["rows"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["action"] == "unchanged"), "{second}");
    assert_eq!(second["unchanged"].as_u64(), Some(rows.len() as u64));
}
