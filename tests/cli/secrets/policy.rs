//! The password policy: Directus presets, custom regexes, and its refusals.

use super::*;

each_db!(config_policy_refuses_a_weak_password_everywhere_one_is_set);
fn config_policy_refuses_a_weak_password_everywhere_one_is_set(b: Via) {
    let env = TestEnv::standalone(b);
    let config = policy_config(&env, POLICY_12);
    env.cmd()
        .args(["invite", "inv@example.com", "--role", "Administrator"])
        .assert()
        .code(0);
    active_user(&env, "act@example.com");
    let before = env.dump();
    for args in [
        vec![
            "create",
            "weak@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
        ],
        vec!["activate", "inv@example.com", "--password-stdin"],
        vec!["set-password", "act@example.com", "--password-stdin"],
    ] {
        let a = env
            .cmd()
            .args(["--config", &config])
            .args(&args)
            .write_stdin("short1X\n")
            .assert()
            .code(5);
        assert_eq!(stderr_of(&a), POLICY_12_ERROR, "{args:?}");
        assert_eq!(env.dump(), before, "{args:?}");
    }

    // A password that meets it is accepted.
    env.cmd()
        .args([
            "--config",
            &config,
            "create",
            "ok@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
        ])
        .write_stdin("Long3nough!Password\n")
        .assert()
        .code(0);
    assert!(hash_of(&env, "ok@example.com").starts_with("$argon2id$"),);
}

each_db!(allow_weak_password_accepts_it_with_a_warning);
fn allow_weak_password_accepts_it_with_a_warning(b: Via) {
    let env = TestEnv::standalone(b);
    let config = policy_config(&env, POLICY_12);
    let a = env
        .cmd()
        .args([
            "--config",
            &config,
            "create",
            "weak@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
            "--allow-weak-password",
        ])
        .write_stdin("weak\n")
        .assert()
        .code(0);
    let err = stderr_of(&a);
    assert!(err.lines().any(|l| l == WEAK_WARNING), "{err}");
    assert!(verify("weak", &hash_of(&env, "weak@example.com")));
}

each_db!(database_policy_applies_and_the_config_policy_wins_over_it);
fn database_policy_applies_and_the_config_policy_wins_over_it(b: Via) {
    let env = TestEnv::standalone(b);
    env.exec(&format!(
        "UPDATE directus_settings SET auth_password_policy = '{}'",
        roster::policy::DIRECTUS_STRONG.replace('\'', "''")
    ));
    let before = env.dump();
    let a = env
        .cmd()
        .args([
            "create",
            "weak@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
        ])
        .write_stdin("password\n")
        .assert()
        .code(5);
    assert_eq!(
        stderr_of(&a),
        "error: the password does not meet the password policy: it needs at least 8 characters with a \
             digit, a lower-case letter, an upper-case letter and a special character (one of !@#$%^&*()_+}{';'?>.<,), and no whitespace\n",
    );
    assert_eq!(env.dump(), before);

    // The config file's policy is found first.
    let config = policy_config(&env, "min_length = 4");
    env.cmd()
        .args([
            "--config",
            &config,
            "create",
            "cfg@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
        ])
        .write_stdin("abcd\n")
        .assert()
        .code(0);
}

each_db!(an_empty_password_is_always_refused);
fn an_empty_password_is_always_refused(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "act@example.com");
    let before = env.dump();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "create",
                "e@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ],
            "\n",
        ),
        (
            vec![
                "create",
                "e@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ],
            "",
        ),
        (
            vec![
                "create",
                "e@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
                "--allow-weak-password",
            ],
            "\n",
        ),
        (
            vec!["set-password", "act@example.com", "--password-stdin"],
            "\r\n",
        ),
    ];
    for (args, input) in cases {
        let a = env.cmd().args(&args).write_stdin(input).assert().code(5);
        assert_eq!(stderr_of(&a), "error: the password is empty\n", "{args:?}");
        assert_eq!(env.dump(), before, "{args:?}");
    }
    let a = env
        .cmd()
        .args([
            "create",
            "e@example.com",
            "--role",
            "Administrator",
            "--password",
            "",
        ])
        .assert()
        .code(5);
    assert_eq!(
        stderr_of(&a),
        format!("{PASSWORD_FLAG_WARNING}\nerror: the password is empty\n"),
    );
    let file = env.dir.path().join("empty.txt");
    std::fs::write(&file, "").unwrap();
    let a = env
        .cmd()
        .args(["set-password", "act@example.com", "--password-file"])
        .arg(&file)
        .assert()
        .code(5);
    assert_eq!(stderr_of(&a), "error: the password is empty\n");
    assert_eq!(env.dump(), before);
}
