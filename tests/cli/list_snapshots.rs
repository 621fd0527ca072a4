//! Snapshots of `roster list` as a table (at 60 and 160 columns, and to a pipe),
//! JSON, CSV and plain lines on the Directus 11.3.5 fixture, whose ids and
//! last_access values are fixed, so the output is too.

use crate::common::{Backend, TestEnv};

/// stdout of `roster list ARGS...` on a fresh copy of the fixture (stderr must
/// be empty), as a pipe gets it (no width: every row on one line).
fn list(args: &[&str]) -> String {
    list_at(None, args)
}

/// The same, on a terminal `columns` wide (`COLUMNS`, as `ls` reads it).
fn list_at(columns: Option<&str>, args: &[&str]) -> String {
    let env = TestEnv::directus11(Backend::Sqlite);
    let mut cmd = env.roster(["list"]).args(args);
    if let Some(c) = columns {
        cmd = cmd.env("COLUMNS", c);
    }
    let ran = cmd.succeeds();
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

#[test]
fn at_60_columns_the_id_goes_first_and_the_rest_wraps() {
    let out = list_at(Some("60"), &[]);
    assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    assert!(!out.contains("84a10090"), "the ID column is dropped: {out}");
    insta::assert_snapshot!("list_table_60", out);
}

#[test]
fn at_160_columns_every_column_fits() {
    let out = list_at(Some("160"), &[]);
    assert!(
        out.contains("84a10090-2007-46ff-a52e-1443927f4f8c"),
        "{out}"
    );
    assert_eq!(out, list(&[]), "a table that fits is the one a pipe gets");
}

#[test]
fn columns_picks_and_orders_them_and_keeps_them_at_any_width() {
    let args = ["--columns", "status,email,last_access,id"];
    let out = list_at(Some("60"), &args);
    assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    insta::assert_snapshot!("list_columns_60", out);
    insta::assert_snapshot!("list_columns_160", list_at(Some("160"), &args));
}

#[test]
fn list_as_plain_lines() {
    let out = deterministic(&["--format", "plain"]);
    insta::assert_snapshot!("list_plain", out);
    let headless = list(&[
        "--format",
        "plain",
        "--no-headers",
        "--columns",
        "email,status",
    ]);
    assert_eq!(
        headless,
        "admin@example.com\tactive\neditor@example.com\tactive\ninvited@example.com\tinvited\nsuspended@example.com\tsuspended\n"
    );
}

#[test]
fn csv_takes_columns_and_no_headers_too() {
    let out = list(&["--format", "csv", "--columns", "email,name", "--no-headers"]);
    assert_eq!(
        out,
        "admin@example.com,Admin User\neditor@example.com,Eddie Editor\ninvited@example.com,\nsuspended@example.com,Sam Suspended\n"
    );
}

#[test]
fn sort_by_a_field_either_way_with_the_empty_ones_last() {
    let plain = |sort: &str| {
        list(&[
            "--format",
            "plain",
            "--no-headers",
            "--columns",
            "email",
            "--sort",
            sort,
        ])
    };
    assert_eq!(
        plain("last_name"),
        "editor@example.com\nsuspended@example.com\nadmin@example.com\ninvited@example.com\n"
    );
    assert_eq!(
        plain("-last_name"),
        "admin@example.com\nsuspended@example.com\neditor@example.com\ninvited@example.com\n"
    );
}
