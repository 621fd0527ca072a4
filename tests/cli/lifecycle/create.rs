//! `create`, `invite` and `activate`: what each stores and says.

use super::*;
use crate::common::Ran;

const ANN: &str = "ann.lee@example.com";

/// `create` of Ann Lee with every profile flag, the email and first name padded.
fn create_ann(env: &TestEnv) -> Ran<'_> {
    env.roster([
        "create",
        "  Ann.Lee@Example.COM ",
        "--role",
        "administrator",
    ])
    .args([
        "--password-stdin",
        "--first-name",
        "  Ann ",
        "--last-name",
        "Lee",
    ])
    .args([
        "--title",
        "CTO",
        "--company",
        "Acme",
        "--timezone",
        "Europe/Berlin",
    ])
    .args([
        "--language",
        "en-US",
        "--theme",
        "dark",
        "--email-notifications",
        "false",
    ])
    .stdin(PW)
    .succeeds()
}

each_db!(create_stores_an_active_user_with_profile_hash_and_audit);
fn create_stores_an_active_user_with_profile_hash_and_audit(b: Via) {
    let env = TestEnv::standalone(b);
    let ran = create_ann(&env);
    let id = env.id_of(ANN);
    assert!(is_lower_v4_uuid(&id), "{id}");
    // Nothing on stdout without a generated password.
    ran.stdout("")
        .stderr(&format!("created active user {ANN} ({id})\n"));
    let row = env.rows(&format!(
            "SELECT email, first_name, last_name, title, company, timezone, language, appearance, \
             CASE WHEN email_notifications THEN 1 ELSE 0 END, status, provider, CAST(role AS TEXT), token, tfa_secret \
             FROM directus_users WHERE id = '{id}'"
        ));
    let want: Vec<Option<String>> = [
        ANN,
        "Ann",
        "Lee",
        "CTO",
        "Acme",
        "Europe/Berlin",
        "en-US",
        "dark",
        "0",
        "active",
        "default",
    ]
    .into_iter()
    .map(|v| Some(v.to_string()))
    .chain([Some(role_id(&env, "Administrator")), None, None])
    .collect();
    assert_eq!(row, vec![want]);
    let hash = env.col(ANN, "password").unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
        "{hash}"
    );
}

each_db!(create_writes_an_activity_row_and_a_revision_with_the_password_masked);
fn create_writes_an_activity_row_and_a_revision_with_the_password_masked(b: Via) {
    let env = TestEnv::standalone(b);
    create_ann(&env);
    let id = env.id_of(ANN);
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
    assert_eq!(data["email"], ANN);
}

each_db!(create_defaults_email_notifications_on_and_accepts_a_role_id);
fn create_defaults_email_notifications_on_and_accepts_a_role_id(b: Via) {
    let env = TestEnv::with_editor(b);
    let editor = role_id(&env, "Editor");
    env.roster(["create", "bo@example.com", "--role", &editor.to_uppercase()])
        .arg("--password-stdin")
        .stdin(PW)
        .succeeds();
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
    let draft = ["--role", "Editor", "--status", "draft"];
    let ran = env
        .roster(["create", "dra@example.com"])
        .args(draft)
        .succeeds();
    let id = env.id_of("dra@example.com");
    ran.stderr(&format!("created draft user dra@example.com ({id})\n"));
    assert_eq!(env.status_of("dra@example.com"), "draft");
    assert_eq!(
        env.col("dra@example.com", "password"),
        None,
        "a draft has no password"
    );
    let ran = env
        .roster(["create", "drb@example.com"])
        .args(draft)
        .arg("--password-stdin")
        .stdin(PW)
        .fails(2);
    assert!(ran.err().contains("a draft user has no password"));
    ran.db_unchanged();

    env.roster(["activate", "DRA@example.com", "--password-stdin"])
        .stdin("An0ther!Pass\n")
        .succeeds()
        .stderr("set the password of dra@example.com and activated the user\n");
    assert_eq!(env.status_of("dra@example.com"), "active");
    let hash = env.col("dra@example.com", "password").unwrap();
    assert!(roster::password::verify("An0ther!Pass", &hash));
}

each_db!(invite_makes_a_user_without_password_that_activate_completes);
fn invite_makes_a_user_without_password_that_activate_completes(b: Via) {
    let env = TestEnv::with_editor(b);
    let ran = env
        .roster([
            "invite",
            "Inv@Example.com",
            "--role",
            "editor",
            "--first-name",
            "Ivy",
        ])
        .succeeds();
    let id = env.id_of("inv@example.com");
    ran.stderr(&format!("created invited user inv@example.com ({id})\n"));
    assert_eq!(env.status_of("inv@example.com"), "invited");
    assert_eq!(env.col("inv@example.com", "password"), None);
    assert_eq!(
        env.col("inv@example.com", "provider").as_deref(),
        Some("default"),
    );

    env.roster(["activate", &id, "--password-stdin"])
        .stdin(PW)
        .succeeds()
        .stderr("set the password of inv@example.com and activated the user\n");
    assert_eq!(env.status_of("inv@example.com"), "active");
    assert!(
        env.col("inv@example.com", "password")
            .unwrap()
            .starts_with("$argon2id$"),
    );

    // Activating an active user is a no-op, even without a password source.
    env.roster(["activate", "inv@example.com"])
        .keeps_db()
        .succeeds()
        .stderr("inv@example.com is already active; nothing to do\n")
        .db_unchanged();
}

each_db!(activate_refuses_suspended_and_deleted_users);
fn activate_refuses_suspended_and_deleted_users(b: Via) {
    let env = TestEnv::with_editor(b);
    env.invite("s@example.com", "Editor");
    env.roster(["suspend", "s@example.com"]).succeeds();
    let activate = ["activate", "s@example.com", "--password-stdin"];
    env.roster(activate)
        .stdin(PW)
        .fails(4)
        .stderr("error: cannot activate s@example.com: the user is suspended\n")
        .db_unchanged();

    env.roster(["soft-delete", "s@example.com", "--yes"])
        .succeeds();
    env.roster(activate)
        .stdin(PW)
        .fails(4)
        .stderr("error: cannot activate s@example.com: the user is deleted\nhint: `roster create` or `roster invite` of the same email revives a soft-deleted user\n")
        .db_unchanged();
}
