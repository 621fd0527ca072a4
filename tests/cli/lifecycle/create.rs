//! `create`, `invite` and `activate`: what each stores and says.

use super::*;

each_db!(create_stores_an_active_user_with_profile_hash_and_audit);
fn create_stores_an_active_user_with_profile_hash_and_audit(b: Via) {
    let env = TestEnv::standalone(b);
    let a = env
        .cmd()
        .args([
            "create",
            "  Ann.Lee@Example.COM ",
            "--role",
            "administrator",
            "--password-stdin",
            "--first-name",
            "  Ann ",
            "--last-name",
            "Lee",
            "--title",
            "CTO",
            "--company",
            "Acme",
            "--timezone",
            "Europe/Berlin",
            "--language",
            "en-US",
            "--theme",
            "dark",
            "--email-notifications",
            "false",
        ])
        .write_stdin(PW)
        .assert()
        .code(0);
    let email = "ann.lee@example.com";
    let id = env.id_of(email);
    assert!(is_lower_v4_uuid(&id), "{id}");
    assert_eq!(
        stderr_of(&a),
        format!("created active user {email} ({id})\n"),
    );
    assert_eq!(
        stdout_of(&a),
        "",
        "nothing on stdout without a generated password"
    );
    let row = env.rows(&format!(
            "SELECT email, first_name, last_name, title, company, timezone, language, appearance, \
             CASE WHEN email_notifications THEN 1 ELSE 0 END, status, provider, CAST(role AS TEXT), token, tfa_secret \
             FROM directus_users WHERE id = '{id}'"
        ));
    let want: Vec<Option<String>> = [
        Some(email),
        Some("Ann"),
        Some("Lee"),
        Some("CTO"),
        Some("Acme"),
        Some("Europe/Berlin"),
        Some("en-US"),
        Some("dark"),
        Some("0"),
        Some("active"),
        Some("default"),
    ]
    .into_iter()
    .map(|v| v.map(str::to_string))
    .chain([Some(role_id(&env, "Administrator")), None, None])
    .collect();
    assert_eq!(row, vec![want]);
    let hash = env.col(email, "password").unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
        "{hash}"
    );

    // The audit trail: one activity row and one revision, secrets masked.
    let activity = env.rows(&format!(
        "SELECT action, collection, user_agent, \"user\" FROM directus_activity WHERE item = '{id}'"
    ));
    let agent = format!("roster/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(
        activity,
        vec![vec![
            Some("create".into()),
            Some("directus_users".into()),
            Some(agent),
            None
        ]],
    );
    let data = env
        .value(&format!(
            "SELECT CAST(data AS TEXT) FROM directus_revisions WHERE item = '{id}'"
        ))
        .unwrap();
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["password"], "**********");
    assert_eq!(data["email"], email);
}

each_db!(create_defaults_email_notifications_on_and_accepts_a_role_id);
fn create_defaults_email_notifications_on_and_accepts_a_role_id(b: Via) {
    let env = TestEnv::with_editor(b);
    let editor = role_id(&env, "Editor");
    env.cmd()
        .args([
            "create",
            "bo@example.com",
            "--role",
            &editor.to_uppercase(),
            "--password-stdin",
        ])
        .write_stdin(PW)
        .assert()
        .code(0);
    let row = env.rows(
            "SELECT CASE WHEN email_notifications THEN 1 ELSE 0 END, CAST(role AS TEXT), first_name, status \
             FROM directus_users WHERE email = 'bo@example.com'",
        );
    assert_eq!(
        row,
        vec![vec![
            Some("1".into()),
            Some(editor),
            None,
            Some("active".into())
        ]],
    );
}

each_db!(create_as_draft_then_activate);
fn create_as_draft_then_activate(b: Via) {
    let env = TestEnv::with_editor(b);
    let a = env
        .cmd()
        .args([
            "create",
            "dra@example.com",
            "--role",
            "Editor",
            "--status",
            "draft",
        ])
        .assert()
        .code(0);
    let id = env.id_of("dra@example.com");
    assert_eq!(
        stderr_of(&a),
        format!("created draft user dra@example.com ({id})\n"),
    );
    assert_eq!(env.status_of("dra@example.com"), "draft");
    assert_eq!(
        env.col("dra@example.com", "password"),
        None,
        "a draft has no password"
    );
    let before = env.dump();
    let refused = env
        .cmd()
        .args([
            "create",
            "drb@example.com",
            "--role",
            "Editor",
            "--status",
            "draft",
        ])
        .args(["--password-stdin"])
        .write_stdin(PW)
        .assert()
        .code(2);
    assert!(stderr_of(&refused).contains("a draft user has no password"),);
    assert_eq!(env.dump(), before);

    let a = env
        .cmd()
        .args(["activate", "DRA@example.com", "--password-stdin"])
        .write_stdin("An0ther!Pass\n")
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "set the password of dra@example.com and activated the user\n",
    );
    assert_eq!(env.status_of("dra@example.com"), "active");
    let hash = env.col("dra@example.com", "password").unwrap();
    assert!(roster::password::verify("An0ther!Pass", &hash));
}

each_db!(invite_makes_a_user_without_password_that_activate_completes);
fn invite_makes_a_user_without_password_that_activate_completes(b: Via) {
    let env = TestEnv::with_editor(b);
    let a = env
        .cmd()
        .args([
            "invite",
            "Inv@Example.com",
            "--role",
            "editor",
            "--first-name",
            "Ivy",
        ])
        .assert()
        .code(0);
    let id = env.id_of("inv@example.com");
    assert_eq!(
        stderr_of(&a),
        format!("created invited user inv@example.com ({id})\n"),
    );
    assert_eq!(env.status_of("inv@example.com"), "invited");
    assert_eq!(env.col("inv@example.com", "password"), None);
    assert_eq!(
        env.col("inv@example.com", "provider").as_deref(),
        Some("default"),
    );

    let a = env
        .cmd()
        .args(["activate", &id, "--password-stdin"])
        .write_stdin(PW)
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "set the password of inv@example.com and activated the user\n",
    );
    assert_eq!(env.status_of("inv@example.com"), "active");
    assert!(
        env.col("inv@example.com", "password")
            .unwrap()
            .starts_with("$argon2id$"),
    );

    // Activating an active user is a no-op, even without a password source.
    let before = env.dump();
    let a = env
        .cmd()
        .args(["activate", "inv@example.com"])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "inv@example.com is already active; nothing to do\n",
    );
    assert_eq!(env.dump(), before);
}

each_db!(activate_refuses_suspended_and_deleted_users);
fn activate_refuses_suspended_and_deleted_users(b: Via) {
    let env = TestEnv::with_editor(b);
    env.invite("s@example.com", "Editor");
    env.cmd()
        .args(["suspend", "s@example.com"])
        .assert()
        .code(0);
    let before = env.dump();
    let a = env
        .cmd()
        .args(["activate", "s@example.com", "--password-stdin"])
        .write_stdin(PW)
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: cannot activate s@example.com: the user is suspended\n",
    );
    assert_eq!(env.dump(), before);

    env.cmd()
        .args(["soft-delete", "s@example.com", "--yes"])
        .assert()
        .code(0);
    let before = env.dump();
    let a = env
        .cmd()
        .args(["activate", "s@example.com", "--password-stdin"])
        .write_stdin(PW)
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: cannot activate s@example.com: the user is deleted\nhint: `roster create` or `roster invite` of the same email restores a soft-deleted user\n",
    );
    assert_eq!(env.dump(), before);
}
