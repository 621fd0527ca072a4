//! Passwords and tokens on every backend: every password source, the password
//! policy, sessions ending on credential and status changes, static tokens, and
//! soft-delete removing credentials (spec §4, §5, §6).
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a failure is a test failure

use crate::common::{Backend, Run, TestEnv};
use crate::common::{Via, each_db};
use roster::password::verify;

const PW: &str = "Str0ng!Pass";
const PASSWORD_FLAG_WARNING: &str =
    "warning: --password shows the password in the process list; prefer --password-stdin";
const WEAK_WARNING: &str = "warning: the password does not meet the password policy; accepted because of --allow-weak-password";

// ---------------------------------------------------------------- helpers

fn hash_of(env: &TestEnv, email: &str) -> String {
    env.col(email, "password")
        .unwrap_or_else(|| panic!("{email} has no password"))
}

/// An active user without a password hash (invited, then activated by SQL), cheap to make.
fn active_user(env: &TestEnv, email: &str) -> String {
    env.user_with_status(email, "Administrator", "active")
}

fn sessions_of(env: &TestEnv, user_id: &str) -> Vec<String> {
    env.rows(&format!(
        "SELECT token FROM directus_sessions WHERE \"user\" = '{user_id}' ORDER BY token"
    ))
    .into_iter()
    .map(|r| r[0].clone().unwrap())
    .collect()
}

/// The audit trail records changes with secrets masked: none of `secrets` appears in it.
fn assert_no_secret_in_audit(env: &TestEnv, secrets: &[&str]) {
    let rows = env.rows("SELECT CAST(data AS TEXT), CAST(delta AS TEXT) FROM directus_revisions");
    assert!(!rows.is_empty(), "{:?}: changes are recorded", env.backend);
    for text in rows.into_iter().flatten().flatten() {
        for s in secrets {
            assert!(
                !text.contains(s),
                "{:?}: a secret in directus_revisions: {text}",
                env.backend
            );
        }
    }
}

/// A config file with a `[password_policy]` table, in the test's folder.
fn policy_config(env: &TestEnv, body: &str) -> String {
    let path = env.dir.path().join("roster.toml");
    std::fs::write(&path, format!("[password_policy]\n{body}\n")).unwrap();
    path.display().to_string()
}

const POLICY_12: &str = "min_length = 12\nrequire_digit = true\nrequire_upper = true";
const POLICY_12_ERROR: &str = "error: the password does not meet the password policy: it needs at least 12 \
                               characters, a digit, an upper-case letter\n";

mod policy;
mod sessions;
mod set_password;
mod sources;
mod tokens;
