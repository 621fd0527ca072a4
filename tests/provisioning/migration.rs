//! A user base moving whole between databases: every account column, SSO users
//! and secrets, through `export --with-secrets` and `import`, SQLite → PostgreSQL
//! → MariaDB → SQLite, each hop into an empty Directus database.

use super::{as_imported, export_all, to_the_second};
use crate::common::*;

/// The Editor role's id in the Directus 11.3.5 fixtures.
const EDITOR_ROLE: &str = "dec19c14-ae17-456c-be7b-ef8e47a076d1";
/// The SSO user the source gains.
const SSO: &str = "sso@example.com";

/// The 11.3.5 fixture with every account column of the editor set, and an
/// active SSO user (no password) that logged in an instant with milliseconds.
fn source() -> TestEnv {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.exec(&format!(
        "UPDATE directus_users SET location = 'Berlin', description = 'Line one' || char(10) || 'line two', \
           tags = '[\"staff\", \"berlin\"]', appearance = 'dark', theme_dark = 'Directus Default', \
           theme_light = 'Directus Color Match', theme_light_overrides = '{{\"primary\": \"#6644ff\"}}', \
           theme_dark_overrides = '{{}}', last_page = '/content/articles', title = 'Chief editor', \
           language = 'de-DE', email_notifications = 0 \
         WHERE email = 'editor@example.com';\
         INSERT INTO directus_users (id, email, first_name, status, role, provider, external_identifier, \
           auth_data, last_access) \
         VALUES ('7b0c3b55-6a1e-4a55-9e43-3c1c8f0f2b11', '{SSO}', 'Sso', 'active', '{EDITOR_ROLE}', \
           'keycloak', 'kc-1234', '{{\"refresh_token\": \"r-123\"}}', 1795743538123);"
    ));
    env
}

/// A Directus 11.3.5 database on `via` without users (its roles stay).
fn empty_directus(via: Via) -> TestEnv {
    let env = TestEnv::directus11(via);
    env.exec("DELETE FROM directus_users");
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0);
    env
}

/// Imports a document into an empty Directus database and exports it again.
fn hop(doc: &str, via: Via) -> (TestEnv, String) {
    let env = empty_directus(via);
    env.roster(["import", "-"]).stdin(doc).succeeds();
    let again = export_all(&env);
    (env, again)
}

/// The columns two databases must hold alike, as text, for one user (roles move
/// by name, which the exports compare: each fixture has its own role ids).
fn stored(env: &TestEnv, email: &str) -> Vec<Option<String>> {
    let texts = [
        "id",
        "first_name",
        "last_name",
        "password",
        "location",
        "title",
        "description",
        "language",
        "tfa_secret",
        "status",
        "token",
        "last_page",
        "provider",
        "external_identifier",
        "appearance",
        "theme_dark",
        "theme_light",
    ];
    let mut values: Vec<Option<String>> = texts.iter().map(|c| env.col(email, c)).collect();
    for json in [
        "tags",
        "auth_data",
        "theme_light_overrides",
        "theme_dark_overrides",
    ] {
        let text = env.col(email, json);
        let parsed = text.map(|t| serde_json::from_str::<serde_json::Value>(&t).unwrap());
        values.push(parsed.map(|v| v.to_string()));
    }
    values
}

/// Every user's stored columns, the same on both databases.
fn same_rows(a: &TestEnv, b: &TestEnv) {
    for email in [
        "admin@example.com",
        "editor@example.com",
        "invited@example.com",
        SSO,
    ] {
        assert_eq!(stored(a, email), stored(b, email), "{email}");
    }
}

#[test]
fn a_user_base_moves_whole_between_sqlite_databases() {
    let src = source();
    let doc = export_all(&src);
    let (dst, again) = hop(&doc, Via::SQLITE);
    assert_eq!(again, as_imported(&doc));
    same_rows(&src, &dst);
    // The SSO user stays an SSO user: no password, its provider and identity kept.
    assert_eq!(dst.col(SSO, "password"), None);
    assert_eq!(dst.status_of(SSO), "active");
    assert_eq!(dst.col(SSO, "provider").as_deref(), Some("keycloak"));
    assert_eq!(
        dst.col(SSO, "last_access").as_deref(),
        Some("1795743538123")
    );
}

#[test]
#[cfg_attr(
    not(all(any(postgres_tests, require_postgres), any(mysql_tests, require_mysql))),
    ignore = "needs ROSTER_TEST_POSTGRES_URL and ROSTER_TEST_MYSQL_URL"
)]
fn a_user_base_moves_whole_sqlite_postgres_mysql_sqlite() {
    let src = source();
    let doc = as_imported(&export_all(&src));
    let (pg, from_pg) = hop(&doc, Via::POSTGRES.require());
    assert_eq!(from_pg, doc, "SQLite → PostgreSQL");
    same_rows(&src, &pg);
    let (my, from_my) = hop(&from_pg, Via::MYSQL.require());
    assert_eq!(from_my, to_the_second(&doc), "PostgreSQL → MariaDB");
    same_rows(&src, &my);
    let (back, from_back) = hop(&from_my, Via::SQLITE);
    assert_eq!(from_back, to_the_second(&doc), "MariaDB → SQLite");
    same_rows(&src, &back);
    // Importing its own export again changes nothing anywhere.
    for (env, doc) in [(&pg, &from_pg), (&my, &from_my), (&back, &from_back)] {
        let ran = env
            .roster(["import", "-", "--on-conflict", "update", "--format", "json"])
            .stdin(doc.clone())
            .succeeds();
        assert_eq!(ran.json()["updated"], 0, "{}", ran.out());
    }
}

/// Runs `examples/move.sh FROM TO`, the README's way to move a project.
fn move_project(from: &TestEnv, to: &TestEnv) -> std::process::Output {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/move.sh");
    let out = std::process::Command::new("bash")
        .arg(script)
        .args([&from.url, &to.url])
        .env("ROSTER", env!("CARGO_BIN_EXE_roster"))
        .env_remove("ROSTER_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env_remove("ROSTER_CONFIG")
        .env("HOME", to.dir.path())
        .env("XDG_CONFIG_HOME", to.dir.path().join("config"))
        .env("NO_COLOR", "1")
        .current_dir(to.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The `[[roles]]` and `[[policies]]` an export with roles begins with.
fn roles_of(env: &TestEnv) -> String {
    let doc = env
        .roster(["export", "--with-roles", "--output-format", "toml"])
        .succeeds()
        .out();
    doc.split("[[users]]")
        .next()
        .unwrap_or_default()
        .to_string()
}

each_db!(the_readme_s_move_rebuilds_roles_policies_and_users_in_an_empty_project);
fn the_readme_s_move_rebuilds_roles_policies_and_users_in_an_empty_project(b: Via) {
    let src = source();
    // A role whose access comes from a policy of another name, which a user holds too.
    src.roster(["roles", "create", "Reviewers"]).succeeds();
    src.exec(
        "INSERT INTO directus_policies (id, name, icon, admin_access, app_access, enforce_tfa) \
           VALUES ('9e0c1d2e-0000-4000-8000-00000000c0de', 'Content', 'badge', 0, 1, 1);\
         INSERT INTO directus_access (id, role, policy, sort) SELECT '9e0c1d2e-0000-4000-8000-0000000000a1', \
           id, '9e0c1d2e-0000-4000-8000-00000000c0de', 1 FROM directus_roles WHERE name = 'Reviewers';\
         INSERT INTO directus_access (id, \"user\", policy, sort) SELECT '9e0c1d2e-0000-4000-8000-0000000000a2', \
           id, '9e0c1d2e-0000-4000-8000-00000000c0de', 1 FROM directus_users WHERE email = 'editor@example.com';",
    );
    let dst = TestEnv::standalone(b);
    let out = move_project(&src, &dst);
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(plan.contains("+ role Reviewers\n"), "{plan}");
    assert!(
        plan.contains("+ policy Content → user editor@example.com\n"),
        "{plan}"
    );
    assert_eq!(roles_of(&dst), roles_of(&src));
    assert_eq!(
        export_all(&dst),
        super::as_imported_into(&export_all(&src), b)
    );
    let listed = dst
        .roster(["roles", "list", "--format", "json"])
        .succeeds()
        .json();
    let reviewers = &listed[2];
    assert_eq!(reviewers["name"], "Reviewers");
    assert_eq!(reviewers["app_access"], true, "{listed}");
    // Moved again: the plan is empty and nothing is written.
    let again = move_project(&src, &dst);
    assert_eq!(String::from_utf8_lossy(&again.stdout), "");
}

#[test]
fn with_roles_writes_an_apply_file_only() {
    let env = TestEnv::directus11(Backend::Sqlite);
    env.roster(["export", "--with-roles"])
        .fails(2)
        .stderr("error: --with-roles writes an apply file: give --output-format toml\n");
    let old = TestEnv::directus10();
    let path = crate::write(
        &old,
        "p.toml",
        "[[policies]]\nname = \"Content\"\napp_access = true\nroles = [\"Editor\"]\n",
    );
    old.roster(["apply"]).arg(&path).fails(5).stderr(
        "error: [[policies]] need Directus 11 or later: this database keeps access on its roles\n",
    );
    let path = crate::write(
        &env,
        "p.toml",
        "[[policies]]\nname = \"Content\"\napp_access = true\nusers = [\"nobody@example.com\"]\n",
    );
    env.roster(["apply"])
        .arg(&path)
        .fails(3)
        .stderr("error: policies[0]: no user nobody@example.com\n");
}
