//! What roster refuses or only plans on Directus databases, writing nothing:
//! locking out the last admin, giving away another user's token, dry runs.

use super::*;

each_fixture!(the_last_active_admin_cannot_be_suspended_without_force);
fn the_last_active_admin_cannot_be_suspended_without_force(env: &TestEnv) {
    env.roster(["suspend", "admin@example.com"])
        .fails(4)
        .stderr_line("error: admin@example.com is the last active administrator; roster will not lock everyone out (use --force to do it anyway)")
        .db_unchanged();
    env.roster(["soft-delete", "admin@example.com", "--yes"])
        .fails(4)
        .db_unchanged();

    let ran = env
        .roster(["suspend", "admin@example.com", "--force"])
        .succeeds();
    assert!(
        ran.err()
            .contains("suspended admin@example.com (was active)"),
        "{}",
        ran.err()
    );
    assert_eq!(status(env, "admin@example.com"), "suspended");
}

each_fixture!(the_editors_static_token_cannot_be_given_to_another_user);
fn the_editors_static_token_cannot_be_given_to_another_user(env: &TestEnv) {
    let ran = env
        .roster(["set-token", "admin@example.com", "--stdin"])
        .stdin(format!("{EDITOR_TOKEN}\n"))
        .fails(4);
    ran.stderr_line("error: another user already has this token")
        .db_unchanged();
    assert!(
        !ran.err().contains(EDITOR_TOKEN),
        "the token appears in the message"
    );
    assert_eq!(
        env.value(&format!(
            "SELECT token FROM directus_users WHERE id = '{EDITOR_ID}'"
        )),
        Some(EDITOR_TOKEN.to_string())
    );

    // Giving the editor their own token again is no conflict.
    env.roster(["set-token", "editor@example.com", "--stdin"])
        .stdin(format!("{EDITOR_TOKEN}\n"))
        .succeeds();
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM directus_users WHERE token = '{EDITOR_TOKEN}'"
        )),
        1
    );
}

each_fixture!(dry_runs_change_nothing_on_directus_databases);
fn dry_runs_change_nothing_on_directus_databases(env: &TestEnv) {
    let runs: [&[&str]; 6] = [
        &[
            "create",
            "dry@example.com",
            "--role",
            "Editor",
            "--password-env",
            "ROSTER_TEST_PW",
            "--dry-run",
        ],
        &[
            "create",
            "archived@example.com",
            "--password-env",
            "ROSTER_TEST_PW",
            "--dry-run",
        ],
        &["roles", "create", "Ops", "--admin", "--dry-run"],
        &["soft-delete", "editor@example.com", "--dry-run"],
        &["suspend", "editor@example.com", "--dry-run"],
        &["set-token", "editor@example.com", "--clear", "--dry-run"],
    ];
    for args in runs {
        let ran = env
            .roster(args)
            .env("ROSTER_TEST_PW", NEW_PW)
            .keeps_db()
            .succeeds();
        ran.db_unchanged();
        assert!(ran.err().contains("dry run"), "{args:?}: {}", ran.err());
    }
}
