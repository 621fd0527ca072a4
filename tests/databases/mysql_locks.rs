//! roster's named locks on MySQL/MariaDB: keys share buckets named per database,
//! and a write that finds them held elsewhere waits at most the busy timeout in
//! all, however many it needs, then exits 6. Skipped when ROSTER_TEST_MYSQL_URL
//! is not set.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::{TestEnv, Via, mysql_conn};
use mysql::prelude::Queryable;
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// Three users whose emails fall in three different lock buckets.
const CSV: &str = "email\na@example.com\nb@example.com\nc@example.com\n";
const EMAILS: [&str; 3] = ["a@example.com", "b@example.com", "c@example.com"];

/// The `GET_LOCK` name roster gives a key on a database, written out here so a
/// change of scheme (which two versions of roster side by side would not share)
/// fails a test: FNV-1a of the lower-cased key into 512 buckets, after a hash of
/// the database's name.
fn lock_name(database: &str, key: &str) -> String {
    let fnv = key
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let hex: String = Sha256::digest(database)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("roster:{}:{}", &hex[..48], fnv % 512)
}

/// The database the test's URL names.
fn database_of(env: &TestEnv) -> String {
    let opts = mysql::Opts::from_url(&env.url).unwrap();
    opts.get_db_name().unwrap().to_string()
}

/// Another session holding the locks of `emails` as `database` names them.
fn holder(env: &TestEnv, database: &str, emails: &[&str]) -> mysql::Conn {
    let mut conn = mysql_conn(&env.url).unwrap();
    let mut names: Vec<String> = emails.iter().map(|e| lock_name(database, e)).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), emails.len(), "the emails share a bucket");
    for name in names {
        let got: Option<i64> = conn.exec_first("SELECT GET_LOCK(?, 0)", (name,)).unwrap();
        assert_eq!(got, Some(1));
    }
    conn
}

fn import(env: &TestEnv) -> crate::common::Run<'_> {
    env.roster([
        "--busy-timeout",
        "1000",
        "import",
        "-",
        "--input-format",
        "csv",
    ])
    .args(["--role", "Editor"])
    .stdin(CSV)
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn locks_held_elsewhere_are_waited_for_up_to_the_busy_timeout_in_all_then_exit_6() {
    let env = TestEnv::with_editor(Via::MYSQL.require());
    let mut held = holder(&env, &database_of(&env), &EMAILS);
    let started = Instant::now();
    import(&env)
        .fails(6)
        .stderr_line(
            "error: another roster is changing the same users and did not finish within the busy \
             timeout (1000 ms; see --busy-timeout)",
        )
        .db_unchanged();
    let waited = started.elapsed();
    // One busy timeout for the three locks, not one for each.
    assert!(waited >= Duration::from_millis(1000), "{waited:?}");
    assert!(waited < Duration::from_millis(2500), "{waited:?}");
    held.query_drop("DO RELEASE_ALL_LOCKS()").unwrap();
    import(&env).succeeds();
    assert_eq!(env.status_of("c@example.com"), "invited");
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn the_same_users_locked_for_another_database_on_the_server_are_not_waited_for() {
    let env = TestEnv::with_editor(Via::MYSQL.require());
    let other = format!("{}_other", database_of(&env));
    let _held = holder(&env, &other, &EMAILS);
    let started = Instant::now();
    import(&env).succeeds();
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert_eq!(env.status_of("a@example.com"), "invited");
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn locks_given_back_within_the_busy_timeout_are_taken_and_the_import_goes_on() {
    use std::io::Write;
    let env = TestEnv::with_editor(Via::MYSQL.require());
    // The middle one of the three buckets: roster gives back the last while it
    // waits, and takes it again after.
    let mut held = holder(&env, &database_of(&env), &["b@example.com"]);
    let mut child = env
        .std_cmd()
        .args([
            "--busy-timeout",
            "30000",
            "import",
            "-",
            "--input-format",
            "csv",
        ])
        .args(["--role", "Editor", "-q"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(CSV.as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let imported = "SELECT count(*) FROM directus_users WHERE email LIKE '_@example.com'";
    assert_eq!(env.count(imported), 0, "it waits");
    // While it waits it holds the bucket before, and not the one after.
    let db = database_of(&env);
    let mut probe = mysql_conn(&env.url).unwrap();
    for (email, free) in [("a@example.com", 0), ("c@example.com", 1)] {
        let sql = "SELECT GET_LOCK(?, 0) + 0 * RELEASE_LOCK(?)";
        let name = lock_name(&db, email);
        let got: Option<i64> = probe.exec_first(sql, (&name, &name)).unwrap();
        assert_eq!(got, Some(free), "{email}");
    }
    held.query_drop("DO RELEASE_ALL_LOCKS()").unwrap();
    assert!(child.wait().unwrap().success());
    for email in EMAILS {
        assert_eq!(env.status_of(email), "invited");
    }
}
