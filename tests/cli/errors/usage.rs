//! Usage errors (exit 2), including what is missing off a terminal.

use super::*;

each_db!(a_new_user_without_a_role_off_a_terminal_exits_2);
fn a_new_user_without_a_role_off_a_terminal_exits_2(b: Via) {
    let env = populated(b);
    assert_eq!(
        refused(&env, &["invite", "new@example.com"], None, 2),
        NO_ROLE,
    );
    let got = refused(
        &env,
        &["create", "new@example.com", "--password-stdin"],
        Some(PW),
        2,
    );
    assert_eq!(got, NO_ROLE);
    // Without --no-input, but with no terminal to ask at.
    let mut cmd = off_terminal_cmd(&env);
    cmd.args(["invite", "new@example.com"]);
    assert_eq!(refused_cmd(&env, cmd, 2, "invite off a terminal"), NO_ROLE,);
    // An existing email is a conflict first, with or without a role.
    let got = refused(&env, &["invite", "ADMIN@example.com"], None, 4);
    assert_eq!(
        got,
        "error: a user with email admin@example.com already exists (status active)",
    );
}

each_db!(a_missing_password_off_a_terminal_exits_2);
fn a_missing_password_off_a_terminal_exits_2(b: Via) {
    let env = populated(b);
    env.user_with_status("inv@example.com", "Editor", "invited");
    for args in [
        vec!["create", "new@example.com", "--role", "Editor"],
        vec!["activate", "inv@example.com"],
        vec!["set-password", "admin@example.com"],
    ] {
        assert_eq!(refused(&env, &args, None, 2), NO_PASSWORD, "{args:?}");
        let mut cmd = off_terminal_cmd(&env);
        cmd.args(&args);
        assert_eq!(
            refused_cmd(&env, cmd, 2, "off a terminal"),
            NO_PASSWORD,
            "{args:?}"
        );
    }
}

each_db!(soft_delete_without_yes_exits_2);
fn soft_delete_without_yes_exits_2(b: Via) {
    let env = populated(b);
    env.user_with_status("ed@example.com", "Editor", "active");
    assert_eq!(
        refused(&env, &["soft-delete", "ed@example.com"], None, 2),
        NEEDS_YES,
    );
    let mut cmd = off_terminal_cmd(&env);
    cmd.args(["soft-delete", "ed@example.com"]);
    assert_eq!(refused_cmd(&env, cmd, 2, "off a terminal"), NEEDS_YES,);
}

each_db!(bad_database_urls_and_config_files_exit_2);
fn bad_database_urls_and_config_files_exit_2(b: Via) {
    let env = populated(b);
    let mut cmd = bare_cmd(env.dir.path());
    cmd.args(["-d", "oracle://localhost/directus", "--no-input", "list"]);
    let got = refused_cmd(&env, cmd, 2, "oracle URL");
    assert_eq!(
        got,
        r#"error: unsupported database URL scheme "oracle": use sqlite:PATH, a file path, postgres:// or mysql://"#,
    );

    let missing = env.dir.path().join("absent.toml");
    let got = refused(
        &env,
        &["--config", &missing.display().to_string(), "list"],
        None,
        2,
    );
    assert!(
        got.starts_with(&format!(
            "error: cannot read config file {}: ",
            missing.display()
        )),
        "{got}"
    );

    let bad = env.dir.path().join("bad.toml");
    std::fs::write(&bad, "[password_policy]\nmin_lenght = 3\n").unwrap();
    let got = refused(
        &env,
        &["--config", &bad.display().to_string(), "list"],
        None,
        2,
    );
    assert!(
        got.starts_with(&format!(
            "error: config file {} is not valid: ",
            bad.display()
        )),
        "{got}"
    );
}
