//! A user base moving whole between databases: every account column, SSO users
//! and secrets, through `export --with-secrets` and `import`, SQLite → PostgreSQL
//! → MariaDB → SQLite, each hop into an empty Directus database.

use super::{as_imported, export_all, to_the_second};
use crate::common::{Backend, TestEnv, Via};

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
