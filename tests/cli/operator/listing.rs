//! `list` and `export`: status filters and stale accounts.

use super::*;

each_db!(an_unknown_status_filter_is_a_usage_error_naming_the_known_ones);
fn an_unknown_status_filter_is_a_usage_error_naming_the_known_ones(b: Via) {
    let env = TestEnv::directus11(b);
    for cmd in ["list", "export"] {
        env.roster([cmd, "--status", "bogus"]).code(2).stderr(
            "error: unknown status \"bogus\": use draft, invited, active, suspended, deleted, unverified or inactive-license\n",
        );
    }
}

/// admin logged in a day ago, editor long ago; the others never did.
fn with_last_logins(env: &TestEnv) {
    let ago = |days: i64| match env.backend {
        Backend::Sqlite => format!("{}", roster::repo::now_ms() - days * 86_400_000),
        // The SQL-standard spelling, which PostgreSQL and MySQL both read.
        _ => format!("now() - interval '{days}' day"),
    };
    for (email, days) in [("admin@example.com", 1), ("editor@example.com", 60)] {
        env.exec(&format!(
            "UPDATE directus_users SET last_access = {} WHERE email = '{email}'",
            ago(days)
        ));
    }
}

each_db!(stale_accounts_are_found_and_counted);
fn stale_accounts_are_found_and_counted(b: Via) {
    let env = TestEnv::directus11(b);
    with_last_logins(&env);
    let listed = env
        .roster(["list", "--inactive-since", "30d", "--format", "json"])
        .succeeds()
        .json();
    let emails: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        [
            "editor@example.com",
            "invited@example.com",
            "suspended@example.com"
        ],
    );
    env.roster(["list", "--inactive-since", "30d", "--count"])
        .succeeds()
        .stdout("3\n");
    env.roster(["list", "--count", "--all"])
        .succeeds()
        .stdout("5\n");
    let out = env
        .roster([
            "export",
            "--inactive-since",
            "30d",
            "--output-format",
            "jsonl",
        ])
        .succeeds()
        .out();
    assert_eq!(out.lines().count(), 3);
}

each_db!(inactive_since_reads_a_bare_number_as_days_and_refuses_a_bare_m);
fn inactive_since_reads_a_bare_number_as_days_and_refuses_a_bare_m(b: Via) {
    // 90 once meant 90 seconds and 3m three minutes: a cleanup of "stale"
    // accounts would have taken everyone who logged in before breakfast.
    let env = TestEnv::directus11(b);
    with_last_logins(&env);
    let count = |since: &str| {
        env.roster(["list", "--inactive-since", since, "--count"])
            .succeeds()
            .out()
    };
    assert_eq!(count("30"), "3\n");
    assert_eq!(count("30d"), "3\n");
    assert_eq!(count("2mo"), "2\n");
    assert_eq!(count("1y"), "2\n");
    assert_eq!(count("12h"), "4\n");
    assert_eq!(count("2000-01-01"), "2\n");
    env.roster(["list", "--inactive-since", "3m"])
        .fails(2)
        .stderr_line("error: --inactive-since \"3m\": m could mean minutes or months: write min or mo; give a span such as 90d, 12h, 30min, 6mo or 1y, or a date such as 2026-06-01");
}
