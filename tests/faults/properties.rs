//! Property tests: the parsers of everything a user types or a file holds never
//! panic, and what they accept comes back the same.

use proptest::prelude::*;
use roster::rows::{Cell, FileFormat, read};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn email_validation_never_panics_and_is_idempotent(raw in "\\PC{0,80}|[a-zA-Z0-9._%+-]{1,20}@[a-z0-9-]{1,10}\\.[a-z]{2,5}") {
        if let Ok(email) = roster::email::normalize(&raw) {
            prop_assert_eq!(roster::email::normalize(&email).ok(), Some(email.clone()));
            prop_assert!(!email.chars().any(char::is_control));
        }
    }

    #[test]
    fn javascript_policy_regexes_never_panic(re in "\\PC{0,40}", pw in "\\PC{0,40}") {
        if let Ok(policy) = roster::policy::Policy::from_directus(&format!("/{re}/")) {
            let _ = policy.check(&pw);
        }
    }

    #[test]
    fn database_urls_never_panic(url in "\\PC{0,60}|(postgres|postgresql|sqlite|mysql)://\\PC{0,40}") {
        let _ = roster::config::parse_url(&url);
    }

    #[test]
    fn env_files_never_panic_and_keep_plain_values(text in "\\PC{0,200}", key in "[A-Z_]{1,12}", value in "[a-zA-Z0-9./:_-]{0,30}") {
        let _ = roster::config::parse_env(&text);
        let vars = roster::config::parse_env(&format!("{key}={value}\n"));
        prop_assert_eq!(vars.get(&key).map(String::as_str), Some(value.as_str()));
    }

    #[test]
    fn import_parsers_never_panic_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        for format in [FileFormat::Csv, FileFormat::Json, FileFormat::Jsonl, FileFormat::Toml] {
            let _ = read(bytes.as_slice(), format, None, &indicatif::ProgressBar::hidden(), &mut |_| Ok(()));
        }
    }

    #[test]
    fn csv_values_come_back_as_written(name in "[^\\u{0}-\\u{1f}\\u{7f}]{1,50}") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv");
        let mut w = csv::Writer::from_path(&path).unwrap();
        w.write_record(["email", "first_name"]).unwrap();
        w.write_record(["a@example.com", name.as_str()]).unwrap();
        w.flush().unwrap();
        let mut got = Vec::new();
        read(std::fs::File::open(&path).unwrap(), FileFormat::Csv, None, &indicatif::ProgressBar::hidden(), &mut |row| {
            got.push(row.fields);
            Ok(())
        }).unwrap();
        prop_assert_eq!(got.len(), 1);
        prop_assert_eq!(&got[0][1], &("first_name".to_string(), Cell::Text(name.clone())));
    }
}
