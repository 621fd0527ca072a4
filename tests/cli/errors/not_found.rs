//! Unknown users and roles (exit 3).

use super::*;

each_db!(an_unknown_role_exits_3_with_a_hint);
fn an_unknown_role_exits_3_with_a_hint(b: Via) {
    let env = populated(b);
    let ghost = uuid::Uuid::new_v4().to_string();
    for role in ["Nope", ghost.as_str()] {
        env.roster(["invite", "r@example.com", "--role", role])
            .fails(3)
            .stderr(&format!(
                "error: no role {role:?}\nhint: `roster roles list` shows the roles\n"
            ))
            .db_unchanged();
    }
    env.roster([
        "create",
        "r@example.com",
        "--role",
        "Nope",
        "--password-stdin",
    ])
    .stdin(PW)
    .fails(3)
    .stderr_line(r#"error: no role "Nope""#)
    .db_unchanged();
}

each_db!(an_unknown_user_exits_3);
fn an_unknown_user_exits_3(b: Via) {
    let env = populated(b);
    let ghost = uuid::Uuid::new_v4().to_string();
    for user in ["nobody@example.com", ghost.as_str()] {
        let want = format!("error: no user {user}");
        let cases: Vec<(Vec<&str>, &str)> = vec![
            (vec!["suspend", user], ""),
            (vec!["unsuspend", user], ""),
            (vec!["soft-delete", "--yes", user], ""),
            (vec!["activate", user, "--password-stdin"], PW),
            (vec!["set-token", user], ""),
            (vec!["set-token", user, "--clear"], ""),
            (vec!["show", user], ""),
        ];
        for (args, stdin) in cases {
            let run = env.roster(&args).stdin(stdin);
            run.fails(3).stderr_line(&want).db_unchanged();
        }
    }
    // set-password hashes before it looks the user up: once is enough.
    env.roster(["set-password", "nobody@example.com", "--password-stdin"])
        .stdin(PW)
        .fails(3)
        .stderr_line("error: no user nobody@example.com")
        .db_unchanged();
    // An unknown acting user is not found either.
    env.roster(["--actor", "nobody@example.com", "invite", "x@example.com"])
        .args(["--role", "Editor"])
        .fails(3)
        .stderr_line("error: no user nobody@example.com (given as --actor)")
        .db_unchanged();
}
