//! Unknown users and roles (exit 3).

use super::*;

each_db!(an_unknown_role_exits_3_with_a_hint);
fn an_unknown_role_exits_3_with_a_hint(b: Via) {
    let env = populated(b);
    let ghost = uuid::Uuid::new_v4().to_string();
    for role in ["Nope", ghost.as_str()] {
        let mut cmd = env.cmd();
        cmd.args(["invite", "r@example.com", "--role", role]);
        let before = snapshot(&env);
        let a = cmd.assert().code(3);
        assert_eq!(
            stderr_of(&a),
            format!("error: no role {role:?}\nhint: `roster roles list` shows the roles\n"),
        );
        assert_eq!(snapshot(&env), before);
    }
    let got = refused(
        &env,
        &[
            "create",
            "r@example.com",
            "--role",
            "Nope",
            "--password-stdin",
        ],
        Some(PW),
        3,
    );
    assert_eq!(got, r#"error: no role "Nope""#);
}

each_db!(an_unknown_user_exits_3);
fn an_unknown_user_exits_3(b: Via) {
    let env = populated(b);
    let ghost = uuid::Uuid::new_v4().to_string();
    for user in ["nobody@example.com", ghost.as_str()] {
        let want = format!("error: no user {user}");
        let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
            (vec!["suspend", user], None),
            (vec!["unsuspend", user], None),
            (vec!["soft-delete", "--yes", user], None),
            (vec!["activate", user, "--password-stdin"], Some(PW)),
            (vec!["set-token", user], None),
            (vec!["set-token", user, "--clear"], None),
            (vec!["show", user], None),
        ];
        for (args, stdin) in cases {
            assert_eq!(refused(&env, &args, stdin, 3), want, "{args:?}");
        }
    }
    // set-password hashes before it looks the user up: once is enough.
    let got = refused(
        &env,
        &["set-password", "nobody@example.com", "--password-stdin"],
        Some(PW),
        3,
    );
    assert_eq!(got, "error: no user nobody@example.com");
    // An unknown acting user is not found either.
    let got = refused(
        &env,
        &[
            "--actor",
            "nobody@example.com",
            "invite",
            "x@example.com",
            "--role",
            "Editor",
        ],
        None,
        3,
    );
    assert_eq!(got, "error: no user nobody@example.com (given as --actor)",);
}
