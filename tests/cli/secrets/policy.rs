//! The password policy: Directus presets, custom regexes, and its refusals.

use super::*;

each_db!(config_policy_refuses_a_weak_password_everywhere_one_is_set);
fn config_policy_refuses_a_weak_password_everywhere_one_is_set(b: Via) {
    let env = TestEnv::standalone(b);
    let config = policy_config(&env, POLICY_12);
    env.roster(["invite", "inv@example.com", "--role", "Administrator"])
        .succeeds();
    active_user(&env, "act@example.com");
    for args in [
        &[
            "create",
            "weak@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
        ][..],
        &["activate", "inv@example.com", "--password-stdin"],
        &["set-password", "act@example.com", "--password-stdin"],
    ] {
        env.roster(["--config", &config])
            .args(args)
            .stdin("short1X\n")
            .fails(5)
            .stderr(POLICY_12_ERROR)
            .db_unchanged();
    }

    // A password that meets it is accepted.
    env.roster(["--config", &config, "create", "ok@example.com"])
        .args(["--role", "Administrator", "--password-stdin"])
        .stdin("Long3nough!Password\n")
        .succeeds();
    assert!(hash_of(&env, "ok@example.com").starts_with("$argon2id$"));
}

each_db!(allow_weak_password_accepts_it_with_a_warning);
fn allow_weak_password_accepts_it_with_a_warning(b: Via) {
    let env = TestEnv::standalone(b);
    let config = policy_config(&env, POLICY_12);
    let ran = env
        .roster(["--config", &config, "create", "weak@example.com"])
        .args([
            "--role",
            "Administrator",
            "--password-stdin",
            "--allow-weak-password",
        ])
        .stdin("weak\n")
        .succeeds();
    let err = ran.err();
    assert!(err.lines().any(|l| l == WEAK_WARNING), "{err}");
    assert!(verify("weak", &hash_of(&env, "weak@example.com")));
}

each_db!(database_policy_applies_and_a_config_policy_cannot_weaken_it);
fn database_policy_applies_and_a_config_policy_cannot_weaken_it(b: Via) {
    let env = TestEnv::standalone(b);
    env.exec(&format!(
        "UPDATE directus_settings SET auth_password_policy = '{}'",
        roster::policy::DIRECTUS_STRONG.replace('\'', "''")
    ));
    env.roster([
        "create",
        "weak@example.com",
        "--role",
        "Administrator",
        "--password-stdin",
    ])
    .stdin("password\n")
    .fails(5)
    .stderr(&format!(
        "error: the password does not meet the password policy: it needs {STRONG_WORDS}\n"
    ))
    .db_unchanged();

    // A personal config file's weaker policy applies besides the project's, never instead.
    let config = policy_config(&env, "min_length = 4");
    env.roster(["--config", &config, "create", "cfg@example.com"])
        .args(["--role", "Administrator", "--password-stdin"])
        .stdin("abcd\n")
        .fails(5)
        .stderr(&format!(
            "error: the password does not meet the password policy: it needs at least 4 characters, {STRONG_WORDS}\n"
        ))
        .db_unchanged();
    let shown = env
        .roster(["--config", &config, "policy", "show"])
        .succeeds()
        .out();
    assert_eq!(
        shown.lines().next().unwrap(),
        format!(
            "source:         config file {config} and directus_settings.auth_password_policy (a password must meet each)"
        )
    );
    env.roster(["--config", &config, "create", "cfg@example.com"])
        .args(["--role", "Administrator", "--password-stdin"])
        .stdin("AdminPass123!\n")
        .succeeds();
}

const STRONG_WORDS: &str = "at least 8 characters with a digit, a lower-case letter, an upper-case letter \
    and a special character (one of !@#$%^&*()_+}{';'?>.<,), and no whitespace";

each_db!(the_policy_regex_is_run_as_javascript_runs_it);
fn the_policy_regex_is_run_as_javascript_runs_it(b: Via) {
    let env = TestEnv::standalone(b);
    // JavaScript's `.` does not take a carriage return, and `[^]` is any character.
    env.exec("UPDATE directus_settings SET auth_password_policy = '/^.{8,}$/'");
    env.roster([
        "create",
        "cr@example.com",
        "--role",
        "Administrator",
        "--password-stdin",
    ])
    .stdin("abc\rdefgh\n")
    .fails(5)
    .db_unchanged();
    env.exec("UPDATE directus_settings SET auth_password_policy = '/^[^]{8,}$/'");
    env.roster([
        "create",
        "cr@example.com",
        "--role",
        "Administrator",
        "--password-stdin",
    ])
    .stdin("abc\rdefgh\n")
    .succeeds();
}

each_db!(a_policy_javascript_refuses_fails_password_commands_and_doctor);
fn a_policy_javascript_refuses_fails_password_commands_and_doctor(b: Via) {
    let env = TestEnv::standalone(b);
    env.roster(["invite", "a@example.com", "--role", "Administrator"])
        .succeeds();
    env.exec("UPDATE directus_users SET status = 'active'");
    env.exec("UPDATE directus_settings SET auth_password_policy = '/(?<n>a)(?<n>b)/'");
    let error = "error: the password policy \"/(?<n>a)(?<n>b)/\" (from directus_settings.auth_password_policy) \
                 is not a valid JavaScript regular expression: Duplicate capture group name\n";
    env.roster([
        "create",
        "x@example.com",
        "--role",
        "Administrator",
        "--password-stdin",
    ])
    .stdin("AdminPass123!\n")
    .fails(2)
    .stderr(error)
    .db_unchanged();
    let doctor = env.roster(["doctor"]).code(2);
    doctor.stderr(error);
    assert!(
        doctor.out().contains("password policy: -\n"),
        "{}",
        doctor.out()
    );
}

each_db!(an_empty_password_is_always_refused);
fn an_empty_password_is_always_refused(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "act@example.com");
    let create = [
        "create",
        "e@example.com",
        "--role",
        "Administrator",
        "--password-stdin",
    ];
    let cases: [(&[&str], &str); 4] = [
        (&create, "\n"),
        (&create, ""),
        (&[&create[..], &["--allow-weak-password"]].concat(), "\n"),
        (
            &["set-password", "act@example.com", "--password-stdin"],
            "\r\n",
        ),
    ];
    for (args, input) in cases {
        env.roster(args)
            .stdin(input)
            .fails(5)
            .stderr("error: the password is empty\n")
            .db_unchanged();
    }
    env.roster([
        "create",
        "e@example.com",
        "--role",
        "Administrator",
        "--password",
        "",
    ])
    .fails(5)
    .stderr(&format!(
        "{PASSWORD_FLAG_WARNING}\nerror: the password is empty\n"
    ))
    .db_unchanged();
    let file = env.dir.path().join("empty.txt");
    std::fs::write(&file, "").unwrap();
    env.roster(["set-password", "act@example.com", "--password-file"])
        .arg(&file)
        .fails(5)
        .stderr("error: the password is empty\n")
        .db_unchanged();
}
