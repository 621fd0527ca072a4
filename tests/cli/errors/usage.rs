//! Usage errors (exit 2), including what is missing off a terminal.

use super::*;

each_db!(a_new_user_without_a_role_off_a_terminal_exits_2);
fn a_new_user_without_a_role_off_a_terminal_exits_2(b: Via) {
    let env = populated(b);
    let invite = env.roster(["invite", "new@example.com"]);
    invite.fails(2).stderr_line(NO_ROLE).db_unchanged();
    env.roster(["create", "new@example.com", "--password-stdin"])
        .stdin(PW)
        .fails(2)
        .stderr_line(NO_ROLE)
        .db_unchanged();
    // Without --no-input, but with no terminal to ask at.
    let invite = off_terminal(&env, &["invite", "new@example.com"]);
    invite.fails(2).stderr_line(NO_ROLE).db_unchanged();
    // An existing email is a conflict first, with or without a role.
    env.roster(["invite", "ADMIN@example.com"])
        .fails(4)
        .stderr_line("error: a user with email admin@example.com already exists (status active)")
        .db_unchanged();
}

each_db!(a_missing_password_off_a_terminal_exits_2);
fn a_missing_password_off_a_terminal_exits_2(b: Via) {
    let env = populated(b);
    env.user_with_status("inv@example.com", "Editor", "invited");
    for args in [
        &["create", "new@example.com", "--role", "Editor"][..],
        &["activate", "inv@example.com"],
        &["set-password", "admin@example.com"],
    ] {
        let run = env.roster(args);
        run.fails(2).stderr_line(NO_PASSWORD).db_unchanged();
        let run = off_terminal(&env, args);
        run.fails(2).stderr_line(NO_PASSWORD).db_unchanged();
    }
}

each_db!(soft_delete_without_yes_exits_2);
fn soft_delete_without_yes_exits_2(b: Via) {
    let env = populated(b);
    env.user_with_status("ed@example.com", "Editor", "active");
    let run = env.roster(["soft-delete", "ed@example.com"]);
    run.fails(2).stderr_line(NEEDS_YES).db_unchanged();
    let run = off_terminal(&env, &["soft-delete", "ed@example.com"]);
    run.fails(2).stderr_line(NEEDS_YES).db_unchanged();
}

each_db!(bad_database_urls_and_config_files_exit_2);
fn bad_database_urls_and_config_files_exit_2(b: Via) {
    let env = populated(b);
    env.bare(["-d", "oracle://localhost/directus", "--no-input", "list"])
        .fails(2)
        .stderr_line(
            r#"error: unsupported database URL scheme "oracle": use sqlite:PATH, a file path, postgres:// or mysql://"#,
        )
        .db_unchanged();

    let missing = env.dir.path().join("absent.toml");
    let got = env
        .roster(["--config", &missing.display().to_string(), "list"])
        .fails(2)
        .db_unchanged()
        .error_line();
    let want = format!("error: cannot read config file {}: ", missing.display());
    assert!(got.starts_with(&want), "{got}");

    let bad = env.dir.path().join("bad.toml");
    std::fs::write(&bad, "[password_policy]\nmin_lenght = 3\n").unwrap();
    let got = env
        .roster(["--config", &bad.display().to_string(), "list"])
        .fails(2)
        .db_unchanged()
        .error_line();
    let want = format!("error: config file {} is not valid: ", bad.display());
    assert!(got.starts_with(&want), "{got}");
}

#[test]
fn under_format_json_a_refused_command_line_is_the_json_error_object() {
    let env = TestEnv::empty(Backend::Sqlite);
    for (args, message, hints) in [
        (
            &["--format", "json", "bogus"][..],
            "unrecognized subcommand 'bogus'",
            serde_json::json!(["Usage: roster [OPTIONS] <COMMAND>"]),
        ),
        (
            &["--format=json", "create"][..],
            "the following required arguments were not provided: <EMAIL>",
            serde_json::json!(["Usage: roster create <EMAIL>"]),
        ),
        (
            &["--format", "json", "list", "--limit", "x"][..],
            "invalid value 'x' for '--limit <N>': \"x\" is not a number of users (0 or more)",
            serde_json::json!([]),
        ),
    ] {
        let ran = env.bare(args).fails(2);
        let json: serde_json::Value = serde_json::from_str(ran.err().trim()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": message, "exit_code": 2, "hints": hints}),
            "{args:?}"
        );
    }
    // Help is help, whatever the format.
    assert!(
        env.bare(["--format", "json", "--help"])
            .succeeds()
            .out()
            .starts_with("Administer")
    );
}
