//! Messages that name their subject and the fix: mistyped roles and paths,
//! unusable files, incomplete Directus .env files.

use crate::common::*;

#[test]
fn a_mistyped_role_gets_a_suggestion() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let a = env
        .cmd()
        .args(["invite", "a@example.com", "--role", "Edtor"])
        .assert()
        .code(3);
    assert_eq!(
        stderr_of(&a),
        "error: no role \"Edtor\"\nhint: did you mean Editor? `roster roles list` shows the roles\n"
    );
}

#[test]
fn sqlite_paths_and_files_that_cannot_be_used_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = bare_cmd(d)
        .args(["-d", "/wrong/folder/data.db", "list"])
        .assert()
        .code(6);
    assert_eq!(
        stderr_of(&a),
        "error: database file /wrong/folder/data.db does not exist, nor does its folder /wrong/folder: check the path\n"
    );
    let a = bare_cmd(d).args(["-d", "sqlite:", "list"]).assert().code(2);
    assert_eq!(
        stderr_of(&a),
        "error: the SQLite URL names no file (write sqlite:PATH)\n"
    );

    let bad = d.join("bad.db");
    std::fs::write(&bad, vec![7u8; 4096]).unwrap();
    let a = bare_cmd(d).arg("-d").arg(&bad).arg("list").assert().code(6);
    assert_eq!(
        stderr_of(&a),
        format!(
            "error: {} is not a SQLite database, or it is damaged\n",
            bad.display()
        )
    );
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

#[test]
fn invite_links_name_what_the_env_file_lacks() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let file = env.dir.path().join("directus.env");
    std::fs::write(&file, "SECRET=s3cret\n").unwrap();
    let a = env
        .cmd()
        .args([
            "invite",
            "a@example.com",
            "--role",
            "Editor",
            "--link",
            "--env-file",
        ])
        .arg(&file)
        .assert()
        .code(2);
    assert_eq!(
        stderr_of(&a),
        format!(
            "error: {} sets no PUBLIC_URL, the address of the Directus app: add it, or give --public-url\n",
            file.display()
        )
    );
    std::fs::write(
        &file,
        "SECRET=s3cret\nPUBLIC_URL=https://cms.example.com\nUSER_INVITE_TOKEN_TTL=soon\n",
    )
    .unwrap();
    let a = env
        .cmd()
        .args([
            "invite",
            "a@example.com",
            "--role",
            "Editor",
            "--link",
            "--env-file",
        ])
        .arg(&file)
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).starts_with(&format!(
            "error: USER_INVITE_TOKEN_TTL in {}: ",
            file.display()
        )),
        "{}",
        stderr_of(&a)
    );
    // Past ten years: an expiry that overflows or never comes is refused (exit 5).
    for ttl in ["18446744073709551615", "9223372036854775808", "3651d"] {
        let a = env
            .cmd()
            .args([
                "invite",
                "a@example.com",
                "--role",
                "Editor",
                "--link",
                "--invite-ttl",
                ttl,
                "--public-url",
                "https://x.example.com",
                "--env-file",
            ])
            .arg(&file)
            .assert()
            .code(5);
        assert!(stderr_of(&a).starts_with("error: "), "{ttl}");
    }
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0);
}

#[test]
fn values_are_checked_before_the_database_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let a = bare_cmd(dir.path())
        .args([
            "-d",
            "postgres://nobody@127.0.0.1:1/x?sslmode=disable",
            "create",
            "a@example.com",
        ])
        .args(["--role", "Editor", "--password-file", "/nonexistent/pw"])
        .assert()
        .code(2);
    assert!(stderr_of(&a).starts_with("error: cannot read password file /nonexistent/pw"));
}

#[test]
fn a_database_missing_tables_is_exit_6_naming_what_is_missing() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec("DROP TABLE directus_roles");
    let a = env.cmd().arg("list").assert().code(6);
    assert!(stderr_of(&a).starts_with(
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
