//! Sixteen `roster create` processes at once for one email in mixed case: exactly
//! one wins, the others exit 4, and the database holds one row (spec §2: unique
//! case-insensitively, which PostgreSQL's Directus constraint alone does not give).

// Through each configured pooler too: the lock must hold behind PgBouncer.
use crate::common::TestEnv;
use crate::common::{Via, each_db};
use std::process::{Command, Stdio};

const RACERS: usize = 16;
/// Meets Directus's "strong" preset, so the fixtures' policy accepts it too.
const PASSWORD: &str = "Race-Pass-123!";

/// The 16 spellings of race@example.com: bit k of `i` upper-cases chunk k
/// ("r", "ace", "e", "xample"), so 5 is `Race@Example.com` and 3 `RACE@example.com`.
fn spelling(i: usize) -> String {
    let chunks = [
        ("r", Some(0)),
        ("ace", Some(1)),
        ("@", None),
        ("e", Some(2)),
        ("xample", Some(3)),
        (".com", None),
    ];
    chunks
        .iter()
        .map(|(text, bit)| match bit {
            Some(b) if i & (1 << b) != 0 => text.to_uppercase(),
            _ => text.to_string(),
        })
        .collect()
}

/// `roster create EMAIL --role ROLE` as `TestEnv::cmd` runs it, but as a std
/// process so many can run at once. `busy` is the SQLite busy timeout, if any.
fn racer(env: &TestEnv, email: &str, role: &str, busy: Option<&str>) -> Command {
    let mut cmd = env.std_cmd();
    cmd.env("ROSTER_TEST_PW", PASSWORD);
    if let Some(ms) = busy {
        cmd.args(["--busy-timeout", ms]);
    }
    cmd.args([
        "create",
        email,
        "--role",
        role,
        "--password-env",
        "ROSTER_TEST_PW",
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    cmd
}

/// One racer's email, exit code and stderr.
type Outcome = (String, Option<i32>, String);

/// Starts every create at once, then waits for all; returns the outcomes and a report.
fn race(
    env: &TestEnv,
    emails: &[String],
    role: &str,
    busy: Option<&str>,
) -> (Vec<Outcome>, String) {
    let children: Vec<(String, std::process::Child)> = emails
        .iter()
        .map(|email| {
            let child = racer(env, email, role, busy).spawn().expect("spawn roster");
            (email.clone(), child)
        })
        .collect();
    let results: Vec<Outcome> = children
        .into_iter()
        .map(|(email, child)| {
            let out = child.wait_with_output().expect("wait for roster");
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            (email, out.status.code(), stderr)
        })
        .collect();
    let report = results
        .iter()
        .map(|(e, c, s)| format!("{e}: exit {c:?}: {}\n", s.trim()))
        .collect();
    (results, report)
}

/// The checks of a same-email race: one winner, fifteen conflicts, one row.
fn assert_one_winner(label: &str, env: &TestEnv, role: &str) {
    let emails: Vec<String> = (0..RACERS).map(spelling).collect();
    let activity_before = env
        .value("SELECT count(*) FROM directus_activity WHERE action = 'create' AND collection = 'directus_users'")
        .unwrap_or_default();
    let (results, report) = race(env, &emails, role, Some("60000"));

    let winners = results.iter().filter(|r| r.1 == Some(0)).count();
    let losers: Vec<&Outcome> = results.iter().filter(|r| r.1 == Some(4)).collect();
    assert_eq!(
        winners, 1,
        "{label}: exactly one create must succeed:\n{report}"
    );
    assert_eq!(
        losers.len(),
        RACERS - 1,
        "{label}: the others must exit 4:\n{report}"
    );
    for (email, _, stderr) in &losers {
        assert!(
            stderr.starts_with("error: a user with email race@example.com already exists"),
            "{label}: {email}: {stderr}"
        );
        assert!(
            !stderr.contains(PASSWORD),
            "{label}: {email}: password leaked"
        );
    }

    let rows = env
        .rows("SELECT email, status FROM directus_users WHERE lower(email) = 'race@example.com'");
    assert_eq!(
        rows,
        [[Some("race@example.com".to_string()), Some("active".into())]],
        "{label}: one row, stored lower-case:\n{report}"
    );
    let hash = env
        .value("SELECT password FROM directus_users WHERE email = 'race@example.com'")
        .expect("hash");
    assert!(roster::password::verify(PASSWORD, &hash), "{label}");
    // One audit row for the one insert.
    let activity_after: i64 = env
        .value("SELECT count(*) FROM directus_activity WHERE action = 'create' AND collection = 'directus_users'")
        .unwrap_or_default()
        .parse()
        .expect("count");
    assert_eq!(
        activity_after,
        activity_before.parse::<i64>().expect("count") + 1,
        "{label}"
    );
}

#[test]
fn spellings_are_distinct_and_all_mean_the_same_email() {
    let all: std::collections::HashSet<String> = (0..RACERS).map(spelling).collect();
    assert_eq!(all.len(), RACERS);
    assert!(all.iter().all(|s| s.to_lowercase() == "race@example.com"));
    assert_eq!(spelling(5), "Race@Example.com");
    assert_eq!(spelling(3), "RACE@example.com");
}

each_db!(
    sixteen_concurrent_creates_of_one_email_make_one_row_on_the_standalone_schema,
    poolers
);
fn sixteen_concurrent_creates_of_one_email_make_one_row_on_the_standalone_schema(b: Via) {
    let env = TestEnv::standalone(b);
    assert_one_winner("standalone", &env, "Administrator");
}

each_db!(
    sixteen_concurrent_creates_of_one_email_make_one_row_on_directus_11,
    poolers
);
/// Directus's own PostgreSQL constraint is case-sensitive: only roster's lock
/// keeps `Race@` and `race@` from both being inserted.
fn sixteen_concurrent_creates_of_one_email_make_one_row_on_directus_11(b: Via) {
    let env = TestEnv::directus11(b);
    assert_one_winner("directus11", &env, "Editor");
}

each_db!(
    concurrent_creates_of_different_users_all_succeed_with_the_default_busy_timeout,
    poolers
);
/// Hashing (seconds in a debug build) happens before the write transaction, so
/// concurrent creates of different users all succeed within SQLite's default
/// 5 s busy timeout instead of queueing behind each other's hashing.
fn concurrent_creates_of_different_users_all_succeed_with_the_default_busy_timeout(b: Via) {
    let env = TestEnv::standalone(b);
    let emails: Vec<String> = (0..8).map(|i| format!("user{i}@example.com")).collect();
    let (results, report) = race(&env, &emails, "Administrator", None);
    assert!(
        results.iter().all(|r| r.1 == Some(0)),
        "every create must succeed:\n{report}"
    );
    assert_eq!(
        env.value("SELECT count(*) FROM directus_users").as_deref(),
        Some("8"),
    );
}
