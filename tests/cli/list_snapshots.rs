//! Snapshots of `roster list` as a table, JSON and CSV on the Directus 11.3.5
//! fixture, whose ids and last_access values are fixed, so the output is too.

use crate::common::{Backend, TestEnv};

/// stdout of `roster list ARGS...` on a fresh copy of the fixture (stderr must be empty).
fn list(args: &[&str]) -> String {
    let env = TestEnv::directus11(Backend::Sqlite);
    let ran = env
        .roster(["list"])
        .args(args)
        .env("COLUMNS", "100")
        .succeeds();
    ran.stderr("");
    String::from_utf8(ran.output().stdout.clone()).expect("UTF-8 output")
}

/// The snapshot, after checking that a second run prints exactly the same.
fn deterministic(args: &[&str]) -> String {
    let first = list(args);
    assert_eq!(first, list(args), "list {args:?} differs between runs");
    first
}

#[test]
fn list_as_table() {
    insta::assert_snapshot!("list_table", deterministic(&[]));
}

#[test]
fn list_as_json() {
    let out = deterministic(&["--format", "json"]);
    let users: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(users.as_array().map(Vec::len), Some(4), "four live users");
    insta::assert_snapshot!("list_json", out);
}

#[test]
fn list_as_csv() {
    let out = deterministic(&["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows = reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("valid CSV");
    assert_eq!(rows.len(), 4, "a header and four live users");
    insta::assert_snapshot!("list_csv", out);
}

#[test]
fn list_all_as_table_shows_the_archived_user_as_deleted() {
    let out = deterministic(&["--all"]);
    assert!(out.contains("archived@example.com"), "{out}");
    insta::assert_snapshot!("list_all_table", out);
}
