//! The audit trail on Directus databases: directus_activity and
//! directus_revisions rows as Directus writes them, secrets masked, none with --no-audit.

use super::*;

/// Where the trail stood before a test's changes, and the user they were made to.
struct Audited {
    id: String,
    last_activity: i64,
    last_revision: i64,
}

/// Creates audited@example.com, then changes its password as the fixture admin.
fn create_then_set_password(env: &TestEnv) -> Audited {
    let last_activity = env.count("SELECT coalesce(max(id), 0) FROM directus_activity");
    let last_revision = env.count("SELECT coalesce(max(id), 0) FROM directus_revisions");
    create(env, "audited@example.com", "Editor", NEW_PW).succeeds();
    with_password(
        env,
        "Second!Pass44z",
        &[
            "--actor",
            "admin@example.com",
            "set-password",
            "audited@example.com",
        ],
    )
    .succeeds();
    Audited {
        id: user_id(env, "audited@example.com"),
        last_activity,
        last_revision,
    }
}

/// The activity rows after `last`: action, collection, item, user, user agent, id.
fn activity_since(env: &TestEnv, last: i64) -> Vec<Vec<Option<String>>> {
    env.rows(&format!(
        "SELECT action, collection, item, CAST(\"user\" AS TEXT), user_agent, CAST(id AS TEXT) \
         FROM directus_activity WHERE id > {last} ORDER BY id"
    ))
}

fn json(text: &Option<String>) -> Json {
    serde_json::from_str(text.as_deref().unwrap_or("null")).expect("json")
}

each_fixture!(changes_are_recorded_as_activity_of_the_acting_user);
fn changes_are_recorded_as_activity_of_the_acting_user(env: &TestEnv) {
    let admin = user_id(env, "admin@example.com");
    let audited = create_then_set_password(env);
    let activity = activity_since(env, audited.last_activity);
    assert_eq!(activity.len(), 2, "{activity:?}");
    let expected = [("create", None), ("update", Some(admin))];
    for (row, (action, actor)) in activity.iter().zip(expected) {
        assert_eq!(row[0].as_deref(), Some(action));
        assert_eq!(row[1].as_deref(), Some("directus_users"));
        assert_eq!(row[2].as_deref(), Some(audited.id.as_str()));
        assert_eq!(row[3], actor, "acting user");
        let agent = row[4].clone().unwrap_or_default();
        assert!(agent.starts_with("roster/"), "{agent}");
    }
}

each_fixture!(revisions_point_at_their_activity_and_hold_no_password);
fn revisions_point_at_their_activity_and_hold_no_password(env: &TestEnv) {
    let audited = create_then_set_password(env);
    let activity = activity_since(env, audited.last_activity);
    let revisions = env.rows(&format!(
        "SELECT CAST(activity AS TEXT), collection, item, CAST(data AS TEXT), CAST(delta AS TEXT) \
         FROM directus_revisions WHERE id > {} ORDER BY id",
        audited.last_revision
    ));
    assert_eq!(revisions.len(), 2, "{revisions:?}");
    let hash = stored_hash(env, "audited@example.com").expect("hash");
    for (rev, act) in revisions.iter().zip(&activity) {
        assert_eq!(rev[0], act[5], "revision points at its activity");
        assert_eq!(rev[1].as_deref(), Some("directus_users"));
        assert_eq!(rev[2].as_deref(), Some(audited.id.as_str()));
        for (what, text) in [("data", &rev[3]), ("delta", &rev[4])] {
            let text = text.clone().unwrap_or_default();
            let json: Json = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{what} is not JSON ({e}): {text}"));
            assert_eq!(json["password"], "**********", "{what}: {text}");
            assert!(!text.contains("$argon2"), "{what} holds a hash: {text}");
            assert!(!text.contains(&hash), "{what}");
            assert!(
                !text.contains(NEW_PW) && !text.contains("Second!Pass44z"),
                "{what}"
            );
        }
    }
    assert_eq!(
        json(&revisions[1][3])["email"],
        "audited@example.com",
        "the update's data is the full record"
    );
}

each_fixture!(no_audit_writes_neither_activity_nor_revisions);
fn no_audit_writes_neither_activity_nor_revisions(env: &TestEnv) {
    let activities = env.count("SELECT count(*) FROM directus_activity");
    let revs = env.count("SELECT count(*) FROM directus_revisions");
    with_password(
        env,
        NEW_PW,
        &[
            "--no-audit",
            "create",
            "quiet@example.com",
            "--role",
            "Editor",
        ],
    )
    .succeeds();
    env.roster(["--no-audit", "suspend", "quiet@example.com"])
        .succeeds();
    env.roster(["--no-audit", "set-token", "quiet@example.com"])
        .succeeds();
    assert_eq!(
        env.count("SELECT count(*) FROM directus_activity"),
        activities
    );
    assert_eq!(env.count("SELECT count(*) FROM directus_revisions"), revs);
    assert_eq!(status(env, "quiet@example.com"), "suspended");
}

each_fixture!(soft_delete_and_token_changes_are_audited_with_masked_secrets);
fn soft_delete_and_token_changes_are_audited_with_masked_secrets(env: &TestEnv) {
    let last_revision = env.count("SELECT coalesce(max(id), 0) FROM directus_revisions");
    env.roster(["set-token", "suspended@example.com"])
        .succeeds();
    let token = env
        .value("SELECT token FROM directus_users WHERE email = 'suspended@example.com'")
        .expect("token set");
    env.roster(["soft-delete", "suspended@example.com", "--yes"])
        .succeeds();
    let revisions = env.rows(&format!(
        "SELECT CAST(data AS TEXT), CAST(delta AS TEXT) FROM directus_revisions \
         WHERE id > {last_revision} ORDER BY id"
    ));
    assert_eq!(revisions.len(), 2, "{revisions:?}");
    assert_eq!(json(&revisions[0][1])["token"], "**********");
    assert_eq!(json(&revisions[1][1])["status"], "archived");
    for text in revisions.iter().flatten().flatten() {
        assert!(!text.contains(&token), "a revision holds the token: {text}");
        assert!(!text.contains("$argon2"), "a revision holds a hash: {text}");
    }
}
