//! Static tokens: set, generate, rotate, clear.

use super::*;

/// `set-token USER --stdin` reading `token`.
fn set_token_stdin<'a>(env: &'a TestEnv, user: &str, token: &str) -> Run<'a> {
    env.roster(["set-token", user, "--stdin"])
        .stdin(format!("{token}\n"))
}

each_db!(set_token_generates_a_token_printed_once);
fn set_token_generates_a_token_printed_once(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "tok@example.com");
    let ran = env.roster(["set-token", "TOK@example.com"]).succeeds();
    ran.stderr("generated the static token of tok@example.com\ntoken (shown once):\n");
    let out = ran.out();
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
    assert_eq!(env.col("tok@example.com", "token").as_deref(), Some(token));

    // A second generation gives another token; JSON carries it.
    let out = env
        .roster(["set-token", "tok@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(out["action"], "generated");
    let token2 = out["token"].as_str().unwrap();
    assert_ne!(token2, token);
    assert_eq!(env.col("tok@example.com", "token").as_deref(), Some(token2));

    // show and list never print it.
    let show = ["show", "tok@example.com", "--format", "json"];
    for args in [&show[..], &["list", "--format", "json"]] {
        let out = env.roster(args).succeeds().out();
        assert!(!out.contains(token2), "{args:?}");
    }
    assert_no_secret_in_audit(&env, &[token, token2]);
    let shown = env.roster(show).succeeds().json();
    assert_eq!(shown["token_set"], true);
}

each_db!(set_token_from_stdin_and_clear);
fn set_token_from_stdin_and_clear(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "tok@example.com");
    let given = "Given-token_0123456789abcdef0123456789";
    // A given token is not echoed.
    set_token_stdin(&env, "tok@example.com", given)
        .succeeds()
        .stdout("")
        .stderr("set the static token of tok@example.com\n");
    assert_eq!(env.col("tok@example.com", "token").as_deref(), Some(given));
    // Setting the same token again on the same user is a no-op.
    set_token_stdin(&env, "tok@example.com", given)
        .keeps_db()
        .succeeds()
        .stderr("tok@example.com already has this static token; nothing to do\n")
        .db_unchanged();

    env.roster(["set-token", "tok@example.com", "--clear"])
        .succeeds()
        .stderr("cleared the static token of tok@example.com\n")
        .stdout("");
    assert_eq!(env.col("tok@example.com", "token"), None);
    // Clearing again changes nothing.
    env.roster(["set-token", "tok@example.com", "--clear"])
        .keeps_db()
        .succeeds()
        .stderr("tok@example.com has no static token; nothing to do\n")
        .db_unchanged();

    // The bounds: exactly 32 and exactly 255 characters are accepted.
    for len in [32, 255] {
        let t = "t".repeat(len);
        set_token_stdin(&env, "tok@example.com", &t).succeeds();
        assert_eq!(env.col("tok@example.com", "token"), Some(t));
    }
}

each_db!(the_token_a_user_already_has_changes_nothing);
fn the_token_a_user_already_has_changes_nothing(b: Via) {
    let env = TestEnv::standalone(b);
    let id = active_user(&env, "tok@example.com");
    let given = "Given-token_0123456789abcdef0123456789";
    set_token_stdin(&env, "tok@example.com", given).succeeds();
    env.add_session("kept-session", &id);
    // No write, no audit row, and the session survives.
    set_token_stdin(&env, "TOK@example.com", given)
        .keeps_db()
        .succeeds()
        .stdout("")
        .stderr("tok@example.com already has this static token; nothing to do\n")
        .db_unchanged();
    let out = set_token_stdin(&env, "tok@example.com", given)
        .arg("--format")
        .arg("json")
        .keeps_db()
        .succeeds()
        .db_unchanged()
        .json();
    let want = serde_json::json!({"id": id, "email": "tok@example.com", "action": "unchanged",
        "dry_run": false, "token": null, "sessions_ended": 0});
    assert_eq!(out, want);
    assert_eq!(sessions_of(&env, &id), ["kept-session"]);

    // A different token still replaces it, and ends the session.
    let other = "Other-token_0123456789abcdef0123456789";
    set_token_stdin(&env, "tok@example.com", other)
        .succeeds()
        .stderr("set the static token of tok@example.com\n");
    assert_eq!(env.col("tok@example.com", "token").as_deref(), Some(other));
    assert!(sessions_of(&env, &id).is_empty());
}

each_db!(set_token_refuses_bad_tokens_with_exit_5);
fn set_token_refuses_bad_tokens_with_exit_5(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "tok@example.com");
    let length =
        |n: usize| format!("error: a token must be 32 to 255 characters long (this one has {n})\n");
    let ascii = "error: a token may hold only printable ASCII characters, without whitespace\n";
    let cases = [
        ("x".repeat(31), length(31)),
        ("x".repeat(256), length(256)),
        (String::new(), length(0)),
        (
            format!("{} {}", "a".repeat(20), "b".repeat(20)),
            ascii.into(),
        ),
        (
            format!("{}\t{}", "a".repeat(20), "b".repeat(20)),
            ascii.into(),
        ),
        (format!("{}\u{7}", "a".repeat(40)), ascii.into()),
    ];
    for (token, want) in cases {
        set_token_stdin(&env, "tok@example.com", &token)
            .fails(5)
            .stderr(&want)
            .db_unchanged();
    }
}

each_db!(set_token_refuses_a_token_another_user_has);
fn set_token_refuses_a_token_another_user_has(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "a@example.com");
    active_user(&env, "b@example.com");
    let token = "Shared-token-0123456789abcdef01234567";
    set_token_stdin(&env, "a@example.com", token).succeeds();
    // The message does not show the token.
    set_token_stdin(&env, "b@example.com", token)
        .fails(4)
        .stderr("error: another user already has this token\n")
        .db_unchanged();
    assert_eq!(env.col("b@example.com", "token"), None);
}

each_db!(set_token_refuses_a_deleted_user);
fn set_token_refuses_a_deleted_user(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "keep@example.com");
    active_user(&env, "gone@example.com");
    env.roster(["soft-delete", "gone@example.com", "--yes"])
        .succeeds();
    // fails() checks that no token is printed.
    env.roster(["set-token", "gone@example.com"])
        .fails(4)
        .stderr(
            "error: cannot set a token for gone@example.com: the user is deleted (create or invite them again \
             to revive the account)\n",
        )
        .db_unchanged();
    // Clearing is a no-op for them too: soft-delete took the token.
    env.roster(["set-token", "gone@example.com", "--clear"])
        .keeps_db()
        .succeeds()
        .stderr("gone@example.com has no static token; nothing to do\n")
        .db_unchanged();
}
