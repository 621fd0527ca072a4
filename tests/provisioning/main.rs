//! Provisioning many users at once: `import`, `export` and `apply`, on every
//! configured database.
// Test bodies are plain functions that `each_db!` calls: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod apply;
mod export;
mod files;
mod import;
mod migration;
mod race;
mod rerun;

use common::TestEnv;
use std::path::PathBuf;

/// The password the provisioning files give their users.
const PW: &str = "Import-Passw0rd!";

/// A file in the test's folder, for import or apply to read.
fn write(env: &TestEnv, name: &str, text: &str) -> PathBuf {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

/// Every user of an export, secrets included, as JSON lines (after its warning).
fn export_all(env: &TestEnv) -> String {
    let ran = env
        .roster([
            "export",
            "--all",
            "--with-secrets",
            "--output-format",
            "jsonl",
        ])
        .succeeds();
    assert!(
        ran.err()
            .starts_with("warning: the export holds password hashes"),
        "{}",
        ran.err()
    );
    ran.out()
}

/// An export as the database it is imported into holds it: a soft-deleted row
/// keeps no credential (a user Directus archived is exported with its hash).
fn as_imported(doc: &str) -> String {
    doc.lines()
        .map(|line| {
            let mut row: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            if row["status"] == "deleted" {
                for secret in ["password_hash", "token", "tfa_secret", "auth_data"] {
                    row[secret] = serde_json::Value::Null;
                }
            }
            format!("{row}\n")
        })
        .collect()
}

/// The same, imported into `to`: MariaDB keeps `last_access` to the second.
fn as_imported_into(doc: &str, to: common::Via) -> String {
    match to.backend {
        common::Backend::Mysql => to_the_second(&as_imported(doc)),
        _ => as_imported(doc),
    }
}

/// The document with `last_access` to the second, as MariaDB stores it.
fn to_the_second(doc: &str) -> String {
    doc.lines()
        .map(|line| {
            let mut row: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            if let Some(t) = row["last_access"].as_str() {
                row["last_access"] = serde_json::Value::from(format!("{}Z", &t[..19]));
            }
            format!("{row}\n")
        })
        .collect()
}
