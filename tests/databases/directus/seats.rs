//! Directus 12's licence seats: 3 active users with admin or app access without
//! a licence key. The 12.4.1 fixture has two (admin, editor), so one is free.

use super::*;

const OVER: &str = "error: this would use 4 licence seats where Directus allows 3 without a licence key (active users with admin or app access: ";
const HINT: &str = "hint: suspend a seat holder, or take app access from a role, first; --force goes ahead, and Directus then locks the project at its next restart\n";

/// The refusal of a 4th seat, naming the holders.
fn over(holders: &str) -> String {
    format!("{OVER}{holders})\n{HINT}")
}

each_db!(every_path_that_adds_a_seat_counts_them);
fn every_path_that_adds_a_seat_counts_them(b: Via) {
    let env = TestEnv::directus12(b);
    // The third seat is free.
    create(&env, "third@example.com", "Editor", NEW_PW).succeeds();
    let holders = "admin@example.com, editor@example.com, fourth@example.com, third@example.com";
    // create, activate, unsuspend and set-password refuse a fourth, changing nothing.
    create(&env, "fourth@example.com", "Editor", NEW_PW)
        .fails(4)
        .stderr(&over(holders));
    env.roster(["invite", "fourth@example.com", "--role", "Editor"])
        .succeeds();
    with_password(&env, NEW_PW, &["activate", "fourth@example.com"])
        .fails(4)
        .stderr(&over(holders));
    with_password(&env, NEW_PW, &["set-password", "fourth@example.com"]).fails(4);
    let with_suspended =
        "admin@example.com, editor@example.com, suspended@example.com, third@example.com";
    env.roster(["unsuspend", "suspended@example.com"])
        .fails(4)
        .stderr(&over(with_suspended));
    // An import or apply whose rows would take a fourth seat writes nothing.
    let hash = stored_hash(&env, "editor@example.com").unwrap();
    let path = env.dir.path().join("u.csv");
    std::fs::write(
        &path,
        format!("email,role,password_hash\nimp@example.com,Editor,\"{hash}\"\n"),
    )
    .unwrap();
    env.roster(["import"]).arg(&path).fails(4);
    // Giving a role with users app access counts them too.
    env.roster(["roles", "create", "Viewers"]).succeeds();
    env.roster([
        "create",
        "viewer@example.com",
        "--role",
        "Viewers",
        "--random-password",
    ])
    .succeeds();
    env.roster(["roles", "edit", "Viewers", "--app-access"])
        .fails(4);
    // --force goes ahead, with a warning.
    let ran =
        with_password(&env, NEW_PW, &["activate", "fourth@example.com", "--force"]).succeeds();
    assert!(
        ran.err()
            .starts_with("warning: this would use 4 licence seats where Directus allows 3"),
        "{}",
        ran.err()
    );
    let json = env.roster(["doctor", "--format", "json"]).code(0).json();
    assert_eq!(json["seats"], serde_json::json!({"used": 4, "allowed": 3}));
}

each_db!(a_user_without_a_seat_is_made_active_again_when_one_is_free);
fn a_user_without_a_seat_is_made_active_again_when_one_is_free(b: Via) {
    let env = TestEnv::directus12(b);
    env.exec("UPDATE directus_users SET status = 'inactive-license' WHERE email = 'suspended@example.com'");
    let listed = env
        .roster(["list", "--status", "inactive-license", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(listed[0]["email"], "suspended@example.com");
    env.roster(["unsuspend", "suspended@example.com"])
        .succeeds()
        .stderr("unsuspended suspended@example.com (was inactive-license)\n");
    assert_eq!(status(&env, "suspended@example.com"), "active");
    // No seat is free now: a second one waits.
    env.exec(
        "UPDATE directus_users SET status = 'inactive-license' WHERE email = 'invited@example.com'",
    );
    env.exec(&format!(
        "UPDATE directus_users SET password = '{}' WHERE email = 'invited@example.com'",
        stored_hash(&env, "editor@example.com").unwrap()
    ));
    env.roster(["activate", "invited@example.com"]).fails(4);
    env.roster(["suspend", "editor@example.com"]).succeeds();
    env.roster(["activate", "invited@example.com"])
        .succeeds()
        .stderr("activated invited@example.com (was inactive-license)\n");
}

#[test]
fn a_database_with_a_licence_is_not_counted() {
    let env = TestEnv::directus12(Backend::Sqlite);
    env.exec("UPDATE directus_settings SET license_key = 'XXXX-XXXX'");
    for email in ["a@example.com", "b@example.com"] {
        create(&env, email, "Editor", NEW_PW).succeeds();
    }
    let json = env.roster(["doctor", "--format", "json"]).code(0).json();
    assert_eq!(
        json["seats"],
        serde_json::json!({"used": 4, "allowed": null})
    );
    // Before 12, nothing is counted.
    let old = TestEnv::directus11(Backend::Sqlite);
    for email in ["a@example.com", "b@example.com"] {
        create(&old, email, "Editor", NEW_PW).succeeds();
    }
    let json = old.roster(["doctor", "--format", "json"]).code(0).json();
    assert_eq!(json["seats"], serde_json::Value::Null);
}
