//! Re-inheritance: `create` or `invite` of a soft-deleted email takes the row over.

use super::*;

/// rev@example.com created with a full profile, a token and a 2FA secret, then
/// soft-deleted; returns its id and password hash.
fn soft_deleted_rev(env: &TestEnv) -> (String, String) {
    env.roster([
        "create",
        "rev@example.com",
        "--role",
        "Editor",
        "--password-stdin",
    ])
    .args([
        "--first-name",
        "Old",
        "--last-name",
        "Name",
        "--title",
        "Chef",
    ])
    .args([
        "--company",
        "Acme",
        "--timezone",
        "Europe/Paris",
        "--language",
        "fr-FR",
    ])
    .stdin(PW)
    .succeeds();
    let id = env.id_of("rev@example.com");
    let hash = env.col("rev@example.com", "password").unwrap();
    env.exec(&format!(
                "UPDATE directus_users SET token = 'tok-rev-0123456789abcdef0123456789', tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{id}'"
            ));
    env.roster(["soft-delete", "rev@example.com", "--yes"])
        .succeeds();
    (id, hash)
}

each_db!(create_revives_a_soft_deleted_user_keeping_its_details);
fn create_revives_a_soft_deleted_user_keeping_its_details(b: Via) {
    let env = TestEnv::with_editor(b);
    let (id, old_hash) = soft_deleted_rev(&env);
    // No --role: a revived user keeps its old one.
    env.roster([
        "create",
        "REV@Example.com",
        "--password-stdin",
        "--first-name",
        "New",
    ])
    .stdin("N3w!Password\n")
    .succeeds()
    .stderr(&format!(
        "revived soft-deleted user rev@example.com ({id}) as active, keeping its earlier details\n"
    ));
    assert_eq!(user_count(&env), 1, "never a second row for the same email");
    let row = env.rows(&format!(
            "SELECT CAST(id AS TEXT), email, first_name, last_name, title, company, timezone, language, status, \
             CAST(role AS TEXT), token, tfa_secret FROM directus_users WHERE id = '{id}'"
        ));
    let want: Vec<Option<String>> = [
        id.as_str(),
        "rev@example.com",
        "New",
        "Name",
        "Chef",
        "Acme",
        "Europe/Paris",
        "fr-FR",
        "active",
    ]
    .into_iter()
    .map(|v| Some(v.to_string()))
    .chain([Some(role_id(&env, "Editor")), None, None])
    .collect();
    assert_eq!(row, vec![want]);
    let new_hash = env.col("rev@example.com", "password").unwrap();
    assert!(new_hash.starts_with("$argon2id$"));
    assert_ne!(new_hash, old_hash, "new credentials");
}

each_db!(invite_revives_a_soft_deleted_user_with_a_new_role);
fn invite_revives_a_soft_deleted_user_with_a_new_role(b: Via) {
    let env = TestEnv::with_editor(b);
    let id = env.invite("back@example.com", "Editor");
    env.exec(&format!(
        "UPDATE directus_users SET title = 'Boss', status = 'active' WHERE id = '{id}'"
    ));
    env.roster(["soft-delete", "back@example.com", "--yes"])
        .succeeds();

    env.roster(["invite", "Back@example.com", "--role", "Administrator"])
        .succeeds()
        .stderr(&format!(
            "revived soft-deleted user back@example.com ({id}) as invited, keeping its earlier details\n"
        ));
    assert_eq!(user_count(&env), 1);
    assert_eq!(env.id_of("back@example.com"), id);
    assert_eq!(env.status_of("back@example.com"), "invited");
    assert_eq!(env.col("back@example.com", "password"), None);
    assert_eq!(
        env.col("back@example.com", "title").as_deref(),
        Some("Boss"),
    );
    assert_eq!(
        env.col("back@example.com", "role"),
        Some(role_id(&env, "Administrator")),
    );
}

each_db!(create_json_reports_created_and_revived);
fn create_json_reports_created_and_revived(b: Via) {
    let env = TestEnv::with_editor(b);
    let out = env
        .roster([
            "invite",
            "j@example.com",
            "--role",
            "Editor",
            "--format",
            "json",
        ])
        .succeeds()
        .json();
    let id = env.id_of("j@example.com");
    assert_eq!(out["result"], "created");
    assert_eq!(out["dry_run"], false);
    assert_eq!(out["user"]["id"], id.as_str());
    assert_eq!(out["user"]["status"], "invited");
    assert_eq!(out["user"]["role"], "Editor");
    assert!(out.get("password").is_none());

    env.roster(["soft-delete", "j@example.com", "--yes"])
        .succeeds();
    let out = env
        .roster(["invite", "j@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(out["result"], "revived");
    assert_eq!(out["user"]["id"], id.as_str());
}
