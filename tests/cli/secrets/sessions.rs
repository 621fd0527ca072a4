//! Sessions end when a credential changes or the user goes away.

use super::*;

each_db!(token_and_status_changes_end_sessions);
fn token_and_status_changes_end_sessions(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "keep@example.com");
    let id = active_user(&env, "s@example.com");
    let steps: Vec<Vec<&str>> = vec![
        vec!["set-token", "s@example.com"],
        vec!["set-token", "s@example.com", "--clear"],
        vec!["suspend", "s@example.com"],
        vec!["unsuspend", "s@example.com"],
    ];
    for (i, args) in steps.iter().enumerate() {
        env.add_session(&format!("sess-{i}"), &id);
        env.cmd().args(args).assert().code(0);
        assert_eq!(sessions_of(&env, &id), Vec::<String>::new(), "{args:?}");
    }
}

each_db!(soft_delete_removes_every_credential_and_session);
fn soft_delete_removes_every_credential_and_session(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "keep@example.com");
    env.cmd()
        .args([
            "create",
            "del@example.com",
            "--role",
            "Administrator",
            "--password-stdin",
        ])
        .write_stdin(format!("{PW}\n"))
        .assert()
        .code(0);
    let id = env.id_of("del@example.com");
    let keep = env.id_of("keep@example.com");
    env.cmd()
        .args(["set-token", "del@example.com"])
        .assert()
        .code(0);
    env.exec(&format!(
        "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{id}'"
    ));
    env.add_session("sess-del-1", &id);
    env.add_session("sess-del-2", &id);
    env.add_session("sess-keep", &keep);
    let row = |env: &TestEnv| {
        env.rows(&format!(
                "SELECT CASE WHEN password IS NULL THEN 0 ELSE 1 END, CASE WHEN token IS NULL THEN 0 ELSE 1 END, \
                 CASE WHEN tfa_secret IS NULL THEN 0 ELSE 1 END, status FROM directus_users WHERE id = '{id}'"
            ))
    };
    let set = |s: &str| Some(s.to_string());
    assert_eq!(
        row(&env),
        vec![vec![set("1"), set("1"), set("1"), set("active")]],
    );

    let a = env
        .cmd()
        .args(["soft-delete", "del@example.com", "--yes"])
        .assert()
        .code(0);
    assert_eq!(stderr_of(&a), "soft-deleted del@example.com (was active)\n",);
    assert_eq!(
        row(&env),
        vec![vec![set("0"), set("0"), set("0"), set("deleted")]],
    );
    assert_eq!(sessions_of(&env, &id), Vec::<String>::new());
    assert_eq!(sessions_of(&env, &keep), vec!["sess-keep"]);

    // The revision written for it masks nothing it no longer has, and never holds a secret.
    let revisions = env.rows(&format!(
        "SELECT CAST(data AS TEXT) FROM directus_revisions WHERE item = '{id}'"
    ));
    for r in revisions {
        let data = r[0].clone().unwrap_or_default();
        assert!(
            !data.contains("$argon2") && !data.contains("JBSWY3DPEHPK3PXP"),
            "{data}"
        );
    }
}

each_db!(a_secret_that_would_go_nowhere_is_refused_before_anything_changes);
fn a_secret_that_would_go_nowhere_is_refused_before_anything_changes(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("ed@example.com", "Editor", "active");
    let before = env.dump();
    for args in [
        vec!["set-token", "ed@example.com"],
        vec!["set-password", "ed@example.com", "--random-password"],
        vec![
            "create",
            "new@example.com",
            "--role",
            "Editor",
            "--random-password",
        ],
    ] {
        let out = env
            .std_cmd()
            .args(&args)
            .stdout(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("the secret would be lost"),
            "{args:?}: {stderr}"
        );
        assert_eq!(env.dump(), before, "{args:?}");
    }
}

#[test]
fn the_directus_policy_counts_only_ascii_digits_as_javascript_does() {
    let env = TestEnv::directus11(Backend::Sqlite);
    let check = |pw: &str| {
        env.cmd()
            .args(["policy", "check"])
            .write_stdin(format!("{pw}\n"))
            .assert()
    };
    check("Passwordx\u{661}!").code(5);
    check("Passwordx1!").success();
}
