//! roster on databases made by real Directus: 11.3.5 on SQLite, PostgreSQL and
//! MySQL, 10.13.4 on SQLite (tests/fixtures, described in the fixtures README).

mod audit;
mod listing;
mod passwords;
mod refusals;
mod roles;
mod seats;
mod sessions;
mod soft_delete;

use crate::common::{
    ARCHIVED_ID, Backend, EDITOR_ID, EDITOR_ROLE, EDITOR_TOKEN, Run, STRONG_POLICY, TestEnv, Via,
    each_db,
};
use serde_json::Value as Json;

const STRONG_WORDS: &str = "at least 8 characters with a digit, a lower-case letter, an upper-case letter and a special character (one of !@#$%^&*()_+}{';'?>.<,), and no whitespace";
const NEW_PW: &str = "Fresh!Pass42x";

/// Turns `fn NAME(env: &TestEnv)` into tests on the Directus 12.4.1 and 11.3.5
/// fixtures on every database (`NAME::directus12::sqlite`, `::postgres`,
/// `::mysql`, the same for `directus11`) and on the Directus 10.13.4 fixture
/// (`NAME::directus10::sqlite`).
macro_rules! each_fixture {
    ($name:ident) => {
        mod $name {
            fn directus12(b: $crate::common::Via) {
                super::$name(&$crate::common::TestEnv::directus12(b))
            }
            $crate::common::each_db!(directus12);
            fn directus11(b: $crate::common::Via) {
                super::$name(&$crate::common::TestEnv::directus11(b))
            }
            $crate::common::each_db!(directus11);
            mod directus10 {
                #[test]
                fn sqlite() {
                    super::super::$name(&$crate::common::TestEnv::directus10())
                }
            }
        }
    };
}
use each_fixture;

/// A query value that must exist.
fn val(env: &TestEnv, sql: &str) -> String {
    env.value(sql)
        .unwrap_or_else(|| panic!("no value for {sql}"))
}

fn user_id(env: &TestEnv, email: &str) -> String {
    val(
        env,
        &format!("SELECT CAST(id AS TEXT) FROM directus_users WHERE lower(email) = '{email}'"),
    )
}

fn stored_hash(env: &TestEnv, email: &str) -> Option<String> {
    env.value(&format!(
        "SELECT password FROM directus_users WHERE lower(email) = '{email}'"
    ))
}

/// The stored status of the user with this email, who must exist.
fn status(env: &TestEnv, email: &str) -> String {
    val(
        env,
        &format!("SELECT status FROM directus_users WHERE lower(email) = '{email}'"),
    )
}

/// `roster ARGS --password-env ROSTER_TEST_PW` with `pw` in ROSTER_TEST_PW.
fn with_password<'a>(env: &'a TestEnv, pw: &str, args: &[&str]) -> Run<'a> {
    env.roster(args)
        .args(["--password-env", "ROSTER_TEST_PW"])
        .env("ROSTER_TEST_PW", pw)
}

/// `roster create EMAIL --role ROLE --password-env ROSTER_TEST_PW` with `pw`.
fn create<'a>(env: &'a TestEnv, email: &str, role: &str, pw: &str) -> Run<'a> {
    with_password(env, pw, &["create", email, "--role", role])
}

/// `roster show EMAIL --format json`.
fn shown(env: &TestEnv, email: &str) -> Json {
    env.roster(["show", email, "--format", "json"])
        .succeeds()
        .json()
}

/// A session row for a user that expires in the future, in each database's type.
fn insert_session(env: &TestEnv, token: &str, user: &str) {
    let expires = match env.backend {
        Backend::Sqlite => "4102444800000".to_string(), // 2100-01-01 in epoch ms
        Backend::Postgres | Backend::Mysql => "now() + interval '1' day".to_string(),
    };
    env.exec(&format!(
        "INSERT INTO directus_sessions (token, \"user\", expires, ip, user_agent) \
             VALUES ('{token}', '{user}', {expires}, '127.0.0.1', 'test')"
    ));
}

/// How many sessions the user with this id has.
fn sessions_of(env: &TestEnv, id: &str) -> i64 {
    env.count(&format!(
        "SELECT count(*) FROM directus_sessions WHERE \"user\" = '{id}'"
    ))
}

/// The tokens of every session left.
fn session_tokens(env: &TestEnv) -> Vec<Vec<Option<String>>> {
    env.rows("SELECT token FROM directus_sessions")
}
