//! Where a password comes from: stdin, a file, a variable, a prompt, or generated.

use super::*;

each_db!(password_stdin_stores_a_hash_of_the_first_line);
fn password_stdin_stores_a_hash_of_the_first_line(b: Via) {
    let env = TestEnv::standalone(b);
    let a = env
        .cmd()
        .args([
            "create",
            "in@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
        ])
        .write_stdin(format!("{PW}\r\nsecond line\n"))
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "");
    let hash = hash_of(&env, "in@example.com");
    assert!(
        hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
        "{hash}"
    );
    assert!(
        verify(PW, &hash),
        "the line ending is not part of the password"
    );
    assert!(!stderr_of(&a).contains(PW));
    assert_no_secret_in_audit(&env, &[PW, &hash]);
}

each_db!(password_file_reads_its_first_line);
fn password_file_reads_its_first_line(b: Via) {
    let env = TestEnv::standalone(b);
    let file = env.dir.path().join("pw.txt");
    std::fs::write(&file, "F1le!Password\nnot this one\n").unwrap();
    env.cmd()
        .args([
            "create",
            "file@example.com",
            "--role",
            "Administrator",
            "--password-file",
        ])
        .arg(&file)
        .assert()
        .code(0);
    assert!(verify("F1le!Password", &hash_of(&env, "file@example.com")),);

    // A file that cannot be read is a usage error that changes nothing.
    let before = env.dump();
    let missing = env.dir.path().join("absent.txt");
    let a = env
        .cmd()
        .args([
            "create",
            "file2@example.com",
            "--role",
            "Administrator",
            "--password-file",
        ])
        .arg(&missing)
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(
        err.starts_with(&format!(
            "error: cannot read password file {}: ",
            missing.display()
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(env.dump(), before);
}

each_db!(password_env_reads_the_variable);
fn password_env_reads_the_variable(b: Via) {
    let env = TestEnv::standalone(b);
    env.cmd()
        .args([
            "create",
            "env@example.com",
            "--role",
            "Administrator",
            "--password-env",
            "ROSTER_T_PW",
        ])
        .env("ROSTER_T_PW", "Env!Passw0rd")
        .assert()
        .code(0);
    assert!(verify("Env!Passw0rd", &hash_of(&env, "env@example.com")),);

    let before = env.dump();
    let a = env
        .cmd()
        .args([
            "create",
            "env2@example.com",
            "--role",
            "Administrator",
            "--password-env",
            "ROSTER_T_UNSET",
        ])
        .env_remove("ROSTER_T_UNSET")
        .assert()
        .code(2);
    assert_eq!(
        stderr_of(&a),
        "error: environment variable ROSTER_T_UNSET is not set\n",
    );
    assert_eq!(env.dump(), before);
}

each_db!(random_password_is_printed_once_and_matches_the_hash);
fn random_password_is_printed_once_and_matches_the_hash(b: Via) {
    let env = TestEnv::standalone(b);
    let a = env
        .cmd()
        .args([
            "create",
            "rnd@example.com",
            "--role",
            "Administrator",
            "--random-password",
        ])
        .assert()
        .code(0);
    let out = stdout_of(&a);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "the password alone on stdout: {out:?}");
    let pw = lines[0];
    assert!(
        pw.len() >= 16 && !pw.contains(char::is_whitespace),
        "{pw:?}"
    );
    let err = stderr_of(&a);
    assert!(err.contains("generated password (shown once):"), "{err}");
    assert!(!err.contains(pw), "the password goes to stdout only");
    assert!(verify(pw, &hash_of(&env, "rnd@example.com")));

    // set-password too, and a new password each time.
    let a = env
        .cmd()
        .args(["set-password", "rnd@example.com", "--random-password"])
        .assert()
        .code(0);
    let out = stdout_of(&a);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out:?}");
    assert_ne!(lines[0], pw);
    assert!(verify(lines[0], &hash_of(&env, "rnd@example.com")));
}

each_db!(random_password_is_in_the_json_of_create);
fn random_password_is_in_the_json_of_create(b: Via) {
    let env = TestEnv::standalone(b);
    let a = env
        .cmd()
        .args([
            "create",
            "json@example.com",
            "--role",
            "Administrator",
            "--random-password",
            "--format",
            "json",
        ])
        .assert()
        .code(0);
    let out = json_of(&a);
    assert_eq!(out["result"], "created");
    assert_eq!(out["user"]["email"], "json@example.com");
    assert_eq!(out["user"]["password_set"], true);
    let pw = out["password"].as_str().unwrap();
    assert!(!stderr_of(&a).contains(pw));
    assert!(verify(pw, &hash_of(&env, "json@example.com")));
}

each_db!(password_flag_works_with_a_warning);
fn password_flag_works_with_a_warning(b: Via) {
    let env = TestEnv::standalone(b);
    let a = env
        .cmd()
        .args([
            "create",
            "flag@example.com",
            "--role",
            "Administrator",
            "--password",
            "Fl4g!Password",
        ])
        .assert()
        .code(0);
    let err = stderr_of(&a);
    assert!(err.lines().any(|l| l == PASSWORD_FLAG_WARNING), "{err}");
    assert!(!err.contains("Fl4g!Password"), "{err}");
    assert_eq!(stdout_of(&a), "");
    assert!(verify("Fl4g!Password", &hash_of(&env, "flag@example.com")),);
}

each_db!(two_password_sources_are_a_usage_error);
fn two_password_sources_are_a_usage_error(b: Via) {
    let env = TestEnv::standalone(b);
    let before = env.dump();
    env.cmd()
        .args([
            "create",
            "two@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
            "--random-password",
        ])
        .write_stdin(format!("{PW}\n"))
        .assert()
        .code(2);
    assert_eq!(env.dump(), before);
}
