//! Messages that name their subject and the fix: mistyped roles and paths,
//! unusable files, incomplete Directus .env files.

use crate::common::*;
use std::path::Path;

#[test]
fn a_mistyped_role_gets_a_suggestion() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    env.roster(["invite", "a@example.com", "--role", "Edtor"])
        .fails(3)
        .stderr("error: no role \"Edtor\"\nhint: did you mean Editor? `roster roles list` shows the roles\n");
}

#[test]
fn sqlite_paths_and_files_that_cannot_be_used_are_named() {
    let env = TestEnv::empty(Backend::Sqlite);
    env.bare(["-d", "/wrong/folder/data.db", "list"])
        .code(6)
        .stderr("error: database file /wrong/folder/data.db does not exist, nor does its folder /wrong/folder: check the path\n");
    env.bare(["-d", "sqlite:", "list"])
        .code(2)
        .stderr("error: the SQLite URL names no file (write sqlite:PATH)\n");

    let bad = env.dir.path().join("bad.db");
    std::fs::write(&bad, vec![7u8; 4096]).unwrap();
    let want = format!(
        "error: {} is not a SQLite database, or it is damaged\n",
        bad.display()
    );
    env.bare(["-d"]).arg(&bad).arg("list").code(6).stderr(&want);
}

#[test]
fn a_read_only_database_says_which_file_and_what_permission() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::directus11(Backend::Sqlite);
    std::fs::set_permissions(&env.url, std::fs::Permissions::from_mode(0o444)).unwrap();
    // root may write anyway; the message matters only where the write is refused.
    let out = env
        .cmd()
        .args(["suspend", "editor@example.com"])
        .output()
        .unwrap();
    if out.status.code() == Some(6) {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!("error: cannot write to {}", env.url)),
            "{err}"
        );
        assert!(err.contains("hint: SQLite needs write permission on the file and on its folder"));
    }
}

/// `invite a@example.com --role Editor --link EXTRA --env-file FILE`.
fn invite_link<'a>(env: &'a TestEnv, extra: &[&str], file: &Path) -> Run<'a> {
    env.roster(["invite", "a@example.com", "--role", "Editor", "--link"])
        .args(extra)
        .arg("--env-file")
        .arg(file)
}

/// A Directus .env file in the test's folder.
fn env_file(env: &TestEnv, body: &str) -> std::path::PathBuf {
    let file = env.dir.path().join("directus.env");
    std::fs::write(&file, body).unwrap();
    file
}

const TTL_SOON: &str =
    "SECRET=s3cret\nPUBLIC_URL=https://cms.example.com\nUSER_INVITE_TOKEN_TTL=soon\n";

#[test]
fn invite_links_name_what_the_env_file_lacks() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let file = env_file(&env, "SECRET=s3cret\n");
    invite_link(&env, &[], &file).code(2).stderr(&format!(
        "error: {} sets no PUBLIC_URL, the address of the Directus app: add it, or give --public-url\n",
        file.display()
    ));
    let file = env_file(&env, TTL_SOON);
    let err = invite_link(&env, &[], &file).code(2).err();
    let want = format!("error: USER_INVITE_TOKEN_TTL in {}: ", file.display());
    assert!(err.starts_with(&want), "{err}");
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0);
}

#[test]
fn invite_links_refuse_an_expiry_past_ten_years() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let file = env_file(&env, TTL_SOON);
    // An expiry that overflows or never comes is refused (exit 5).
    for ttl in ["18446744073709551615", "9223372036854775808", "3651d"] {
        let extra = ["--invite-ttl", ttl, "--public-url", "https://x.example.com"];
        let err = invite_link(&env, &extra, &file).code(5).err();
        assert!(err.starts_with("error: "), "{ttl}");
    }
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0);
}

#[test]
fn values_are_checked_before_the_database_is_asked() {
    let env = TestEnv::empty(Backend::Sqlite);
    let url = "postgres://nobody@127.0.0.1:1/x?sslmode=disable";
    let err = env
        .bare(["-d", url, "create", "a@example.com"])
        .args(["--role", "Editor", "--password-file", "/nonexistent/pw"])
        .code(2)
        .err();
    assert!(err.starts_with("error: cannot read password file /nonexistent/pw"));
}

#[test]
fn a_database_missing_tables_is_exit_6_naming_what_is_missing() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec("DROP TABLE directus_roles");
    let err = env.roster(["list"]).code(6).err();
    assert!(err.starts_with(
        "error: the database lacks something roster needs (no such table: directus_roles)"
    ));
}

#[test]
fn nothing_is_reported_created_when_the_result_cannot_be_written() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = env
        .std_cmd()
        .args([
            "create",
            "a@example.com",
            "--role",
            "Editor",
            "--password-env",
            "PW",
            "--format",
            "json",
        ])
        .env("PW", "Str0ng!Passw0rd")
        .stdout(full)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("created"),
        "no note of a change that did not happen: {err}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM directus_users WHERE email = 'a@example.com'"),
        0
    );
}
