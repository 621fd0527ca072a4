//! Behaviours where SQLite and PostgreSQL differ underneath and roster must not:
//! Unicode case folding, the spellings of a UUID, emails twinned by case, lock
//! waits, and JSON columns in the audit trail.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::{Backend, EDITOR_ID, Ran, TestEnv, stderr_of};
use crate::common::{Via, each_db};

fn emails(ran: &Ran) -> Vec<String> {
    ran.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect()
}

each_db!(search_and_lookup_fold_unicode_case_on_both_databases);
fn search_and_lookup_fold_unicode_case_on_both_databases(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec("UPDATE directus_users SET first_name = 'Élodie', email = 'élodie@example.com' WHERE email = 'editor@example.com'");
    for term in ["élodie", "ÉLODIE", "Élo"] {
        let ran = env
            .roster(["list", "--format", "json", "--search", term])
            .succeeds();
        assert_eq!(emails(&ran), ["élodie@example.com"], "{term}");
    }
    env.roster(["show", "ÉLODIE@example.com"]).succeeds();
}

each_db!(every_spelling_of_an_id_finds_the_user);
fn every_spelling_of_an_id_finds_the_user(b: Via) {
    let env = TestEnv::directus11(b);
    for key in [
        "1ccf0e10-5d51-4570-8760-dbf5112fb24e",
        "1CCF0E10-5D51-4570-8760-DBF5112FB24E",
        "1ccf0e105d5145708760dbf5112fb24e",
        "{1ccf0e10-5d51-4570-8760-dbf5112fb24e}",
    ] {
        let user = env
            .roster(["show", key, "--format", "json"])
            .succeeds()
            .json();
        assert_eq!(user["email"], "editor@example.com", "{key}");
    }
    let role = "DEC19C14AE17456CBE7BEF8E47A076D1";
    let ran = env
        .roster(["list", "--role", role, "--format", "json"])
        .succeeds();
    assert_eq!(emails(&ran).len(), 3);
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn an_email_two_live_accounts_share_in_different_case_is_ambiguous() {
    // Directus's unique constraint is case-sensitive on PostgreSQL, so such twins exist there.
    let env = TestEnv::directus11(Via::POSTGRES.require());
    env.exec(
        "INSERT INTO directus_users (id, email, status, role, provider) VALUES \
        ('77777777-7777-4777-8777-777777777777', 'Editor@Example.com', 'active', \
         'dec19c14-ae17-456c-be7b-ef8e47a076d1', 'default')",
    );
    let ran = env.roster(["suspend", "editor@example.com"]).fails(2);
    let stderr = ran.db_unchanged().err();
    for id in [EDITOR_ID, "77777777-7777-4777-8777-777777777777"] {
        assert!(stderr.contains(id), "{stderr}");
    }
    env.roster(["suspend", "77777777-7777-4777-8777-777777777777"])
        .succeeds();
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_row_locked_elsewhere_is_waited_for_up_to_the_busy_timeout_then_exit_6() {
    let env = TestEnv::directus11(Via::POSTGRES.require());
    let mut holder = postgres::Client::connect(&env.url, postgres::NoTls).unwrap();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute(
        "UPDATE directus_users SET title = 'held' WHERE email = 'invited@example.com'",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = env
        .cmd()
        .args(["--busy-timeout", "300", "suspend", "invited@example.com"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(6);
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with("error: the database is locked"),
        "{stderr}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    tx.rollback().unwrap();
    let status = env.value("SELECT status FROM directus_users WHERE email = 'invited@example.com'");
    assert_eq!(status.as_deref(), Some("invited"));
}

each_db!(json_columns_are_recorded_as_json_in_revisions);
fn json_columns_are_recorded_as_json_in_revisions(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec("UPDATE directus_users SET tags = '[\"a\",\"b\"]' WHERE email = 'editor@example.com'");
    env.roster(["suspend", "editor@example.com"]).succeeds();
    let data = env
        .value("SELECT CAST(data AS TEXT) FROM directus_revisions ORDER BY id DESC LIMIT 1")
        .unwrap();
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(data["password"], "**********");
    match b.backend {
        Backend::Sqlite => assert!(data["last_access"].is_i64(), "{data}"),
        Backend::Postgres | Backend::Mysql => assert!(
            data["last_access"].as_str().unwrap().ends_with('Z'),
            "{data}"
        ),
    }
}
