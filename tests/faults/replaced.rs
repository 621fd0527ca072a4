//! A SQLite file deleted or replaced while roster writes to it: the work would
//! land in a file nobody sees, so roster refuses to commit (exit 6) and says so.

use crate::common::{Backend, TestEnv, wait_for_pause};
use std::process::{Output, Stdio};

/// Runs an import of two invited users, held at the pause point `at` (before
/// the write transaction, or before its COMMIT) while `meddle` does something
/// to the file, and returns how it ended.
fn import_while(env: &TestEnv, at: &str, meddle: impl FnOnce(&TestEnv)) -> Output {
    let csv = env.dir.path().join("u.csv");
    let rows = "email,role\nann@example.com,Editor\nbob@example.com,Editor\n";
    std::fs::write(&csv, rows).expect("write the file");
    let gate = env.dir.path().join("gate");
    let mut child = env
        .std_cmd()
        .arg("import")
        .arg(&csv)
        .env(format!("ROSTER_PAUSE_{at}"), &gate)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start import");
    wait_for_pause(&gate, &mut child);
    meddle(env);
    std::fs::write(&gate, "").expect("release the import");
    child.wait_with_output().expect("wait for import")
}

/// Exit 6 and the one error line. Refused at COMMIT, the rows were already
/// shown (an import shows its results before it commits, so a generated secret
/// is never stored unseen), and the error says they were not written.
fn refused(out: &Output, env: &TestEnv, at: &str) {
    let error = format!(
        "error: the database file {} was deleted or replaced while roster ran; nothing was written\n",
        env.url
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if at == "BEFORE_COMMIT" {
        let summary = "2 created, 0 revived, 0 updated, 0 skipped, 0 unchanged, 0 soft-deleted\n";
        assert_eq!(stderr, format!("{summary}{error}"));
        let created: Vec<&str> = stdout
            .lines()
            .map(|l| l.split(' ').next().unwrap_or(""))
            .collect();
        assert_eq!(created, ["created", "created"], "{stdout}");
    } else {
        assert_eq!(stderr, error);
        assert_eq!(stdout, "");
    }
    assert_eq!(out.status.code(), Some(6));
}

/// A copy of the database put in its place, at pause point `at`.
fn replaced_at(at: &str) {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let copy = env.dir.path().join("copy.db");
    std::fs::copy(&env.url, &copy).expect("copy the database");
    let out = import_while(&env, at, |env| {
        std::fs::rename(&copy, &env.url).expect("replace the file");
    });
    refused(&out, &env, at);
    let users = "SELECT count(*) FROM directus_users WHERE email LIKE '%@example.com'";
    assert_eq!(env.count(users), 0);
}

#[test]
fn an_import_into_a_file_replaced_before_it_writes_is_refused() {
    replaced_at("IMPORT_WRITE");
}

#[test]
fn an_import_into_a_file_replaced_before_its_commit_is_refused() {
    replaced_at("BEFORE_COMMIT");
}

#[test]
fn an_import_into_a_file_deleted_meanwhile_is_refused() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let out = import_while(&env, "BEFORE_COMMIT", |env| {
        std::fs::remove_file(&env.url).expect("delete the file");
    });
    refused(&out, &env, "BEFORE_COMMIT");
    assert!(
        !std::path::Path::new(&env.url).exists(),
        "no file came back"
    );
}
