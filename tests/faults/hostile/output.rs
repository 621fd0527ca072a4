//! Hostile data already in the database, and readers that go away: what roster
//! prints stays safe for a terminal and a spreadsheet, and nothing panics.

use crate::common::*;

#[test]
fn terminal_escapes_in_the_data_are_shown_escaped() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec("UPDATE directus_users SET first_name = char(27) || ']0;PWNED' || char(7) || char(27) || '[2J' WHERE email = 'editor@example.com'");
    for args in [
        vec!["list"],
        vec!["show", "editor@example.com"],
        vec!["edit", "editor@example.com", "--title", "T"],
    ] {
        let out = env.cmd().args(&args).output().expect("run");
        let all = [out.stdout, out.stderr].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?}: {text}"
        );
        if args[0] != "edit" {
            assert!(text.contains("\\e]0;PWNED\\u{7}\\e[2J"), "{args:?}: {text}");
        }
    }
}

#[test]
fn csv_for_spreadsheets_defuses_formulas_and_export_keeps_them() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec("UPDATE directus_users SET first_name = '=HYPERLINK(\"http://evil\")', last_name = '+1', title = '@SUM(A1)' WHERE email = 'editor@example.com'");
    let csv = env
        .roster(["list", "--format", "csv", "--search", "editor@"])
        .succeeds()
        .out();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\",'+1"),
        "{csv}"
    );
    assert!(csv.contains("'@SUM(A1)"), "{csv}");
    let exact = env
        .roster(["export", "--output-format", "csv", "--search", "editor@"])
        .succeeds()
        .out();
    assert!(
        exact.contains("\"=HYPERLINK(\"\"http://evil\"\")\",+1"),
        "{exact}"
    );
}

#[test]
fn a_reader_that_goes_away_ends_listing_quietly_and_nothing_panics() {
    let env = TestEnv::standalone(Backend::Sqlite);
    let mut csv = String::from("email\n");
    for i in 0..3000 {
        csv.push_str(&format!("user{i}@example.com\n"));
    }
    std::fs::write(env.dir.path().join("many.csv"), csv).unwrap();
    env.roster(["import", "many.csv", "--role", "Administrator"])
        .succeeds();
    for fmt in ["table", "json", "csv"] {
        for _ in 0..5 {
            let status = std::process::Command::new("bash")
                .arg("-c")
                .arg(format!(
                    "set -o pipefail; {} -d {} list --format {fmt} | head -c 10 >/dev/null",
                    env!("CARGO_BIN_EXE_roster"),
                    env.url
                ))
                .status()
                .expect("bash");
            assert_eq!(status.code(), Some(0), "list --format {fmt} | head");
        }
    }
    // stderr closed as well: no panic (101), whatever happens.
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} -d /nonexistent/x.db list 2>&- >&-",
            env!("CARGO_BIN_EXE_roster")
        ))
        .status()
        .expect("bash");
    assert_eq!(status.code(), Some(6));
}
