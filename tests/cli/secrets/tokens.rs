//! Static tokens: set, generate, rotate, clear.

use super::*;

each_db!(set_token_generates_a_token_printed_once);
fn set_token_generates_a_token_printed_once(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "tok@example.com");
    let a = env
        .cmd()
        .args(["set-token", "TOK@example.com"])
        .assert()
        .code(0);
    let out = stdout_of(&a);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out:?}");
    let token = lines[0];
    // At least 256 bits even where tokens match in any case (MySQL's collation):
    // lower-case letters and digits, log2(36) * 50 > 256.
    assert!(token.len() >= 50, "{token}");
    assert!(
        token
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        "{token}"
    );
    assert_eq!(env.col("tok@example.com", "token").as_deref(), Some(token),);
    let err = stderr_of(&a);
    assert_eq!(
        err,
        "generated the static token of tok@example.com\ntoken (shown once):\n",
    );

    // A second generation gives another token; JSON carries it.
    let a = env
        .cmd()
        .args(["set-token", "tok@example.com", "--format", "json"])
        .assert()
        .code(0);
    let out = json_of(&a);
    assert_eq!(out["action"], "generated");
    let token2 = out["token"].as_str().unwrap();
    assert_ne!(token2, token);
    assert_eq!(env.col("tok@example.com", "token").as_deref(), Some(token2),);

    // show and list never print it.
    for args in [
        vec!["show", "tok@example.com", "--format", "json"],
        vec!["list", "--format", "json"],
    ] {
        let a = env.cmd().args(&args).assert().code(0);
        assert!(!stdout_of(&a).contains(token2), "{args:?}");
    }
    assert_no_secret_in_audit(&env, &[token, token2]);
    let a = env
        .cmd()
        .args(["show", "tok@example.com", "--format", "json"])
        .assert()
        .code(0);
    let shown = json_of(&a);
    assert_eq!(shown["token_set"], true);
}

each_db!(set_token_from_stdin_and_clear);
fn set_token_from_stdin_and_clear(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "tok@example.com");
    let given = "Given-token_0123456789abcdef0123456789";
    let a = env
        .cmd()
        .args(["set-token", "tok@example.com", "--stdin"])
        .write_stdin(format!("{given}\n"))
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "", "a given token is not echoed");
    assert_eq!(stderr_of(&a), "set the static token of tok@example.com\n",);
    assert_eq!(env.col("tok@example.com", "token").as_deref(), Some(given),);

    // Setting the same token again on the same user is fine.
    env.cmd()
        .args(["set-token", "tok@example.com", "--stdin"])
        .write_stdin(format!("{given}\n"))
        .assert()
        .code(0);

    let a = env
        .cmd()
        .args(["set-token", "tok@example.com", "--clear"])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "cleared the static token of tok@example.com\n",
    );
    assert_eq!(stdout_of(&a), "");
    assert_eq!(env.col("tok@example.com", "token"), None);

    // The bounds: exactly 32 and exactly 255 characters are accepted.
    for len in [32, 255] {
        let t = "t".repeat(len);
        env.cmd()
            .args(["set-token", "tok@example.com", "--stdin"])
            .write_stdin(format!("{t}\n"))
            .assert()
            .code(0);
        assert_eq!(env.col("tok@example.com", "token"), Some(t));
    }
}

each_db!(set_token_refuses_bad_tokens_with_exit_5);
fn set_token_refuses_bad_tokens_with_exit_5(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "tok@example.com");
    let before = env.dump();
    let long = "x".repeat(256);
    let cases: Vec<(String, &str)> = vec![
        (
            "x".repeat(31),
            "error: a token must be 32 to 255 characters long (this one has 31)\n",
        ),
        (
            long,
            "error: a token must be 32 to 255 characters long (this one has 256)\n",
        ),
        (
            String::new(),
            "error: a token must be 32 to 255 characters long (this one has 0)\n",
        ),
        (
            format!("{} {}", "a".repeat(20), "b".repeat(20)),
            "error: a token may hold only printable ASCII characters, without whitespace\n",
        ),
        (
            format!("{}\t{}", "a".repeat(20), "b".repeat(20)),
            "error: a token may hold only printable ASCII characters, without whitespace\n",
        ),
        (
            format!("{}\u{7}", "a".repeat(40)),
            "error: a token may hold only printable ASCII characters, without whitespace\n",
        ),
    ];
    for (token, want) in cases {
        let a = env
            .cmd()
            .args(["set-token", "tok@example.com", "--stdin"])
            .write_stdin(format!("{token}\n"))
            .assert()
            .code(5);
        assert_eq!(stderr_of(&a), want, "{token:?}");
        assert_eq!(env.dump(), before, "{token:?}");
    }
}

each_db!(set_token_refuses_a_token_another_user_has);
fn set_token_refuses_a_token_another_user_has(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "a@example.com");
    active_user(&env, "b@example.com");
    let token = "Shared-token-0123456789abcdef01234567";
    env.cmd()
        .args(["set-token", "a@example.com", "--stdin"])
        .write_stdin(format!("{token}\n"))
        .assert()
        .code(0);
    let before = env.dump();
    let a = env
        .cmd()
        .args(["set-token", "b@example.com", "--stdin"])
        .write_stdin(format!("{token}\n"))
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: another user already has this token\n",
    );
    assert!(!stderr_of(&a).contains(token));
    assert_eq!(env.dump(), before);
    assert_eq!(env.col("b@example.com", "token"), None);
}

each_db!(set_token_refuses_a_deleted_user);
fn set_token_refuses_a_deleted_user(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "keep@example.com");
    active_user(&env, "gone@example.com");
    env.cmd()
        .args(["soft-delete", "gone@example.com", "--yes"])
        .assert()
        .code(0);
    let before = env.dump();
    let a = env
        .cmd()
        .args(["set-token", "gone@example.com"])
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: cannot set a token for gone@example.com: the user is deleted (create or invite them again \
             to restore the account)\n",
    );
    assert_eq!(stdout_of(&a), "", "no token printed");
    assert_eq!(env.dump(), before);
}
