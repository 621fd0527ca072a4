//! Conflicts (exit 4).

use super::*;

each_db!(conflicts_exit_4);
fn conflicts_exit_4(b: Via) {
    let env = populated(b);
    env.user_with_status("sus@example.com", "Editor", "suspended");
    env.user_with_status("inv@example.com", "Editor", "invited");
    env.user_with_status("del@example.com", "Editor", "deleted");
    let exists = |email: &str, status: &str| {
        format!("error: a user with email {email} already exists (status {status})")
    };
    let cannot = |verb: &str, email: &str, status: &str| {
        format!("error: cannot {verb} {email}: the user is {status}")
    };
    let cases: [(&[&str], &str, String); 7] = [
        (
            &["create", "Admin@Example.com", "--role", "Editor", "--password-stdin"],
            PW,
            exists("admin@example.com", "active"),
        ),
        (
            &["invite", "sus@example.com", "--role", "Editor"],
            "",
            exists("sus@example.com", "suspended"),
        ),
        (
            &["activate", "sus@example.com", "--password-stdin"],
            PW,
            cannot("activate", "sus@example.com", "suspended"),
        ),
        (&["unsuspend", "inv@example.com"], "", cannot("unsuspend", "inv@example.com", "invited")),
        (&["suspend", "del@example.com"], "", cannot("suspend", "del@example.com", "deleted")),
        (
            &["suspend", "admin@example.com"],
            "",
            "error: admin@example.com is the last active administrator; roster will not lock everyone out \
             (use --force to do it anyway)"
                .into(),
        ),
        (&["roles", "create", "editor"], "", "error: a role named \"Editor\" already exists (ROLE)".into()),
    ];
    let editor = env
        .value("SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = 'Editor'")
        .unwrap();
    for (args, stdin, want) in cases {
        let want = want.replace("ROLE", &editor);
        let run = env.roster(args).stdin(stdin);
        run.fails(4).stderr_line(&want).db_unchanged();
    }
}

each_db!(init_twice_exits_4);
fn init_twice_exits_4(b: Via) {
    let env = TestEnv::standalone(b);
    for args in [&["init"][..], &["init", "--dry-run"]] {
        env.roster(args)
            .fails(4)
            .stderr_line(
                "error: this database already has a directus_users table; nothing to initialise",
            )
            .db_unchanged();
    }
}
