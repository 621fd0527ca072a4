//! The life of a user account on roster's standalone schema, on every backend:
//! create, invite, activate, suspend, unsuspend, soft-delete, re-inheritance of a
//! soft-deleted row, last-admin protection, `--if-not-exists`, several USER args
//! (spec §3 and §4).
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a failure is a test failure

mod common;
use common::{TestEnv, backends, json_of, stderr_of, stdout_of};

/// The password most tests use (read with `--password-stdin`).
const PW: &str = "Str0ng!Pass\n";

// ---------------------------------------------------------------- helpers

fn role_id(env: &TestEnv, name: &str) -> String {
    env.value(&format!(
        "SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = '{name}'"
    ))
    .unwrap()
}

fn user_count(env: &TestEnv) -> usize {
    env.value("SELECT count(*) FROM directus_users")
        .unwrap()
        .parse()
        .unwrap()
}

fn is_lower_v4_uuid(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4)
        && id == id.to_lowercase()
        && id.len() == 36
}

// ---------------------------------------------------------------- create / invite / activate

#[test]
fn create_stores_an_active_user_with_profile_hash_and_audit() {
    for b in backends() {
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
        assert!(is_lower_v4_uuid(&id), "{b:?}: {id}");
        assert_eq!(
            stderr_of(&a),
            format!("created active user {email} ({id})\n"),
            "{b:?}"
        );
        assert_eq!(
            stdout_of(&a),
            "",
            "{b:?}: nothing on stdout without a generated password"
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
        assert_eq!(row, vec![want], "{b:?}");
        let hash = env.col(email, "password").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
            "{b:?}: {hash}"
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
            "{b:?}"
        );
        let data = env
            .value(&format!(
                "SELECT CAST(data AS TEXT) FROM directus_revisions WHERE item = '{id}'"
            ))
            .unwrap();
        let data: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert_eq!(data["password"], "**********", "{b:?}");
        assert_eq!(data["email"], email, "{b:?}");
    }
}

#[test]
fn create_defaults_email_notifications_on_and_accepts_a_role_id() {
    for b in backends() {
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
            "{b:?}"
        );
    }
}

#[test]
fn create_as_draft_then_activate() {
    for b in backends() {
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
            "{b:?}"
        );
        assert_eq!(env.status_of("dra@example.com"), "draft", "{b:?}");
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
        assert!(
            stderr_of(&refused).contains("a draft user has no password"),
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");

        let a = env
            .cmd()
            .args(["activate", "DRA@example.com", "--password-stdin"])
            .write_stdin("An0ther!Pass\n")
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "set the password of dra@example.com and activated the user\n",
            "{b:?}"
        );
        assert_eq!(env.status_of("dra@example.com"), "active", "{b:?}");
        let hash = env.col("dra@example.com", "password").unwrap();
        assert!(roster::password::verify("An0ther!Pass", &hash), "{b:?}");
    }
}

#[test]
fn invite_makes_a_user_without_password_that_activate_completes() {
    for b in backends() {
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
            "{b:?}"
        );
        assert_eq!(env.status_of("inv@example.com"), "invited", "{b:?}");
        assert_eq!(env.col("inv@example.com", "password"), None, "{b:?}");
        assert_eq!(
            env.col("inv@example.com", "provider").as_deref(),
            Some("default"),
            "{b:?}"
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
            "{b:?}"
        );
        assert_eq!(env.status_of("inv@example.com"), "active", "{b:?}");
        assert!(
            env.col("inv@example.com", "password")
                .unwrap()
                .starts_with("$argon2id$"),
            "{b:?}"
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
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

#[test]
fn activate_refuses_suspended_and_deleted_users() {
    for b in backends() {
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
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");

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
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

// ---------------------------------------------------------------- suspend / unsuspend / soft-delete

#[test]
fn suspend_from_draft_invited_and_active_then_noop() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        for from in ["draft", "invited", "active"] {
            let email = format!("{from}@example.com");
            env.user_with_status(&email, "Editor", from);
            let a = env.cmd().args(["suspend", &email]).assert().code(0);
            assert_eq!(
                stderr_of(&a),
                format!("suspended {email} (was {from})\n"),
                "{b:?}"
            );
            assert_eq!(env.status_of(&email), "suspended", "{b:?}");

            let before = env.dump();
            let a = env
                .cmd()
                .args(["suspend", &email.to_uppercase()])
                .assert()
                .code(0);
            assert_eq!(
                stderr_of(&a),
                format!("{email} is already suspended; nothing to do\n"),
                "{b:?}"
            );
            assert_eq!(
                env.dump(),
                before,
                "{b:?}: a no-op writes nothing, audit included"
            );
        }
    }
}

#[test]
fn unsuspend_returns_to_active_and_refuses_other_statuses() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        env.user_with_status("sus@example.com", "Editor", "active");
        env.cmd()
            .args(["suspend", "sus@example.com"])
            .assert()
            .code(0);
        let a = env
            .cmd()
            .args(["unsuspend", "sus@example.com"])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "unsuspended sus@example.com (was suspended)\n",
            "{b:?}"
        );
        assert_eq!(env.status_of("sus@example.com"), "active", "{b:?}");

        let before = env.dump();
        let a = env
            .cmd()
            .args(["unsuspend", "sus@example.com"])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "sus@example.com is already active; nothing to do\n",
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");

        for from in ["invited", "draft", "deleted"] {
            let email = format!("u-{from}@example.com");
            env.user_with_status(&email, "Editor", from);
            let before = env.dump();
            let a = env.cmd().args(["unsuspend", &email]).assert().code(4);
            assert_eq!(
                stderr_of(&a),
                format!(
                    "error: cannot unsuspend {email}: the user is {from}\n{}",
                    unsuspend_hint(from)
                ),
                "{b:?}"
            );
            assert_eq!(env.dump(), before, "{b:?}");
        }
    }
}

#[test]
fn soft_delete_keeps_the_row_and_is_idempotent() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        for from in ["draft", "invited", "active", "suspended"] {
            let email = format!("{from}@example.com");
            let id = env.user_with_status(&email, "Editor", from);
            let a = env
                .cmd()
                .args(["soft-delete", &email, "--yes"])
                .assert()
                .code(0);
            assert_eq!(
                stderr_of(&a),
                format!("soft-deleted {email} (was {from})\n"),
                "{b:?}"
            );
            assert_eq!(env.id_of(&email), id, "{b:?}: the row and its id stay");
            assert_eq!(
                env.status_of(&email),
                "deleted",
                "{b:?}: the standalone schema says deleted"
            );

            let before = env.dump();
            let a = env
                .cmd()
                .args(["soft-delete", &id, "--yes"])
                .assert()
                .code(0);
            assert_eq!(
                stderr_of(&a),
                format!("{email} is already deleted; nothing to do\n"),
                "{b:?}"
            );
            assert_eq!(env.dump(), before, "{b:?}");
        }
        assert_eq!(user_count(&env), 4, "{b:?}: no row is ever removed");

        // A deleted user can be neither suspended nor unsuspended.
        let before = env.dump();
        let a = env
            .cmd()
            .args(["suspend", "active@example.com"])
            .assert()
            .code(4);
        assert_eq!(
            stderr_of(&a),
            "error: cannot suspend active@example.com: the user is deleted\nhint: `roster create` or `roster invite` of the same email restores a soft-deleted user\n",
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");

        // Listing hides deleted users unless asked; show reads them as deleted.
        let a = env
            .cmd()
            .args(["list", "--format", "json"])
            .assert()
            .code(0);
        let listed = json_of(&a);
        assert_eq!(listed, serde_json::json!([]), "{b:?}");
        let a = env
            .cmd()
            .args(["list", "--status", "deleted", "--format", "json"])
            .assert()
            .code(0);
        let listed = json_of(&a);
        assert_eq!(listed.as_array().unwrap().len(), 4, "{b:?}");
        let a = env
            .cmd()
            .args(["show", "draft@example.com", "--format", "json"])
            .assert()
            .code(0);
        let shown = json_of(&a);
        assert_eq!(shown["status"], "deleted", "{b:?}");
    }
}

// ---------------------------------------------------------------- re-inheritance

#[test]
fn create_revives_a_soft_deleted_user_keeping_its_details() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        env.cmd()
            .args([
                "create",
                "rev@example.com",
                "--role",
                "Editor",
                "--password-stdin",
                "--first-name",
                "Old",
                "--last-name",
                "Name",
                "--title",
                "Chef",
                "--company",
                "Acme",
                "--timezone",
                "Europe/Paris",
                "--language",
                "fr-FR",
            ])
            .write_stdin(PW)
            .assert()
            .code(0);
        let id = env.id_of("rev@example.com");
        let old_hash = env.col("rev@example.com", "password").unwrap();
        env.exec(&format!(
                "UPDATE directus_users SET token = 'tok-rev-0123456789abcdef0123456789', tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{id}'"
            ));
        env.cmd()
            .args(["soft-delete", "rev@example.com", "--yes"])
            .assert()
            .code(0);

        // No --role: a revived user keeps its old one.
        let a = env
            .cmd()
            .args([
                "create",
                "REV@Example.com",
                "--password-stdin",
                "--first-name",
                "New",
            ])
            .write_stdin("N3w!Password\n")
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            format!(
                "restored soft-deleted user rev@example.com ({id}) as active, keeping its earlier details\n"
            ),
            "{b:?}"
        );
        assert_eq!(
            user_count(&env),
            1,
            "{b:?}: never a second row for the same email"
        );
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
        assert_eq!(row, vec![want], "{b:?}");
        let new_hash = env.col("rev@example.com", "password").unwrap();
        assert!(new_hash.starts_with("$argon2id$"), "{b:?}");
        assert_ne!(new_hash, old_hash, "{b:?}: new credentials");
    }
}

#[test]
fn invite_revives_a_soft_deleted_user_with_a_new_role() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        let id = env.invite("back@example.com", "Editor");
        env.exec(&format!(
            "UPDATE directus_users SET title = 'Boss', status = 'active' WHERE id = '{id}'"
        ));
        env.cmd()
            .args(["soft-delete", "back@example.com", "--yes"])
            .assert()
            .code(0);

        let a = env
            .cmd()
            .args(["invite", "Back@example.com", "--role", "Administrator"])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            format!(
                "restored soft-deleted user back@example.com ({id}) as invited, keeping its earlier details\n"
            ),
            "{b:?}"
        );
        assert_eq!(user_count(&env), 1, "{b:?}");
        assert_eq!(env.id_of("back@example.com"), id, "{b:?}");
        assert_eq!(env.status_of("back@example.com"), "invited", "{b:?}");
        assert_eq!(env.col("back@example.com", "password"), None, "{b:?}");
        assert_eq!(
            env.col("back@example.com", "title").as_deref(),
            Some("Boss"),
            "{b:?}"
        );
        assert_eq!(
            env.col("back@example.com", "role"),
            Some(role_id(&env, "Administrator")),
            "{b:?}"
        );
    }
}

#[test]
fn create_json_reports_created_and_restored() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        let a = env
            .cmd()
            .args([
                "invite",
                "j@example.com",
                "--role",
                "Editor",
                "--format",
                "json",
            ])
            .assert()
            .code(0);
        let out = json_of(&a);
        let id = env.id_of("j@example.com");
        assert_eq!(out["result"], "created", "{b:?}");
        assert_eq!(out["dry_run"], false, "{b:?}");
        assert_eq!(out["user"]["id"], id.as_str(), "{b:?}");
        assert_eq!(out["user"]["status"], "invited", "{b:?}");
        assert_eq!(out["user"]["role"], "Editor", "{b:?}");
        assert!(out.get("password").is_none(), "{b:?}");

        env.cmd()
            .args(["soft-delete", "j@example.com", "--yes"])
            .assert()
            .code(0);
        let a = env
            .cmd()
            .args(["invite", "j@example.com", "--format", "json"])
            .assert()
            .code(0);
        let out = json_of(&a);
        assert_eq!(out["result"], "restored", "{b:?}");
        assert_eq!(out["user"]["id"], id.as_str(), "{b:?}");
    }
}

// ---------------------------------------------------------------- --if-not-exists

#[test]
fn if_not_exists_is_a_quiet_noop_for_live_users_only() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        env.invite("here@example.com", "Editor");
        let before = env.dump();

        // Without the flag: a conflict, whether or not a role is named.
        let a = env
            .cmd()
            .args(["create", "HERE@example.com", "--password-stdin"])
            .write_stdin(PW)
            .assert()
            .code(4);
        assert_eq!(
            stderr_of(&a),
            "error: a user with email here@example.com already exists (status invited)\n",
            "{b:?}"
        );
        let a = env
            .cmd()
            .args(["invite", "here@example.com", "--role", "Editor"])
            .assert()
            .code(4);
        assert_eq!(
            stderr_of(&a),
            "error: a user with email here@example.com already exists (status invited)\n",
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");

        // With it: exit 0, nothing changed.
        let a = env
            .cmd()
            .args([
                "create",
                "here@example.com",
                "--role",
                "Editor",
                "--if-not-exists",
                "--password-stdin",
            ])
            .write_stdin(PW)
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "a user with email here@example.com already exists (status invited); nothing changed\n",
            "{b:?}"
        );
        let a = env
            .cmd()
            .args([
                "invite",
                "here@example.com",
                "--if-not-exists",
                "--format",
                "json",
            ])
            .assert()
            .code(0);
        let out = json_of(&a);
        assert_eq!(out["result"], "exists", "{b:?}");
        assert_eq!(out["user"]["email"], "here@example.com", "{b:?}");
        assert_eq!(env.dump(), before, "{b:?}");

        // A soft-deleted user does not count as existing: it is revived.
        env.cmd()
            .args(["soft-delete", "here@example.com", "--yes"])
            .assert()
            .code(0);
        let a = env
            .cmd()
            .args(["invite", "here@example.com", "--if-not-exists"])
            .assert()
            .code(0);
        assert!(
            stderr_of(&a).starts_with("restored soft-deleted user here@example.com"),
            "{b:?}"
        );
        assert_eq!(env.status_of("here@example.com"), "invited", "{b:?}");
        assert_eq!(user_count(&env), 1, "{b:?}");
    }
}

// ---------------------------------------------------------------- last administrator

#[test]
fn the_last_active_administrator_is_protected() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        env.user_with_status("admin1@example.com", "Administrator", "active");
        env.user_with_status("ed@example.com", "Editor", "active");
        // Admin-role users who are not active do not count.
        env.user_with_status("inv-admin@example.com", "Administrator", "invited");
        env.user_with_status("sus-admin@example.com", "Administrator", "suspended");
        let refusal = "error: admin1@example.com is the last active administrator; roster will not lock \
                       everyone out (use --force to do it anyway)\n";

        let before = env.dump();
        let a = env
            .cmd()
            .args(["suspend", "admin1@example.com"])
            .assert()
            .code(4);
        assert_eq!(stderr_of(&a), refusal, "{b:?}");
        let a = env
            .cmd()
            .args(["soft-delete", "admin1@example.com", "--yes"])
            .assert()
            .code(4);
        assert_eq!(stderr_of(&a), refusal, "{b:?}");
        assert_eq!(env.dump(), before, "{b:?}");

        // Non-admins are not affected.
        env.cmd()
            .args(["suspend", "ed@example.com"])
            .assert()
            .code(0);

        // With a second active admin, one of them may go; then the other is the last.
        env.user_with_status("admin2@example.com", "Administrator", "active");
        env.cmd()
            .args(["suspend", "admin2@example.com"])
            .assert()
            .code(0);
        assert_eq!(env.status_of("admin2@example.com"), "suspended", "{b:?}");
        env.cmd()
            .args(["suspend", "admin1@example.com"])
            .assert()
            .code(4);
        assert_eq!(env.status_of("admin1@example.com"), "active", "{b:?}");

        // Unsuspending brings the second admin back, so suspending the first works again.
        env.cmd()
            .args(["unsuspend", "admin2@example.com"])
            .assert()
            .code(0);
        env.cmd()
            .args(["suspend", "admin1@example.com"])
            .assert()
            .code(0);
        let refusal2 = refusal.replace("admin1@", "admin2@");
        let a = env
            .cmd()
            .args(["soft-delete", "admin2@example.com", "--yes"])
            .assert()
            .code(4);
        assert_eq!(stderr_of(&a), refusal2, "{b:?}");
    }
}

#[test]
fn force_overrides_the_last_administrator_protection() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        env.user_with_status("a1@example.com", "Administrator", "active");
        let a = env
            .cmd()
            .args(["suspend", "a1@example.com", "--force"])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "suspended a1@example.com (was active)\n",
            "{b:?}"
        );
        assert_eq!(env.status_of("a1@example.com"), "suspended", "{b:?}");

        env.user_with_status("a2@example.com", "Administrator", "active");
        env.cmd()
            .args(["soft-delete", "a2@example.com", "--yes"])
            .assert()
            .code(4);
        env.cmd()
            .args(["soft-delete", "a2@example.com", "--yes", "--force"])
            .assert()
            .code(0);
        assert_eq!(env.status_of("a2@example.com"), "deleted", "{b:?}");
    }
}

#[test]
fn admins_through_a_user_access_row_or_a_parent_role_are_protected_too() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        env.cmd()
            .args(["roles", "create", "Child"])
            .assert()
            .success();
        let admin_role = role_id(&env, "Administrator");
        let policy = env
            .value(&format!(
                "SELECT CAST(policy AS TEXT) FROM directus_access WHERE role = '{admin_role}'"
            ))
            .unwrap();

        // An Editor with the admin policy on their own access row is an administrator.
        let direct = env.user_with_status("direct@example.com", "Editor", "active");
        env.exec(&format!(
            "INSERT INTO directus_access (id, role, \"user\", policy, sort) \
                 VALUES ('{}', NULL, '{direct}', '{policy}', 1)",
            uuid::Uuid::new_v4()
        ));
        let a = env
            .cmd()
            .args(["suspend", "direct@example.com"])
            .assert()
            .code(4);
        assert!(
            stderr_of(&a).contains("is the last active administrator"),
            "{b:?}: {}",
            stderr_of(&a)
        );
        let a = env
            .cmd()
            .args(["show", "direct@example.com", "--format", "json"])
            .assert()
            .code(0);
        let shown = json_of(&a);
        assert_eq!(shown["admin"], true, "{b:?}");
        env.cmd()
            .args(["suspend", "direct@example.com", "--force"])
            .assert()
            .code(0);

        // A user whose role's parent has the admin policy is one too.
        env.exec(&format!(
            "UPDATE directus_roles SET parent = '{admin_role}' WHERE name = 'Child'"
        ));
        env.user_with_status("child@example.com", "Child", "active");
        let a = env
            .cmd()
            .args(["soft-delete", "--yes", "child@example.com"])
            .assert()
            .code(4);
        assert!(
            stderr_of(&a).contains("is the last active administrator"),
            "{b:?}: {}",
            stderr_of(&a)
        );
        assert_eq!(env.status_of("child@example.com"), "active", "{b:?}");
    }
}

#[test]
fn suspending_the_last_two_admins_at_once_changes_nothing() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        env.user_with_status("a1@example.com", "Administrator", "active");
        env.user_with_status("a2@example.com", "Administrator", "active");
        for cmd in [vec!["suspend"], vec!["soft-delete", "--yes"]] {
            let before = env.dump();
            let a = env
                .cmd()
                .args(&cmd)
                .args(["a1@example.com", "a2@example.com"])
                .assert()
                .code(4);
            let err = stderr_of(&a);
            assert!(
                err.contains("is the last active administrator"),
                "{b:?}: {err}"
            );
            assert_eq!(env.dump(), before, "{b:?}: {cmd:?} must be all-or-nothing");
        }
    }
}

#[test]
fn dry_run_of_suspending_the_last_two_admins_is_refused_too() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        env.user_with_status("a1@example.com", "Administrator", "active");
        env.user_with_status("a2@example.com", "Administrator", "active");
        for cmd in [vec!["suspend"], vec!["soft-delete", "--yes"]] {
            let before = env.dump();
            env.cmd()
                .args(&cmd)
                .args(["a1@example.com", "a2@example.com", "--dry-run"])
                .assert()
                .code(4);
            assert_eq!(env.dump(), before, "{b:?}");
        }
    }
}

// ---------------------------------------------------------------- several USER args, ids

#[test]
fn several_users_in_one_command() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        env.user_with_status("a@example.com", "Editor", "active");
        env.user_with_status("b@example.com", "Editor", "active");
        let c = env.user_with_status("c@example.com", "Editor", "invited");

        // By email in any case, and by id (upper-case too).
        let a = env
            .cmd()
            .args([
                "suspend",
                "a@example.com",
                "B@EXAMPLE.COM",
                &c.to_uppercase(),
            ])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "suspended a@example.com (was active)\nsuspended b@example.com (was active)\n\
             suspended c@example.com (was invited)\n",
            "{b:?}"
        );
        for e in ["a", "b", "c"] {
            assert_eq!(
                env.status_of(&format!("{e}@example.com")),
                "suspended",
                "{b:?}"
            );
        }

        // Mixed: one already there is a no-op, the other changes; JSON tells which.
        env.cmd()
            .args(["unsuspend", "a@example.com"])
            .assert()
            .code(0);
        let a = env
            .cmd()
            .args([
                "suspend",
                "a@example.com",
                "b@example.com",
                "--format",
                "json",
            ])
            .assert()
            .code(0);
        let out = json_of(&a);
        assert_eq!(
            out,
            serde_json::json!([
                {"id": env.id_of("a@example.com"), "email": "a@example.com", "previous_status": "active",
                 "status": "suspended", "changed": true, "dry_run": false},
                {"id": env.id_of("b@example.com"), "email": "b@example.com", "previous_status": "suspended",
                 "status": "suspended", "changed": false, "dry_run": false},
            ]),
            "{b:?}"
        );

        // The same user named twice (email and id) changes once.
        let a = env
            .cmd()
            .args(["unsuspend", "c@example.com", &c])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "unsuspended c@example.com (was suspended)\n",
            "{b:?}"
        );

        // One unknown user: nothing changes for the others.
        let before = env.dump();
        let a = env
            .cmd()
            .args([
                "unsuspend",
                "a@example.com",
                "nobody@example.com",
                "b@example.com",
            ])
            .assert()
            .code(3);
        assert_eq!(
            stderr_of(&a),
            "error: no user nobody@example.com\n",
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");

        // One user whose status forbids the change: nothing changes for the others.
        env.user_with_status("d@example.com", "Editor", "deleted");
        let before = env.dump();
        let a = env
            .cmd()
            .args(["unsuspend", "a@example.com", "d@example.com"])
            .assert()
            .code(4);
        assert_eq!(
            stderr_of(&a),
            format!(
                "error: cannot unsuspend d@example.com: the user is deleted\n{}",
                unsuspend_hint("deleted")
            ),
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");

        // soft-delete takes several users too.
        env.cmd()
            .args(["soft-delete", "--yes", "a@example.com", "b@example.com"])
            .assert()
            .code(0);
        assert_eq!(env.status_of("a@example.com"), "deleted", "{b:?}");
        assert_eq!(env.status_of("b@example.com"), "deleted", "{b:?}");
        assert_eq!(env.status_of("c@example.com"), "active", "{b:?}");
    }
}

#[test]
fn users_are_found_by_id_and_by_email_in_any_case() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        let id = env.invite("mixed@example.com", "Editor");
        for key in [
            id.clone(),
            id.to_uppercase(),
            "MIXED@Example.Com".to_string(),
            " mixed@example.com ".into(),
        ] {
            let a = env
                .cmd()
                .args(["show", &key, "--format", "json"])
                .assert()
                .code(0);
            let out = json_of(&a);
            assert_eq!(out["id"], id.as_str(), "{b:?}: {key}");
            assert_eq!(out["email"], "mixed@example.com", "{b:?}: {key}");
        }
    }
}

#[test]
fn a_revived_user_whose_role_was_deleted_needs_a_role_again() {
    for b in backends() {
        let env = TestEnv::directus11(b);
        env.exec("UPDATE directus_users SET role = NULL WHERE email = 'archived@example.com'");
        let before = env.dump();
        let out = env
            .cmd()
            .args(["invite", "archived@example.com"])
            .assert()
            .code(2);
        assert!(
            stderr_of(&out).contains("needs a role"),
            "{b:?}: {}",
            stderr_of(&out)
        );
        assert_eq!(env.dump(), before, "{b:?}");
        env.cmd()
            .args(["invite", "archived@example.com", "--role", "Editor"])
            .assert()
            .success();
        assert_eq!(env.status_of("archived@example.com"), "invited", "{b:?}");
    }
}

/// The hint roster adds when unsuspending a user in `from`.
fn unsuspend_hint(from: &str) -> &'static str {
    match from {
        "deleted" => {
            "hint: `roster create` or `roster invite` of the same email restores a soft-deleted user\n"
        }
        _ => {
            "hint: `roster activate` gives an invited or draft user a password and makes it active\n"
        }
    }
}
