//! The audit trail (spec §6), and the settings roster reads.
use crate::common::{Via, each_db};

use super::*;

/// An activity row: its id, then (action, user, user_agent, collection, item).
type Activity = (String, Vec<Option<String>>);

/// The activity rows after `after`.
fn activity_since(env: &TestEnv, after: i64) -> Vec<Activity> {
    let rows = env.rows(&format!(
        "SELECT id, action, \"user\", user_agent, collection, item FROM directus_activity WHERE id > {after} ORDER BY id"
    ));
    let split = |mut row: Vec<Option<String>>| (row.remove(0).expect("id"), row);
    rows.into_iter().map(split).collect()
}

/// The only activity row after `after`.
#[track_caller]
fn one_activity(env: &TestEnv, after: i64) -> Activity {
    let mut rows = activity_since(env, after);
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows.remove(0)
}

/// What an activity row by roster holds after its id.
fn entry(action: &str, actor: Option<&str>, collection: &str, item: &str) -> Vec<Option<String>> {
    vec![
        Some(action.to_string()),
        actor.map(str::to_string),
        Some(AGENT.to_string()),
        Some(collection.to_string()),
        Some(item.to_string()),
    ]
}

fn max_activity(env: &TestEnv) -> i64 {
    env.count("SELECT coalesce(max(id), 0) FROM directus_activity")
}

fn revisions(env: &TestEnv) -> i64 {
    env.count("SELECT count(*) FROM directus_revisions")
}

/// The revision of one activity row: the whole row as text, then its data and delta, parsed.
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

const TOKEN: &str = "audit-token-0123456789abcdefghijklmnopq";

/// The standalone schema with an active administrator: the audited options with
/// its id as the actor, and the id.
fn audited_db(b: Via) -> (TestEnv, Box<dyn Repo>, WriteOpts, String) {
    let (env, mut r) = standalone(b);
    let admin_role = role_id(r.as_mut(), "Administrator");
    let admin = add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
    (env, r, audited(Some(&admin.id)), admin.id)
}

/// The user every audited story acts on: active, with a first name.
fn aud(r: &mut dyn Repo) -> NewUser {
    let admin_role = role_id(r, "Administrator");
    let mut new = new_user("aud@example.com", Some(&admin_role), Status::Active);
    new.profile.set("first_name", "Aud").unwrap();
    new
}

/// [`aud`], created with the audit on.
fn audited_aud(r: &mut dyn Repo, opts: &WriteOpts) -> User {
    let new = aud(r);
    r.create_user(&new, opts).expect("create").user().clone()
}

each_db!(audit_is_off_by_default, poolers);
fn audit_is_off_by_default(b: Via) {
    let (env, mut r) = standalone(b);
    let admin_role = role_id(r.as_mut(), "Administrator");
    add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
    assert_eq!(max_activity(&env), 0, "audit is off by default");
    let before = revisions(&env);
    let v = add_user(r.as_mut(), "quiet@example.com", &admin_role, Status::Active);
    r.set_token(&v.id, Some(TOKEN), &plain()).expect("token");
    r.change_status(&v.id, Change::Suspend, &plain())
        .expect("suspend");
    plain_role(r.as_mut(), "Quiet");
    assert_eq!(max_activity(&env), 0);
    assert_eq!(revisions(&env), before);
}

each_db!(audit_records_a_create_with_the_password_masked, poolers);
fn audit_records_a_create_with_the_password_masked(b: Via) {
    let (env, mut r, opts, admin) = audited_db(b);
    let u = audited_aud(r.as_mut(), &opts);
    let (act, row) = one_activity(&env, 0);
    assert_eq!(row, entry("create", Some(&admin), "directus_users", &u.id));
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
}

each_db!(audit_records_set_token_with_every_secret_masked, poolers);
fn audit_records_set_token_with_every_secret_masked(b: Via) {
    let (env, mut r, opts, admin) = audited_db(b);
    let u = audited_aud(r.as_mut(), &opts);
    let mark = max_activity(&env);
    give_tfa(&env, &u.id);
    r.set_token(&u.id, Some(TOKEN), &opts).expect("token");
    // An update with the full record and the delta, both masked.
    let (act, row) = one_activity(&env, mark);
    assert_eq!(row, entry("update", Some(&admin), "directus_users", &u.id));
    let (raw, data, delta) = revision(&env, &act);
    for secret in [TOKEN, HASH, TFA_SECRET] {
        assert!(!raw.contains(secret), "{secret} leaked: {raw}");
    }
    assert_eq!(delta, serde_json::json!({ "token": MASK }));
    assert_eq!(data["token"], MASK);
    assert_eq!(data["password"], MASK);
    assert_eq!(data["tfa_secret"], MASK);
    assert_eq!(data["email"], "aud@example.com");
}

each_db!(audit_records_a_cleared_token_as_null, poolers);
fn audit_records_a_cleared_token_as_null(b: Via) {
    let (env, mut r, opts, _) = audited_db(b);
    let u = audited_aud(r.as_mut(), &opts);
    r.set_token(&u.id, Some(TOKEN), &opts).expect("token");
    let mark = max_activity(&env);
    r.set_token(&u.id, None, &opts).expect("clear");
    let (act, _) = one_activity(&env, mark);
    let (_, data, delta) = revision(&env, &act);
    assert_eq!(delta, serde_json::json!({ "token": null }));
    assert_eq!(data["token"], serde_json::Value::Null);
}

each_db!(audit_without_an_actor_records_a_null_user, poolers);
fn audit_without_an_actor_records_a_null_user(b: Via) {
    let (env, mut r, opts, _) = audited_db(b);
    let u = audited_aud(r.as_mut(), &opts);
    give_tfa(&env, &u.id);
    r.set_token(&u.id, Some(TOKEN), &opts).expect("token");
    let mark = max_activity(&env);
    r.set_password(&u.id, HASH2, &audited(None))
        .expect("password");
    r.change_status(&u.id, Change::SoftDelete, &audited(None))
        .expect("delete");
    let rows = activity_since(&env, mark);
    assert_eq!(rows.len(), 2, "{rows:?}");
    // No actor means a NULL user.
    assert_eq!(rows[0].1, entry("update", None, "directus_users", &u.id));
    let (raw, _, delta) = revision(&env, &rows[0].0);
    assert!(!raw.contains(HASH2));
    assert_eq!(delta["password"], MASK);
    let (_, _, delta) = revision(&env, &rows[1].0);
    assert_eq!(delta["status"], "deleted");
    assert_eq!(delta["password"], serde_json::Value::Null);
    assert_eq!(delta["token"], serde_json::Value::Null);
    assert_eq!(delta["tfa_secret"], serde_json::Value::Null);
}

each_db!(audit_records_a_revive_once_on_the_old_id, poolers);
fn audit_records_a_revive_once_on_the_old_id(b: Via) {
    let (env, mut r, opts, admin) = audited_db(b);
    let u = audited_aud(r.as_mut(), &opts);
    r.change_status(&u.id, Change::SoftDelete, &audited(None))
        .expect("delete");
    let (again, mark) = (aud(r.as_mut()), max_activity(&env));
    r.create_user(&again, &opts).expect("revive");
    let (act, row) = one_activity(&env, mark);
    assert_eq!(
        row[1..],
        entry("update", Some(&admin), "directus_users", &u.id)[1..]
    );
    let (raw, data, delta) = revision(&env, &act);
    assert!(!raw.contains(HASH), "the hash leaked: {raw}");
    assert_eq!(delta["password"], MASK);
    assert_eq!(delta["status"], "active");
    assert_eq!(data["id"], u.id.as_str());
}

each_db!(audit_records_create_role_on_directus_roles, poolers);
fn audit_records_create_role_on_directus_roles(b: Via) {
    let (env, mut r, opts, admin) = audited_db(b);
    let mark = max_activity(&env);
    let role = r
        .create_role(&new_role("Audited", false, true), &opts)
        .expect("role");
    let (act, row) = one_activity(&env, mark);
    assert_eq!(
        row,
        entry("create", Some(&admin), "directus_roles", &role.id)
    );
    let (_, data, _) = revision(&env, &act);
    assert_eq!(data["name"], "Audited");
}

each_db!(audit_on_directus, poolers);
fn audit_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "admin@example.com");
        let (mark, before) = (max_activity(&env), revisions(&env));

        r.change_status(EDITOR_ID, Change::Suspend, &plain())
            .expect("quiet");
        assert_eq!(max_activity(&env), mark, "{label}: audit off");

        r.change_status(EDITOR_ID, Change::Unsuspend, &audited(Some(&admin.id)))
            .expect("audited");
        let (act, row) = one_activity(&env, mark);
        let expected = entry("update", Some(&admin.id), "directus_users", EDITOR_ID);
        assert_eq!(row, expected, "{label}");
        let (raw, data, delta) = revision(&env, &act);
        assert!(
            !raw.contains(EDITOR_TOKEN) && !raw.contains("$argon2"),
            "{label}: secret leaked: {raw}"
        );
        assert_eq!(data["token"], MASK, "{label}");
        assert_eq!(data["password"], MASK, "{label}");
        assert_eq!(data["email"], "editor@example.com", "{label}");
        assert_eq!(delta, serde_json::json!({ "status": "active" }), "{label}");
        assert_eq!(revisions(&env), before + 1, "{label}");
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
