//! Where a password comes from: stdin, a file, a variable, a prompt, or generated.

use super::*;

/// `create EMAIL --role Administrator`, to which a password source is added.
fn create_admin<'a>(env: &'a TestEnv, email: &str) -> Run<'a> {
    env.roster(["create", email, "--role", "Administrator"])
}

each_db!(password_stdin_stores_a_hash_of_the_first_line);
fn password_stdin_stores_a_hash_of_the_first_line(b: Via) {
    let env = TestEnv::standalone(b);
    let ran = create_admin(&env, "in@example.com")
        .arg("--password-stdin")
        .stdin(format!("{PW}\r\nsecond line\n"))
        .succeeds();
    ran.stdout("");
    let hash = hash_of(&env, "in@example.com");
    assert!(
        hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
        "{hash}"
    );
    assert!(
        verify(PW, &hash),
        "the line ending is not part of the password"
    );
    assert!(!ran.err().contains(PW));
    assert_no_secret_in_audit(&env, &[PW, &hash]);
}

each_db!(password_file_reads_its_first_line);
fn password_file_reads_its_first_line(b: Via) {
    let env = TestEnv::standalone(b);
    let file = env.dir.path().join("pw.txt");
    std::fs::write(&file, "F1le!Password\nnot this one\n").unwrap();
    create_admin(&env, "file@example.com")
        .arg("--password-file")
        .arg(&file)
        .succeeds();
    assert!(verify("F1le!Password", &hash_of(&env, "file@example.com")));

    // A file that cannot be read is a usage error that changes nothing.
    let missing = env.dir.path().join("absent.txt");
    let ran = create_admin(&env, "file2@example.com")
        .arg("--password-file")
        .arg(&missing)
        .fails(2);
    let err = ran.db_unchanged().err();
    let want = format!("error: cannot read password file {}: ", missing.display());
    assert!(err.starts_with(&want), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

each_db!(password_env_reads_the_variable);
fn password_env_reads_the_variable(b: Via) {
    let env = TestEnv::standalone(b);
    create_admin(&env, "env@example.com")
        .args(["--password-env", "ROSTER_T_PW"])
        .env("ROSTER_T_PW", "Env!Passw0rd")
        .succeeds();
    assert!(verify("Env!Passw0rd", &hash_of(&env, "env@example.com")));

    let before = env.dump();
    let a = env
        .cmd()
        .args(["create", "env2@example.com", "--role", "Administrator"])
        .args(["--password-env", "ROSTER_T_UNSET"])
        .env_remove("ROSTER_T_UNSET")
        .assert()
        .code(2);
    assert_eq!(
        crate::common::stderr_of(&a),
        "error: environment variable ROSTER_T_UNSET is not set\n",
    );
    assert_eq!(env.dump(), before);
}

each_db!(random_password_is_printed_once_and_matches_the_hash);
fn random_password_is_printed_once_and_matches_the_hash(b: Via) {
    let env = TestEnv::standalone(b);
    let ran = create_admin(&env, "rnd@example.com")
        .arg("--random-password")
        .succeeds();
    let out = ran.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "the password alone on stdout: {out:?}");
    let pw = lines[0];
    assert!(
        pw.len() >= 16 && !pw.contains(char::is_whitespace),
        "{pw:?}"
    );
    let err = ran.err();
    assert!(err.contains("generated password (shown once):"), "{err}");
    assert!(!err.contains(pw), "the password goes to stdout only");
    assert!(verify(pw, &hash_of(&env, "rnd@example.com")));

    // set-password too, and a new password each time.
    let out = env
        .roster(["set-password", "rnd@example.com", "--random-password"])
        .succeeds()
        .out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out:?}");
    assert_ne!(lines[0], pw);
    assert!(verify(lines[0], &hash_of(&env, "rnd@example.com")));
}

each_db!(random_password_is_in_the_json_of_create);
fn random_password_is_in_the_json_of_create(b: Via) {
    let env = TestEnv::standalone(b);
    let ran = create_admin(&env, "json@example.com")
        .args(["--random-password", "--format", "json"])
        .succeeds();
    let out = ran.json();
    assert_eq!(out["result"], "created");
    assert_eq!(out["user"]["email"], "json@example.com");
    assert_eq!(out["user"]["password_set"], true);
    let pw = out["password"].as_str().unwrap();
    assert!(!ran.err().contains(pw));
    assert!(verify(pw, &hash_of(&env, "json@example.com")));
}

each_db!(password_flag_works_with_a_warning);
fn password_flag_works_with_a_warning(b: Via) {
    let env = TestEnv::standalone(b);
    let ran = create_admin(&env, "flag@example.com")
        .args(["--password", "Fl4g!Password"])
        .succeeds();
    let err = ran.err();
    assert!(err.lines().any(|l| l == PASSWORD_FLAG_WARNING), "{err}");
    assert!(!err.contains("Fl4g!Password"), "{err}");
    ran.stdout("");
    assert!(verify("Fl4g!Password", &hash_of(&env, "flag@example.com")));
}

each_db!(two_password_sources_are_a_usage_error);
fn two_password_sources_are_a_usage_error(b: Via) {
    let env = TestEnv::standalone(b);
    create_admin(&env, "two@example.com")
        .args(["--password-stdin", "--random-password"])
        .stdin(format!("{PW}\n"))
        .fails(2)
        .db_unchanged();
}
