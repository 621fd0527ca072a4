//! The life of a user account on roster's standalone schema, on every backend:
//! create, invite, activate, suspend, unsuspend, soft-delete, re-inheritance of a
//! soft-deleted row, last-admin protection, `--if-not-exists`, several USER args
//! (spec §3 and §4).
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a failure is a test failure

use crate::common::TestEnv;
use crate::common::{Via, each_db};

/// The password most tests use (read with `--password-stdin`).
const PW: &str = "Str0ng!Pass\n";

// ---------------------------------------------------------------- helpers

fn role_id(env: &TestEnv, name: &str) -> String {
    env.value(&format!(
        "SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = '{name}'"
    ))
    .unwrap()
}

fn user_count(env: &TestEnv) -> usize {
    env.value("SELECT count(*) FROM directus_users")
        .unwrap()
        .parse()
        .unwrap()
}

fn is_lower_v4_uuid(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4)
        && id == id.to_lowercase()
        && id.len() == 36
}

/// The hint roster adds when unsuspending a user in `from`.
fn unsuspend_hint(from: &str) -> &'static str {
    match from {
        "deleted" => {
            "hint: `roster create` or `roster invite` of the same email revives a soft-deleted user\n"
        }
        _ => {
            "hint: `roster activate` gives an invited or draft user a password and makes it active\n"
        }
    }
}

mod create;
mod if_not_exists;
mod last_admin;
mod many_users;
mod revival;
mod status;
