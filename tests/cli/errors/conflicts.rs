//! Conflicts (exit 4).

use super::*;

each_db!(conflicts_exit_4);
fn conflicts_exit_4(b: Via) {
    let env = populated(b);
    env.user_with_status("sus@example.com", "Editor", "suspended");
    env.user_with_status("inv@example.com", "Editor", "invited");
    env.user_with_status("del@example.com", "Editor", "deleted");
    let cases: Vec<(Vec<&str>, Option<&str>, &str)> = vec![
        (
            vec![
                "create",
                "Admin@Example.com",
                "--role",
                "Editor",
                "--password-stdin",
            ],
            Some(PW),
            "error: a user with email admin@example.com already exists (status active)",
        ),
        (
            vec!["invite", "sus@example.com", "--role", "Editor"],
            None,
            "error: a user with email sus@example.com already exists (status suspended)",
        ),
        (
            vec!["activate", "sus@example.com", "--password-stdin"],
            Some(PW),
            "error: cannot activate sus@example.com: the user is suspended",
        ),
        (
            vec!["unsuspend", "inv@example.com"],
            None,
            "error: cannot unsuspend inv@example.com: the user is invited",
        ),
        (
            vec!["suspend", "del@example.com"],
            None,
            "error: cannot suspend del@example.com: the user is deleted",
        ),
        (
            vec!["suspend", "admin@example.com"],
            None,
            "error: admin@example.com is the last active administrator; roster will not lock everyone out \
                 (use --force to do it anyway)",
        ),
        (
            vec!["roles", "create", "editor"],
            None,
            "error: a role named \"Editor\" already exists (ROLE)",
        ),
    ];
    let editor = env
        .value("SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = 'Editor'")
        .unwrap();
    for (args, stdin, want) in cases {
        let want = want.replace("ROLE", &editor);
        assert_eq!(refused(&env, &args, stdin, 4), want, "{args:?}");
    }
}

each_db!(init_twice_exits_4);
fn init_twice_exits_4(b: Via) {
    let env = TestEnv::standalone(b);
    let got = refused(&env, &["init"], None, 4);
    assert_eq!(
        got,
        "error: this database already has a directus_users table; nothing to initialise",
    );
    let got = refused(&env, &["init", "--dry-run"], None, 4);
    assert_eq!(
        got,
        "error: this database already has a directus_users table; nothing to initialise",
    );
}
