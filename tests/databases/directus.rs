//! roster on databases made by real Directus: 11.3.5 on SQLite and PostgreSQL,
//! 10.13.4 on SQLite (tests/fixtures, described in the fixtures README).

use crate::common::{
    ARCHIVED_ID, Backend, EDITOR_ID, EDITOR_ROLE, EDITOR_TOKEN, STRONG_POLICY, TestEnv, Via,
    each_db, json_of, stderr_of, stdout_of,
};
use serde_json::Value as Json;

const STRONG_WORDS: &str = "at least 8 characters with a digit, a lower-case letter, an upper-case letter and a special character (one of !@#$%^&*()_+}{';'?>.<,), and no whitespace";
const NEW_PW: &str = "Fresh!Pass42x";

/// The fixture users and their passwords (the invited user has none).
const FIXTURE_PASSWORDS: [(&str, &str); 4] = [
    ("admin@example.com", "AdminPass123!"),
    ("editor@example.com", "EditorPass123!"),
    ("suspended@example.com", "SuspendedPass123!"),
    ("archived@example.com", "ArchivedPass123!"),
];

/// Which Directus layout an environment holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V11,
    V10,
}

/// One fixture database: a label for messages, its layout and the environment.
struct Case {
    label: String,
    version: Version,
    env: TestEnv,
}

/// Directus 11.3.5 on this database, and on SQLite Directus 10.13.4 too.
fn cases(b: Via) -> Vec<Case> {
    let mut all = vec![Case {
        label: "11.3.5".into(),
        version: Version::V11,
        env: TestEnv::directus11(b),
    }];
    if b == Backend::Sqlite {
        all.push(Case {
            label: "10.13.4".into(),
            version: Version::V10,
            env: TestEnv::directus10(),
        });
    }
    all
}

/// A query value that must exist.
fn val(env: &TestEnv, sql: &str) -> String {
    env.value(sql)
        .unwrap_or_else(|| panic!("no value for {sql}"))
}

fn user_id(env: &TestEnv, email: &str) -> String {
    val(
        env,
        &format!("SELECT CAST(id AS TEXT) FROM directus_users WHERE lower(email) = '{email}'"),
    )
}

fn stored_hash(env: &TestEnv, email: &str) -> Option<String> {
    env.value(&format!(
        "SELECT password FROM directus_users WHERE lower(email) = '{email}'"
    ))
}

/// `roster create EMAIL --role ROLE --password-env ROSTER_TEST_PW` with `pw`.
fn create(env: &TestEnv, email: &str, role: &str, pw: &str) -> assert_cmd::assert::Assert {
    env.cmd()
        .env("ROSTER_TEST_PW", pw)
        .args([
            "create",
            email,
            "--role",
            role,
            "--password-env",
            "ROSTER_TEST_PW",
        ])
        .assert()
}

/// A session row for a user that expires in the future, in each database's type.
fn insert_session(env: &TestEnv, token: &str, user: &str) {
    let expires = match env.backend {
        Backend::Sqlite => "4102444800000".to_string(), // 2100-01-01 in epoch ms
        Backend::Postgres | Backend::Mysql => "now() + interval '1' day".to_string(),
    };
    env.exec(&format!(
        "INSERT INTO directus_sessions (token, \"user\", expires, ip, user_agent) \
             VALUES ('{token}', '{user}', {expires}, '127.0.0.1', 'test')"
    ));
}

each_db!(list_shows_four_live_users_and_all_adds_the_archived_one_as_deleted);
fn list_shows_four_live_users_and_all_adds_the_archived_one_as_deleted(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let out = env
            .cmd()
            .args(["list", "--format", "json"])
            .assert()
            .success();
        let users = json_of(&out);
        let seen: Vec<(&str, &str, bool)> = users
            .as_array()
            .expect("array")
            .iter()
            .map(|u| {
                (
                    u["email"].as_str().unwrap_or_default(),
                    u["status"].as_str().unwrap_or_default(),
                    u["admin"].as_bool().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("admin@example.com", "active", true),
                ("editor@example.com", "active", false),
                ("invited@example.com", "invited", false),
                ("suspended@example.com", "suspended", false),
            ],
            "{label}"
        );

        let out = env
            .cmd()
            .args(["list", "--all", "--format", "json"])
            .assert()
            .success();
        let users = json_of(&out);
        let users = users.as_array().expect("array");
        assert_eq!(users.len(), 5, "{label}");
        let archived = users
            .iter()
            .find(|u| u["email"] == "archived@example.com")
            .unwrap_or_else(|| panic!("{label}: archived user missing from --all"));
        assert_eq!(archived["status"], "deleted", "{label}");
        assert_eq!(archived["id"], ARCHIVED_ID, "{label}");
        assert_eq!(archived["first_name"], "Arch", "{label}");

        // --status deleted selects only the archived row; the stored word stays Directus's.
        let out = env
            .cmd()
            .args(["list", "--status", "deleted", "--format", "json"])
            .assert()
            .success();
        let emails: Vec<String> = json_of(&out)
            .as_array()
            .expect("array")
            .iter()
            .map(|u| u["email"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(emails, ["archived@example.com"], "{label}");
        assert_eq!(
            val(
                &env,
                &format!("SELECT status FROM directus_users WHERE id = '{ARCHIVED_ID}'")
            ),
            "archived",
            "{label}"
        );

        // The table shows the archived user as deleted too.
        let out = env.cmd().args(["list", "--all"]).assert().success();
        let table = stdout_of(&out);
        let line = table
            .lines()
            .find(|l| l.contains("archived@example.com"))
            .unwrap_or_else(|| panic!("{label}: no table line for the archived user:\n{table}"));
        assert!(
            line.contains("deleted") && !line.contains("archived "),
            "{label}: {line}"
        );
    }
}

each_db!(fixture_passwords_still_verify_after_roster_changes_other_users);
fn fixture_passwords_still_verify_after_roster_changes_other_users(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let before: Vec<Option<String>> = FIXTURE_PASSWORDS
            .iter()
            .map(|(email, _)| stored_hash(&env, email))
            .collect();

        create(&env, "newcomer@example.com", "Editor", NEW_PW).success();
        env.cmd()
            .args(["suspend", "invited@example.com"])
            .assert()
            .success();
        env.cmd()
            .env("ROSTER_TEST_PW", "Another!Pass43y")
            .args([
                "set-password",
                "newcomer@example.com",
                "--password-env",
                "ROSTER_TEST_PW",
            ])
            .assert()
            .success();
        env.cmd()
            .args(["set-token", "newcomer@example.com"])
            .assert()
            .success();
        env.cmd()
            .args(["suspend", "newcomer@example.com"])
            .assert()
            .success();

        for ((email, pw), old) in FIXTURE_PASSWORDS.iter().zip(before) {
            let hash = stored_hash(&env, email);
            assert_eq!(hash, old, "{label}: {email}'s hash changed");
            let hash = hash.unwrap_or_else(|| panic!("{label}: {email} lost its password"));
            assert!(
                hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
                "{label}: {email}: {hash}"
            );
            // (argon2 in a debug test build takes seconds: one check per user.)
            assert!(roster::password::verify(pw, &hash), "{label}: {email}");
        }
        let rows = env.rows(
            "SELECT lower(email), status FROM directus_users \
             WHERE lower(email) IN ('invited@example.com', 'newcomer@example.com') ORDER BY 1",
        );
        assert_eq!(
            rows,
            [
                [Some("invited@example.com".into()), Some("suspended".into())],
                [
                    Some("newcomer@example.com".into()),
                    Some("suspended".into())
                ],
            ],
            "{label}"
        );
        let hash = stored_hash(&env, "newcomer@example.com").expect("newcomer hash");
        assert!(
            roster::password::verify("Another!Pass43y", &hash),
            "{label}"
        );
    }
}

each_db!(strong_policy_from_settings_refuses_a_weak_password);
fn strong_policy_from_settings_refuses_a_weak_password(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let out = env
            .cmd()
            .args(["policy", "show", "--format", "json"])
            .assert()
            .success();
        let shown = json_of(&out);
        assert_eq!(
            shown["source"], "directus_settings.auth_password_policy",
            "{label}"
        );
        assert_eq!(shown["regex"], STRONG_POLICY, "{label}");
        assert_eq!(
            shown["requirements"],
            serde_json::json!([STRONG_WORDS]),
            "{label}"
        );
        assert_eq!(shown["login_attempts"], 5, "{label}");

        for weak in ["hunter2hunter", "Hunter2hunter", "Hunter 2!x", "Ab1!"] {
            let out = create(&env, "weak@example.com", "Editor", weak).code(5);
            let err = stderr_of(&out);
            assert!(
                err.starts_with(&format!(
                    "error: the password does not meet the password policy: it needs {STRONG_WORDS}"
                )),
                "{label}: {weak:?}: {err}"
            );
            assert!(
                !err.contains(weak),
                "{label}: the message repeats the password: {err}"
            );
        }
        assert_eq!(
            env.count(
                "SELECT count(*) FROM directus_users WHERE lower(email) = 'weak@example.com'"
            ),
            0,
            "{label}"
        );

        // set-password is checked the same way and leaves the old hash alone.
        let old = stored_hash(&env, "editor@example.com");
        env.cmd()
            .env("ROSTER_TEST_PW", "editorpass")
            .args([
                "set-password",
                "editor@example.com",
                "--password-env",
                "ROSTER_TEST_PW",
            ])
            .assert()
            .code(5);
        assert_eq!(stored_hash(&env, "editor@example.com"), old, "{label}");

        // The explicit escape hatch works, with a warning.
        let out = env
            .cmd()
            .env("ROSTER_TEST_PW", "weakling")
            .args([
                "create",
                "weak@example.com",
                "--role",
                "Editor",
                "--password-env",
                "ROSTER_TEST_PW",
                "--allow-weak-password",
            ])
            .assert()
            .success();
        assert!(stderr_of(&out).contains("warning:"), "{label}");
        let hash = stored_hash(&env, "weak@example.com").expect("weak user hash");
        assert!(roster::password::verify("weakling", &hash), "{label}");
    }
}

each_db!(soft_delete_stores_archived_and_removes_credentials_and_sessions);
fn soft_delete_stores_archived_and_removes_credentials_and_sessions(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let admin = user_id(&env, "admin@example.com");
        env.exec(&format!(
            "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{EDITOR_ID}'"
        ));
        insert_session(&env, "editor-session-1", EDITOR_ID);
        insert_session(&env, "editor-session-2", EDITOR_ID);
        insert_session(&env, "admin-session", &admin);

        // Off a terminal soft-delete needs --yes; without it nothing changes.
        let before = env.dump();
        env.cmd()
            .args(["soft-delete", "editor@example.com"])
            .assert()
            .code(2);
        assert_eq!(env.dump(), before, "{label}");

        let out = env
            .cmd()
            .args(["soft-delete", "editor@example.com", "--yes"])
            .assert()
            .success();
        assert!(
            stderr_of(&out).contains("soft-deleted editor@example.com (was active)"),
            "{label}"
        );

        let row = env.rows(&format!(
            "SELECT status, password, token, tfa_secret, first_name, lower(email) \
             FROM directus_users WHERE id = '{EDITOR_ID}'"
        ));
        assert_eq!(
            row,
            [[
                Some("archived".to_string()),
                None,
                None,
                None,
                Some("Eddie".into()),
                Some("editor@example.com".into())
            ]],
            "{label}"
        );
        assert_eq!(
            env.count(&format!(
                "SELECT count(*) FROM directus_sessions WHERE \"user\" = '{EDITOR_ID}'"
            )),
            0,
            "{label}"
        );
        assert_eq!(
            env.rows("SELECT token FROM directus_sessions"),
            [[Some("admin-session".to_string())]],
            "{label}: another user's session must stay"
        );

        // roster shows it as deleted; soft-deleting again is a no-op.
        let out = env
            .cmd()
            .args(["show", "editor@example.com", "--format", "json"])
            .assert()
            .success();
        let shown = json_of(&out);
        assert_eq!(shown["status"], "deleted", "{label}");
        assert_eq!(shown["password_set"], false, "{label}");
        assert_eq!(shown["token_set"], false, "{label}");
        assert_eq!(shown["tfa_enabled"], false, "{label}");
        let before = env.dump();
        let out = env
            .cmd()
            .args(["soft-delete", "editor@example.com", "--yes"])
            .assert()
            .success();
        assert!(stderr_of(&out).contains("already deleted"), "{label}");
        assert_eq!(env.dump(), before, "{label}");

        // The freed token can now be given to someone else.
        env.cmd()
            .args(["set-token", "admin@example.com", "--stdin"])
            .write_stdin(format!("{EDITOR_TOKEN}\n"))
            .assert()
            .success();
    }
}

each_db!(create_of_an_archived_email_revives_the_same_row);
fn create_of_an_archived_email_revives_the_same_row(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let out = env
            .cmd()
            .env("ROSTER_TEST_PW", NEW_PW)
            .args([
                "create",
                "ARCHIVED@example.com",
                "--password-env",
                "ROSTER_TEST_PW",
                "--format",
                "json",
            ])
            .assert()
            .success();
        let err = stderr_of(&out);
        assert!(
            err.contains(&format!(
                "restored soft-deleted user archived@example.com ({ARCHIVED_ID}) as active"
            )),
            "{label}: {err}"
        );
        let json = json_of(&out);
        assert_eq!(json["result"], "restored", "{label}");
        assert_eq!(json["user"]["id"], ARCHIVED_ID, "{label}");
        assert_eq!(json["user"]["first_name"], "Arch", "{label}");
        assert_eq!(json["user"]["status"], "active", "{label}");

        let rows = env.rows(
            "SELECT CAST(id AS TEXT), email, first_name, last_name, status, CAST(role AS TEXT), provider \
             FROM directus_users WHERE lower(email) = 'archived@example.com'",
        );
        assert_eq!(
            rows,
            [[
                Some(ARCHIVED_ID.to_string()),
                Some("archived@example.com".into()),
                Some("Arch".into()),
                Some("Archived".into()),
                Some("active".into()),
                Some(EDITOR_ROLE.into()),
                Some("default".into()),
            ]],
            "{label}: one row, same id, details and role kept"
        );
        let hash = stored_hash(&env, "archived@example.com").expect("hash");
        assert!(roster::password::verify(NEW_PW, &hash), "{label}");
        assert!(
            !roster::password::verify("ArchivedPass123!", &hash),
            "{label}"
        );
        assert_eq!(
            env.count("SELECT count(*) FROM directus_users"),
            5,
            "{label}"
        );

        // A second create is now a conflict, not another revival.
        create(&env, "archived@example.com", "Editor", NEW_PW).code(4);
    }
}

each_db!(an_admin_role_made_by_roster_makes_its_users_admins);
fn an_admin_role_made_by_roster_makes_its_users_admins(b: Via) {
    for Case {
        label,
        version,
        env,
    } in cases(b)
    {
        let out = env
            .cmd()
            .args(["roles", "create", "Ops", "--admin"])
            .assert()
            .success();
        let err = stderr_of(&out);
        assert!(
            err.contains("restart") && err.contains("cache"),
            "{label}: {err}"
        );
        let role = val(
            &env,
            "SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = 'Ops'",
        );
        assert!(
            uuid::Uuid::parse_str(&role).is_ok_and(|u| u.get_version_num() == 4),
            "{label}: {role}"
        );
        assert_eq!(role, role.to_lowercase(), "{label}");

        match version {
            Version::V11 => {
                let rows = env.rows(&format!(
                    "SELECT CAST(p.id AS TEXT), \
                       CASE WHEN p.admin_access THEN 1 ELSE 0 END, \
                       CASE WHEN p.app_access THEN 1 ELSE 0 END, \
                       CASE WHEN a.\"user\" IS NULL THEN 1 ELSE 0 END \
                     FROM directus_access a JOIN directus_policies p ON p.id = a.policy \
                     WHERE CAST(a.role AS TEXT) = '{role}'"
                ));
                assert_eq!(rows.len(), 1, "{label}: {rows:?}");
                assert_eq!(
                    rows[0][1..],
                    [Some("1".to_string()), Some("1".into()), Some("1".into())],
                    "{label}: admin policy linked to the role"
                );
            }
            Version::V10 => {
                let rows = env.rows(&format!(
                    "SELECT CASE WHEN admin_access THEN 1 ELSE 0 END, CASE WHEN app_access THEN 1 ELSE 0 END \
                     FROM directus_roles WHERE id = '{role}'"
                ));
                assert_eq!(rows, [[Some("1".to_string()), Some("1".into())]], "{label}");
                assert!(!env.table_exists("directus_policies"), "{label}");
            }
        }

        create(&env, "ops@example.com", "ops", NEW_PW).success();
        let out = env
            .cmd()
            .args(["show", "ops@example.com", "--format", "json"])
            .assert()
            .success();
        let shown = json_of(&out);
        assert_eq!(shown["admin"], true, "{label}: {shown}");
        assert_eq!(shown["role"], "Ops", "{label}");
        assert_eq!(shown["role_id"], role.as_str(), "{label}");

        // Two active admins now: the fixture admin may be suspended without --force.
        env.cmd()
            .args(["suspend", "admin@example.com"])
            .assert()
            .success();

        // A role without --admin does not make admins.
        env.cmd()
            .args(["roles", "create", "Helpers"])
            .assert()
            .success();
        create(&env, "helper@example.com", "Helpers", NEW_PW).success();
        let out = env
            .cmd()
            .args(["show", "helper@example.com", "--format", "json"])
            .assert()
            .success();
        assert_eq!(json_of(&out)["admin"], false, "{label}");
    }
}

each_db!(the_last_active_admin_cannot_be_suspended_without_force);
fn the_last_active_admin_cannot_be_suspended_without_force(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let before = env.dump();
        let out = env
            .cmd()
            .args(["suspend", "admin@example.com"])
            .assert()
            .code(4);
        assert_eq!(
            stderr_of(&out).lines().next().unwrap_or_default(),
            "error: admin@example.com is the last active administrator; roster will not lock everyone out (use --force to do it anyway)",
            "{label}"
        );
        env.cmd()
            .args(["soft-delete", "admin@example.com", "--yes"])
            .assert()
            .code(4);
        assert_eq!(
            env.dump(),
            before,
            "{label}: a refused change writes nothing"
        );

        let out = env
            .cmd()
            .args(["suspend", "admin@example.com", "--force"])
            .assert()
            .success();
        assert!(
            stderr_of(&out).contains("suspended admin@example.com (was active)"),
            "{label}"
        );
        assert_eq!(
            val(
                &env,
                "SELECT status FROM directus_users WHERE email = 'admin@example.com'"
            ),
            "suspended",
            "{label}"
        );
    }
}

each_db!(the_editors_static_token_cannot_be_given_to_another_user);
fn the_editors_static_token_cannot_be_given_to_another_user(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let before = env.dump();
        let out = env
            .cmd()
            .args(["set-token", "admin@example.com", "--stdin"])
            .write_stdin(format!("{EDITOR_TOKEN}\n"))
            .assert()
            .code(4);
        let err = stderr_of(&out);
        assert_eq!(
            err.lines().next().unwrap_or_default(),
            "error: another user already has this token",
            "{label}"
        );
        assert!(
            !err.contains(EDITOR_TOKEN),
            "{label}: the token appears in the message"
        );
        assert!(!stdout_of(&out).contains(EDITOR_TOKEN), "{label}");
        assert_eq!(env.dump(), before, "{label}");
        assert_eq!(
            env.value(&format!(
                "SELECT token FROM directus_users WHERE id = '{EDITOR_ID}'"
            )),
            Some(EDITOR_TOKEN.to_string()),
            "{label}"
        );

        // Giving the editor their own token again is no conflict.
        env.cmd()
            .args(["set-token", "editor@example.com", "--stdin"])
            .write_stdin(format!("{EDITOR_TOKEN}\n"))
            .assert()
            .success();
        assert_eq!(
            env.count(&format!(
                "SELECT count(*) FROM directus_users WHERE token = '{EDITOR_TOKEN}'"
            )),
            1,
            "{label}"
        );
    }
}

each_db!(changes_are_audited_without_secrets_and_no_audit_writes_none);
fn changes_are_audited_without_secrets_and_no_audit_writes_none(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let admin = user_id(&env, "admin@example.com");
        let last_activity = env.count("SELECT coalesce(max(id), 0) FROM directus_activity");
        let last_revision = env.count("SELECT coalesce(max(id), 0) FROM directus_revisions");

        create(&env, "audited@example.com", "Editor", NEW_PW).success();
        let id = user_id(&env, "audited@example.com");
        env.cmd()
            .env("ROSTER_TEST_PW", "Second!Pass44z")
            .args([
                "--actor",
                "admin@example.com",
                "set-password",
                "audited@example.com",
                "--password-env",
                "ROSTER_TEST_PW",
            ])
            .assert()
            .success();

        let activity = env.rows(&format!(
            "SELECT action, collection, item, CAST(\"user\" AS TEXT), user_agent, CAST(id AS TEXT) \
             FROM directus_activity WHERE id > {last_activity} ORDER BY id"
        ));
        assert_eq!(activity.len(), 2, "{label}: {activity:?}");
        let expected = [("create", None), ("update", Some(admin.clone()))];
        for (row, (action, actor)) in activity.iter().zip(expected) {
            assert_eq!(row[0].as_deref(), Some(action), "{label}");
            assert_eq!(row[1].as_deref(), Some("directus_users"), "{label}");
            assert_eq!(row[2].as_deref(), Some(id.as_str()), "{label}");
            assert_eq!(row[3], actor, "{label}: acting user");
            let agent = row[4].clone().unwrap_or_default();
            assert!(agent.starts_with("roster/"), "{label}: {agent}");
        }

        let revisions = env.rows(&format!(
            "SELECT CAST(activity AS TEXT), collection, item, CAST(data AS TEXT), CAST(delta AS TEXT) \
             FROM directus_revisions WHERE id > {last_revision} ORDER BY id"
        ));
        assert_eq!(revisions.len(), 2, "{label}: {revisions:?}");
        let hash = stored_hash(&env, "audited@example.com").expect("hash");
        for (rev, act) in revisions.iter().zip(&activity) {
            assert_eq!(rev[0], act[5], "{label}: revision points at its activity");
            assert_eq!(rev[1].as_deref(), Some("directus_users"), "{label}");
            assert_eq!(rev[2].as_deref(), Some(id.as_str()), "{label}");
            for (what, text) in [("data", &rev[3]), ("delta", &rev[4])] {
                let text = text.clone().unwrap_or_default();
                let json: Json = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{label}: {what} is not JSON ({e}): {text}"));
                assert_eq!(json["password"], "**********", "{label}: {what}: {text}");
                assert!(
                    !text.contains("$argon2"),
                    "{label}: {what} holds a hash: {text}"
                );
                assert!(!text.contains(&hash), "{label}: {what}");
                assert!(
                    !text.contains(NEW_PW) && !text.contains("Second!Pass44z"),
                    "{label}: {what}"
                );
            }
        }
        let data: Json =
            serde_json::from_str(revisions[1][3].as_deref().unwrap_or("null")).expect("json");
        assert_eq!(
            data["email"], "audited@example.com",
            "{label}: the update's data is the full record"
        );

        // --no-audit writes neither table.
        let activities = env.count("SELECT count(*) FROM directus_activity");
        let revs = env.count("SELECT count(*) FROM directus_revisions");
        env.cmd()
            .env("ROSTER_TEST_PW", NEW_PW)
            .args([
                "--no-audit",
                "create",
                "quiet@example.com",
                "--role",
                "Editor",
                "--password-env",
                "ROSTER_TEST_PW",
            ])
            .assert()
            .success();
        env.cmd()
            .args(["--no-audit", "suspend", "quiet@example.com"])
            .assert()
            .success();
        env.cmd()
            .args(["--no-audit", "set-token", "quiet@example.com"])
            .assert()
            .success();
        assert_eq!(
            env.count("SELECT count(*) FROM directus_activity"),
            activities,
            "{label}"
        );
        assert_eq!(
            env.count("SELECT count(*) FROM directus_revisions"),
            revs,
            "{label}"
        );
        assert_eq!(
            val(
                &env,
                "SELECT status FROM directus_users WHERE email = 'quiet@example.com'"
            ),
            "suspended",
            "{label}"
        );
    }
}

each_db!(soft_delete_and_token_changes_are_audited_with_masked_secrets);
fn soft_delete_and_token_changes_are_audited_with_masked_secrets(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let last_revision = env.count("SELECT coalesce(max(id), 0) FROM directus_revisions");
        env.cmd()
            .args(["set-token", "suspended@example.com"])
            .assert()
            .success();
        let token = env
            .value("SELECT token FROM directus_users WHERE email = 'suspended@example.com'")
            .expect("token set");
        env.cmd()
            .args(["soft-delete", "suspended@example.com", "--yes"])
            .assert()
            .success();
        let revisions = env.rows(&format!(
            "SELECT CAST(data AS TEXT), CAST(delta AS TEXT) FROM directus_revisions \
             WHERE id > {last_revision} ORDER BY id"
        ));
        assert_eq!(revisions.len(), 2, "{label}: {revisions:?}");
        let token_delta: Json =
            serde_json::from_str(revisions[0][1].as_deref().unwrap_or("null")).expect("json");
        assert_eq!(token_delta["token"], "**********", "{label}");
        let delete_delta: Json =
            serde_json::from_str(revisions[1][1].as_deref().unwrap_or("null")).expect("json");
        assert_eq!(delete_delta["status"], "archived", "{label}");
        for row in &revisions {
            for text in row.iter().flatten() {
                assert!(
                    !text.contains(&token),
                    "{label}: a revision holds the token: {text}"
                );
                assert!(
                    !text.contains("$argon2"),
                    "{label}: a revision holds a hash: {text}"
                );
            }
        }
    }
}

#[test]
fn hashes_roster_writes_verify_with_another_argon2_implementation() {
    // One backend suffices for the hash itself; Directus's own hashes are checked too.
    let env = TestEnv::directus11(Backend::Sqlite);
    create(&env, "crosscheck@example.com", "Editor", NEW_PW).success();
    let hash = stored_hash(&env, "crosscheck@example.com").expect("hash");
    assert!(
        hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
        "{hash}"
    );
    assert_eq!(
        rust_argon2::verify_encoded(&hash, NEW_PW.as_bytes()),
        Ok(true),
        "{hash}"
    );
    assert_eq!(
        rust_argon2::verify_encoded(&hash, b"Fresh!Pass42y"),
        Ok(false),
        "{hash}"
    );

    // And the other way round: roster verifies what Directus (node argon2) wrote,
    // which the second implementation agrees with.
    let directus = stored_hash(&env, "editor@example.com").expect("editor hash");
    assert_eq!(
        rust_argon2::verify_encoded(&directus, b"EditorPass123!"),
        Ok(true)
    );
    assert!(roster::password::verify("EditorPass123!", &directus));
}

each_db!(admin_access_through_a_users_own_access_row_or_a_parent_role_counts);
fn admin_access_through_a_users_own_access_row_or_a_parent_role_counts(b: Via) {
    for Case {
        label,
        version,
        env,
    } in cases(b)
    {
        if version != Version::V11 {
            continue;
        }
        let policy = val(
            &env,
            "SELECT CAST(id AS TEXT) FROM directus_policies WHERE name = 'Administrator'",
        );
        // The editor gets the Administrator policy directly, as the Directus app allows.
        env.exec(&format!(
                "INSERT INTO directus_access (id, role, \"user\", policy, sort) \
                 VALUES ('11111111-1111-4111-8111-111111111111', NULL, '{EDITOR_ID}', '{policy}', 1)"
            ));
        let out = env
            .cmd()
            .args(["show", "editor@example.com", "--format", "json"])
            .assert()
            .success();
        assert_eq!(json_of(&out)["admin"], true, "{label}");
        // Two active admins: either may go, but not both.
        env.cmd()
            .args(["suspend", "admin@example.com"])
            .assert()
            .success();
        let out = env
            .cmd()
            .args(["suspend", "editor@example.com"])
            .assert()
            .code(4);
        assert!(
            stderr_of(&out)
                .starts_with("error: editor@example.com is the last active administrator"),
            "{label}: {}",
            stderr_of(&out)
        );

        // A role whose parent is an admin role makes admins too.
        env.cmd()
            .args(["roles", "create", "Parent", "--admin"])
            .assert()
            .success();
        let parent = val(
            &env,
            "SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = 'Parent'",
        );
        env.exec(&format!(
            "INSERT INTO directus_roles (id, name, parent) \
                 VALUES ('22222222-2222-4222-8222-222222222222', 'Child', '{parent}')"
        ));
        create(&env, "kid@example.com", "Child", NEW_PW).success();
        let out = env
            .cmd()
            .args(["show", "kid@example.com", "--format", "json"])
            .assert()
            .success();
        assert_eq!(json_of(&out)["admin"], true, "{label}");
        env.cmd()
            .args(["suspend", "editor@example.com"])
            .assert()
            .success();
    }
}

each_db!(password_status_and_token_changes_end_the_users_sessions);
fn password_status_and_token_changes_end_the_users_sessions(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let admin = user_id(&env, "admin@example.com");
        let suspended = user_id(&env, "suspended@example.com");
        insert_session(&env, "admin-session", &admin);
        let editor_sessions = || {
            env.count(&format!(
                "SELECT count(*) FROM directus_sessions WHERE \"user\" = '{EDITOR_ID}'"
            ))
        };

        insert_session(&env, "editor-1", EDITOR_ID);
        env.cmd()
            .env("ROSTER_TEST_PW", "Changed!Pass45")
            .args([
                "set-password",
                "editor@example.com",
                "--password-env",
                "ROSTER_TEST_PW",
            ])
            .assert()
            .success();
        assert_eq!(editor_sessions(), 0, "{label}: set-password");

        insert_session(&env, "editor-2", EDITOR_ID);
        env.cmd()
            .args(["set-token", "editor@example.com"])
            .assert()
            .success();
        assert_eq!(editor_sessions(), 0, "{label}: set-token");

        insert_session(&env, "editor-3", EDITOR_ID);
        env.cmd()
            .args(["suspend", "editor@example.com"])
            .assert()
            .success();
        assert_eq!(editor_sessions(), 0, "{label}: suspend");

        insert_session(&env, "suspended-1", &suspended);
        env.cmd()
            .args(["unsuspend", "suspended@example.com"])
            .assert()
            .success();
        assert_eq!(
            env.count(&format!(
                "SELECT count(*) FROM directus_sessions WHERE \"user\" = '{suspended}'"
            )),
            0,
            "{label}: unsuspend"
        );

        assert_eq!(
            env.rows("SELECT token FROM directus_sessions"),
            [[Some("admin-session".to_string())]],
            "{label}: other users' sessions stay"
        );
    }
}

each_db!(dry_runs_change_nothing_on_directus_databases);
fn dry_runs_change_nothing_on_directus_databases(b: Via) {
    for Case { label, env, .. } in cases(b) {
        let before = env.dump();
        let bytes = env.file_bytes();
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
            let out = env
                .cmd()
                .env("ROSTER_TEST_PW", NEW_PW)
                .args(args)
                .assert()
                .success();
            assert!(
                stderr_of(&out).contains("dry run"),
                "{label}: {args:?}: {}",
                stderr_of(&out)
            );
        }
        assert_eq!(env.dump(), before, "{label}");
        if env.backend == Backend::Sqlite {
            assert!(
                env.file_bytes() == bytes,
                "{label}: the SQLite file changed"
            );
        }
    }
}
