//! Schemas: `init`, unusable databases, and which flavour a database is.
use crate::common::{Via, each_db};

use super::*;

each_db!(empty_database_has_no_schema_and_refuses_every_verb, poolers);
fn empty_database_has_no_schema_and_refuses_every_verb(b: Via) {
    let env = TestEnv::empty(b);
    let mut r = repo_on_empty(&env);
    let err = fails("schema", r.schema());
    assert_eq!(err.exit_code(), 6);
    assert!(err.to_string().contains("roster init"), "{err}");
    assert_eq!(
        fails("find_user", r.find_user("a@example.com")).exit_code(),
        6,
    );
    assert_eq!(fails("list_roles", r.list_roles()).exit_code(), 6);
    assert_eq!(fails("settings", r.settings()).exit_code(), 6);
    let new = new_user("a@example.com", None, Status::Active);
    assert_eq!(
        fails("create_user", r.create_user(&new, &plain())).exit_code(),
        6,
    );
    assert!(!env.table_exists("directus_users"));
}

#[test]
fn missing_sqlite_file_is_not_created_implicitly() {
    let env = TestEnv::empty(Backend::Sqlite);
    let err = fails("open", open_at(&env, false).map(|_| ()));
    assert_eq!(err.exit_code(), 6);
    assert!(err.to_string().contains("roster init"), "{err}");
    assert!(!std::path::Path::new(&env.url).exists());
}

each_db!(init_creates_the_standalone_schema_once, poolers);
fn init_creates_the_standalone_schema_once(b: Via) {
    let env = TestEnv::empty(b);
    let mut r = repo_on_empty(&env);

    // A dry run creates nothing.
    r.init(&dry()).expect("dry init");
    assert_eq!(fails("schema after dry init", r.schema()).exit_code(), 6,);
    assert!(!env.table_exists("directus_users"));

    r.init(&plain()).expect("init");
    let schema = r.schema().expect("schema").clone();
    assert_eq!(schema.flavor, Flavor::Standalone);
    for col in [
        "id",
        "email",
        "password",
        "token",
        "tfa_secret",
        "provider",
        "company",
        "timezone",
    ] {
        assert!(schema.has(col), "directus_users.{col}");
    }
    assert!(
        schema.has_sessions && schema.has_activity && schema.has_revisions && schema.has_settings,
    );
    for t in ROSTER_TABLES {
        assert!(env.table_exists(t), "{t}");
    }
    // Directus always has directus_migrations; roster init never makes it.
    assert!(!env.table_exists("directus_migrations"));

    // An Administrator role linked to an admin policy, and one settings row.
    let roles = r.list_roles().expect("roles");
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert_eq!(roles[0].name, "Administrator");
    assert!(roles[0].admin_access && roles[0].app_access, "{roles:?}");
    assert_eq!(roles[0].users, 0);
    assert_eq!(
            env.count("SELECT count(*) FROM directus_access a JOIN directus_policies p ON p.id = a.policy WHERE a.role IS NOT NULL"),
            1,
        );
    assert_eq!(env.count("SELECT count(*) FROM directus_settings"), 1,);
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0);

    // Again, on the same connection and on a new one: a conflict.
    assert_eq!(fails("second init", r.init(&plain())).exit_code(), 4,);
    drop(r);
    let mut again = repo(&env);
    assert_eq!(
        fails("init on a new connection", again.init(&plain())).exit_code(),
        4,
    );
    assert_eq!(env.count("SELECT count(*) FROM directus_roles"), 1);
}

each_db!(
    init_refuses_a_database_that_already_has_some_of_its_tables,
    poolers
);
fn init_refuses_a_database_that_already_has_some_of_its_tables(b: Via) {
    // spec §4 init: "refuses (exit 4) a database that already has them".
    {
        let env = TestEnv::empty(b);
        let mut r = repo_on_empty(&env);
        env.exec("CREATE TABLE directus_roles (id char(36) PRIMARY KEY, name varchar(100))");
        let before = env.dump();
        let err = fails("init", r.init(&plain()));
        assert!(!env.table_exists("directus_users"), "nothing half-made");
        assert_eq!(env.dump(), before);
        assert_eq!(err.exit_code(), 4, "{err}");
    }
}

each_db!(directus_fixtures_are_recognised, poolers);
fn directus_fixtures_are_recognised(b: Via) {
    {
        let env = TestEnv::directus11(b);
        let r = repo(&env);
        let s = r.schema().expect("schema");
        assert_eq!(s.flavor, Flavor::Directus11);
        assert!(s.uses_policies());
        assert_eq!(s.deleted_value(), "archived");
        assert!(!s.has("company"));
    }
}

#[test]
fn directus_10_is_recognised() {
    let env = TestEnv::directus10();
    let r = repo(&env);
    let s = r.schema().expect("schema");
    assert_eq!(s.flavor, Flavor::Directus10);
    assert!(!s.uses_policies());
    assert_eq!(s.deleted_value(), "archived");
}

each_db!(init_refuses_a_directus_database, poolers);
fn init_refuses_a_directus_database(b: Via) {
    for (label, env) in directus_envs(b) {
        let before = env.dump();
        let mut r = repo(&env);
        assert_eq!(fails(label, r.init(&plain())).exit_code(), 4, "{label}");
        assert_eq!(env.dump(), before, "{label}");
    }
}
