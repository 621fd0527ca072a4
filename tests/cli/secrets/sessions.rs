//! Sessions end when a credential changes or the user goes away.

use super::*;

each_db!(token_and_status_changes_end_sessions);
fn token_and_status_changes_end_sessions(b: Via) {
    let env = TestEnv::standalone(b);
    active_user(&env, "keep@example.com");
    let id = active_user(&env, "s@example.com");
    let steps: [&[&str]; 4] = [
        &["set-token", "s@example.com"],
        &["set-token", "s@example.com", "--clear"],
        &["suspend", "s@example.com"],
        &["unsuspend", "s@example.com"],
    ];
    for (i, args) in steps.iter().enumerate() {
        env.add_session(&format!("sess-{i}"), &id);
        env.roster(*args).succeeds();
        assert_eq!(sessions_of(&env, &id), Vec::<String>::new(), "{args:?}");
    }
}

/// Whether del@example.com has a password, a token and a 2FA secret (1 or 0 each), and its status.
fn credentials_of_del(env: &TestEnv, id: &str) -> Vec<Vec<Option<String>>> {
    env.rows(&format!(
        "SELECT CASE WHEN password IS NULL THEN 0 ELSE 1 END, CASE WHEN token IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN tfa_secret IS NULL THEN 0 ELSE 1 END, status FROM directus_users WHERE id = '{id}'"
    ))
}

/// del@example.com with a password, a token, a 2FA secret and two sessions, and
/// keep@example.com with one session; returns their ids.
fn del_with_every_credential(env: &TestEnv) -> (String, String) {
    let keep = active_user(env, "keep@example.com");
    env.roster([
        "create",
        "del@example.com",
        "--role",
        "Administrator",
        "--password-stdin",
    ])
    .stdin(format!("{PW}\n"))
    .succeeds();
    let id = env.id_of("del@example.com");
    env.roster(["set-token", "del@example.com"]).succeeds();
    env.exec(&format!(
        "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{id}'"
    ));
    env.add_session("sess-del-1", &id);
    env.add_session("sess-del-2", &id);
    env.add_session("sess-keep", &keep);
    (id, keep)
}

each_db!(soft_delete_removes_every_credential_and_session);
fn soft_delete_removes_every_credential_and_session(b: Via) {
    let env = TestEnv::standalone(b);
    let (id, keep) = del_with_every_credential(&env);
    let set = |s: &str| Some(s.to_string());
    assert_eq!(
        credentials_of_del(&env, &id),
        vec![vec![set("1"), set("1"), set("1"), set("active")]],
    );

    env.roster(["soft-delete", "del@example.com", "--yes"])
        .succeeds()
        .stderr("soft-deleted del@example.com (was active)\n");
    assert_eq!(
        credentials_of_del(&env, &id),
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
    let check = |pw: &str| env.roster(["policy", "check"]).stdin(format!("{pw}\n"));
    check("Passwordx\u{661}!").code(5);
    check("Passwordx1!").succeeds();
}
