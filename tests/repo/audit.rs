//! The audit trail (spec §6), and the settings roster reads.
use crate::common::{Via, each_db};

use super::*;

/// The (id, action, user, user_agent, collection, item) of the activity rows after `after`.
fn activity_since(env: &TestEnv, after: i64) -> Vec<Vec<Option<String>>> {
    env.rows(&format!(
        "SELECT id, action, \"user\", user_agent, collection, item FROM directus_activity WHERE id > {after} ORDER BY id"
    ))
}

fn max_activity(env: &TestEnv) -> i64 {
    env.count("SELECT coalesce(max(id), 0) FROM directus_activity")
}

/// The (data, delta) of the revision of one activity row, parsed.
fn revision(env: &TestEnv, activity: &str) -> (String, serde_json::Value, serde_json::Value) {
    let rows = env.rows(&format!(
        "SELECT collection, item, data, delta FROM directus_revisions WHERE activity = {activity}"
    ));
    assert_eq!(
        rows.len(),
        1,
        "one revision for activity {activity}: {rows:?}"
    );
    let row = &rows[0];
    let parse = |v: &Option<String>| -> serde_json::Value {
        serde_json::from_str(v.as_deref().expect("json")).expect("valid json")
    };
    let raw = format!("{row:?}");
    (raw, parse(&row[2]), parse(&row[3]))
}

/// Epoch milliseconds of an activity row's timestamp.
fn activity_time(env: &TestEnv, id: &str) -> i64 {
    let sql = match env.backend {
        Backend::Sqlite => format!("SELECT \"timestamp\" FROM directus_activity WHERE id = {id}"),
        Backend::Postgres => format!(
            "SELECT (extract(epoch FROM \"timestamp\") * 1000)::bigint FROM directus_activity WHERE id = {id}"
        ),
        Backend::Mysql => format!(
            "SELECT UNIX_TIMESTAMP(\"timestamp\") * 1000 FROM directus_activity WHERE id = {id}"
        ),
    };
    env.count(&sql)
}

each_db!(audit_records_activity_and_masked_revisions, poolers);
fn audit_records_activity_and_masked_revisions(b: Via) {
    let (env, mut r) = standalone(b);
    let admin_role = role_id(r.as_mut(), "Administrator");
    let admin = add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
    assert_eq!(max_activity(&env), 0, "audit is off by default");
    let opts = audited(Some(&admin.id));
    let token = "audit-token-0123456789abcdefghijklmnopq";

    // create
    let mut new = new_user("aud@example.com", Some(&admin_role), Status::Active);
    new.profile.set("first_name", "Aud").unwrap();
    let u = r.create_user(&new, &opts).expect("create").user().clone();
    let rows = activity_since(&env, 0);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    let expected = |action: &str, actor: Option<&str>, collection: &str, item: &str| {
        vec![
            Some(action.to_string()),
            actor.map(str::to_string),
            Some(AGENT.to_string()),
            Some(collection.to_string()),
            Some(item.to_string()),
        ]
    };
    assert_eq!(
        row[1..],
        expected("create", Some(&admin.id), "directus_users", &u.id),
    );
    let act = row[0].clone().expect("id");
    let t = activity_time(&env, &act);
    assert!((t - now_ms()).abs() < 120_000, "timestamp {t} is not now");
    if b == Backend::Sqlite {
        assert_eq!(
            env.value(&format!(
                "SELECT typeof(\"timestamp\") FROM directus_activity WHERE id = {act}"
            ))
            .as_deref(),
            Some("integer"),
            "timestamps as epoch ms"
        );
    }
    let (raw, data, delta) = revision(&env, &act);
    assert!(!raw.contains(HASH), "the hash leaked: {raw}");
    assert_eq!(data["id"], u.id.as_str());
    assert_eq!(data["email"], "aud@example.com");
    assert_eq!(data["first_name"], "Aud");
    assert_eq!(data["password"], MASK);
    assert_eq!(data["status"], "active");
    assert_eq!(delta["password"], MASK);

    // set_token: an update with the full record and the delta, both masked.
    let mark = max_activity(&env);
    env.exec(&format!(
        "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{}'",
        u.id
    ));
    r.set_token(&u.id, Some(token), &opts).expect("token");
    let rows = activity_since(&env, mark);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0][1..],
        expected("update", Some(&admin.id), "directus_users", &u.id),
    );
    let (raw, data, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
    for secret in [token, HASH, "JBSWY3DPEHPK3PXP"] {
        assert!(!raw.contains(secret), "{secret} leaked: {raw}");
    }
    assert_eq!(delta, serde_json::json!({ "token": MASK }));
    assert_eq!(data["token"], MASK);
    assert_eq!(data["password"], MASK);
    assert_eq!(data["tfa_secret"], MASK);
    assert_eq!(data["email"], "aud@example.com");

    // Clearing writes a null, not the mask.
    let mark = max_activity(&env);
    r.set_token(&u.id, None, &opts).expect("clear");
    let rows = activity_since(&env, mark);
    let (_, data, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
    assert_eq!(delta, serde_json::json!({ "token": null }));
    assert_eq!(data["token"], serde_json::Value::Null);

    // set_password and status changes; no actor means a NULL user.
    let mark = max_activity(&env);
    r.set_password(&u.id, HASH2, &audited(None))
        .expect("password");
    r.change_status(&u.id, Change::SoftDelete, &audited(None))
        .expect("delete");
    let rows = activity_since(&env, mark);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0][1..],
        expected("update", None, "directus_users", &u.id),
    );
    let (raw, _, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
    assert!(!raw.contains(HASH2));
    assert_eq!(delta["password"], MASK);
    let (_, _, delta) = revision(&env, rows[1][0].as_deref().expect("id"));
    assert_eq!(delta["status"], "deleted");
    assert_eq!(delta["password"], serde_json::Value::Null);
    assert_eq!(delta["token"], serde_json::Value::Null);
    assert_eq!(delta["tfa_secret"], serde_json::Value::Null);

    // A revive is recorded once, on the old id, secrets masked.
    let mark = max_activity(&env);
    r.create_user(&new, &opts).expect("revive");
    let rows = activity_since(&env, mark);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0][2..],
        expected("update", Some(&admin.id), "directus_users", &u.id)[1..],
    );
    let (raw, data, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
    assert!(!raw.contains(HASH), "the hash leaked: {raw}");
    assert_eq!(delta["password"], MASK);
    assert_eq!(delta["status"], "active");
    assert_eq!(data["id"], u.id.as_str());

    // create_role is recorded on directus_roles.
    let mark = max_activity(&env);
    let role = r
        .create_role(
            &NewRole {
                name: "Audited".into(),
                admin_access: false,
                app_access: true,
                if_not_exists: false,
            },
            &opts,
        )
        .expect("role");
    let rows = activity_since(&env, mark);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0][1..],
        expected("create", Some(&admin.id), "directus_roles", &role.id),
    );
    let (_, data, _) = revision(&env, rows[0][0].as_deref().expect("id"));
    assert_eq!(data["name"], "Audited");

    // Audit off: nothing recorded.
    let mark = max_activity(&env);
    let revisions = env.count("SELECT count(*) FROM directus_revisions");
    let v = add_user(r.as_mut(), "quiet@example.com", &admin_role, Status::Active);
    r.set_token(&v.id, Some(token), &plain()).expect("token");
    r.change_status(&v.id, Change::Suspend, &plain())
        .expect("suspend");
    plain_role(r.as_mut(), "Quiet");
    assert_eq!(max_activity(&env), mark);
    assert_eq!(
        env.count("SELECT count(*) FROM directus_revisions"),
        revisions,
    );
}

each_db!(audit_on_directus, poolers);
fn audit_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "admin@example.com");
        let mark = max_activity(&env);
        let revisions = env.count("SELECT count(*) FROM directus_revisions");

        r.change_status(EDITOR_ID, Change::Suspend, &plain())
            .expect("quiet");
        assert_eq!(max_activity(&env), mark, "{label}: audit off");

        r.change_status(EDITOR_ID, Change::Unsuspend, &audited(Some(&admin.id)))
            .expect("audited");
        let rows = activity_since(&env, mark);
        assert_eq!(rows.len(), 1, "{label}");
        assert_eq!(
            rows[0][1..],
            [
                Some("update".into()),
                Some(admin.id.clone()),
                Some(AGENT.into()),
                Some("directus_users".into()),
                Some(EDITOR_ID.into())
            ],
            "{label}"
        );
        let (raw, data, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
        assert!(
            !raw.contains(EDITOR_TOKEN) && !raw.contains("$argon2"),
            "{label}: secret leaked: {raw}"
        );
        assert_eq!(data["token"], MASK, "{label}");
        assert_eq!(data["password"], MASK, "{label}");
        assert_eq!(data["email"], "editor@example.com", "{label}");
        assert_eq!(delta, serde_json::json!({ "status": "active" }), "{label}");
        assert_eq!(
            env.count("SELECT count(*) FROM directus_revisions"),
            revisions + 1,
            "{label}"
        );
    }
}

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

each_db!(settings_reads_the_password_policy, poolers);
fn settings_reads_the_password_policy(b: Via) {
    let (env, mut r) = standalone(b);
    let s = r.settings().expect("settings");
    assert_eq!(s.password_policy, None);
    assert_eq!(s.login_attempts, Some(25));
    assert_eq!(s.project_name.as_deref(), Some("Directus"));

    env.exec("UPDATE directus_settings SET auth_password_policy = '/^.{8,}$/', auth_login_attempts = 3, project_name = 'Acme'");
    let s = r.settings().expect("settings");
    assert_eq!(s.password_policy.as_deref(), Some("/^.{8,}$/"));
    assert_eq!(s.login_attempts, Some(3));
    assert_eq!(s.project_name.as_deref(), Some("Acme"));

    // No settings row: defaults, not an error.
    env.exec("DELETE FROM directus_settings");
    let s = r.settings().expect("settings without a row");
    assert_eq!(s.password_policy, None);
    assert_eq!(s.login_attempts, None);
}

each_db!(settings_reads_the_password_policy_on_directus, poolers);
fn settings_reads_the_password_policy_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let s = r.settings().expect("settings");
        assert_eq!(s.password_policy.as_deref(), Some(STRONG_POLICY), "{label}");
        assert_eq!(STRONG_POLICY.len(), 84);
        assert_eq!(s.login_attempts, Some(5), "{label}");
        assert_eq!(s.project_name.as_deref(), Some("Directus"), "{label}");
    }
}
