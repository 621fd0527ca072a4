//! Listing the fixtures' users: Directus's archived user is left out, and shown
//! as deleted when asked for.

use super::*;

/// The users `roster list ARGS --format json` shows.
fn listed(env: &TestEnv, args: &[&str]) -> Vec<Json> {
    let users = env
        .roster(args)
        .args(["--format", "json"])
        .succeeds()
        .json();
    users.as_array().expect("array").clone()
}

each_fixture!(list_shows_the_four_live_users);
fn list_shows_the_four_live_users(env: &TestEnv) {
    let users = listed(env, &["list"]);
    let seen: Vec<(&str, &str, bool)> = users
        .iter()
        .map(|u| {
            (
                u["email"].as_str().unwrap_or_default(),
                u["status"].as_str().unwrap_or_default(),
                u["admin"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("admin@example.com", "active", true),
            ("editor@example.com", "active", false),
            ("invited@example.com", "invited", false),
            ("suspended@example.com", "suspended", false),
        ]
    );
}

each_fixture!(list_all_adds_the_archived_user_as_deleted);
fn list_all_adds_the_archived_user_as_deleted(env: &TestEnv) {
    let users = listed(env, &["list", "--all"]);
    assert_eq!(users.len(), 5);
    let archived = users
        .iter()
        .find(|u| u["email"] == "archived@example.com")
        .expect("archived user in --all");
    assert_eq!(archived["status"], "deleted");
    assert_eq!(archived["id"], ARCHIVED_ID);
    assert_eq!(archived["first_name"], "Arch");
}

each_fixture!(status_deleted_selects_the_row_directus_stores_as_archived);
fn status_deleted_selects_the_row_directus_stores_as_archived(env: &TestEnv) {
    let users = listed(env, &["list", "--status", "deleted"]);
    let emails: Vec<&str> = users
        .iter()
        .map(|u| u["email"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(emails, ["archived@example.com"]);
    assert_eq!(status(env, "archived@example.com"), "archived");
}

each_fixture!(the_table_shows_the_archived_user_as_deleted);
fn the_table_shows_the_archived_user_as_deleted(env: &TestEnv) {
    let table = env.roster(["list", "--all"]).succeeds().out();
    let line = table
        .lines()
        .find(|l| l.contains("archived@example.com"))
        .unwrap_or_else(|| panic!("no table line for the archived user:\n{table}"));
    assert!(
        line.contains("deleted") && !line.contains("archived "),
        "{line}"
    );
}
