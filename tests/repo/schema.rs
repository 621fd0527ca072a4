//! Schemas: `init`, unusable databases, and which flavour a database is.
use crate::common::{Via, each_db};

use super::*;

each_db!(empty_database_has_no_schema_and_refuses_every_verb, poolers);
fn empty_database_has_no_schema_and_refuses_every_verb(b: Via) {
    let env = TestEnv::empty(b);
    let mut r = repo_on_empty(&env);
    let err = refused("schema", 6, r.schema());
    assert!(err.to_string().contains("roster init"), "{err}");
    refused("find_user", 6, r.find_user("a@example.com"));
    refused("list_roles", 6, r.list_roles());
    refused("settings", 6, r.settings());
    let new = new_user("a@example.com", None, Status::Active);
    refused("create_user", 6, r.create_user(&new, &plain()));
    assert!(!env.table_exists("directus_users"));
}

#[test]
fn missing_sqlite_file_is_not_created_implicitly() {
    let env = TestEnv::empty(Backend::Sqlite);
    let err = refused("open", 6, open_at(&env, false).map(|_| ()));
    assert!(err.to_string().contains("roster init"), "{err}");
    assert!(!std::path::Path::new(&env.url).exists());
}

each_db!(a_dry_init_creates_nothing_and_a_real_one_follows, poolers);
fn a_dry_init_creates_nothing_and_a_real_one_follows(b: Via) {
    let env = TestEnv::empty(b);
    let mut r = repo_on_empty(&env);
    r.init(&dry()).expect("dry init");
    refused("schema after dry init", 6, r.schema());
    assert!(!env.table_exists("directus_users"));
    // The same connection then makes it for real.
    r.init(&plain()).expect("init");
    assert_eq!(r.schema().expect("schema").flavor, Flavor::Standalone);
}

each_db!(init_creates_the_standalone_schema, poolers);
fn init_creates_the_standalone_schema(b: Via) {
    let (env, r) = standalone(b);
    let schema = r.schema().expect("schema").clone();
    assert_eq!(schema.flavor, Flavor::Standalone);
    let columns = [
        "id",
        "email",
        "password",
        "token",
        "tfa_secret",
        "provider",
        "company",
        "timezone",
    ];
    for col in columns {
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
}

each_db!(
    init_makes_an_administrator_role_and_one_settings_row,
    poolers
);
fn init_makes_an_administrator_role_and_one_settings_row(b: Via) {
    let (env, mut r) = standalone(b);
    // The role is linked to an admin policy.
    let roles = r.list_roles().expect("roles");
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert_eq!(roles[0].name, "Administrator");
    assert!(roles[0].admin_access && roles[0].app_access, "{roles:?}");
    assert_eq!(roles[0].users, 0);
    assert_eq!(
        env.count("SELECT count(*) FROM directus_access a JOIN directus_policies p ON p.id = a.policy WHERE a.role IS NOT NULL"),
        1,
    );
    assert_eq!(env.count("SELECT count(*) FROM directus_settings"), 1);
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0);
}

each_db!(init_twice_is_a_conflict, poolers);
fn init_twice_is_a_conflict(b: Via) {
    // Again, on the same connection and on a new one.
    let (env, mut r) = standalone(b);
    refused("second init", 4, r.init(&plain()));
    drop(r);
    let mut again = repo(&env);
    refused("init on a new connection", 4, again.init(&plain()));
    assert_eq!(env.count("SELECT count(*) FROM directus_roles"), 1);
}

each_db!(
    init_refuses_a_database_that_already_has_some_of_its_tables,
    poolers
);
fn init_refuses_a_database_that_already_has_some_of_its_tables(b: Via) {
    // spec §4 init: "refuses (exit 4) a database that already has them".
    let env = TestEnv::empty(b);
    let mut r = repo_on_empty(&env);
    env.exec("CREATE TABLE directus_roles (id char(36) PRIMARY KEY, name varchar(100))");
    let before = env.dump();
    refused("init", 4, r.init(&plain()));
    assert!(!env.table_exists("directus_users"), "nothing half-made");
    assert_eq!(env.dump(), before);
}

each_db!(directus_fixtures_are_recognised, poolers);
fn directus_fixtures_are_recognised(b: Via) {
    let env = TestEnv::directus11(b);
    let r = repo(&env);
    let s = r.schema().expect("schema");
    assert_eq!(s.flavor, Flavor::Directus11);
    assert!(s.uses_policies());
    assert_eq!(s.deleted_value(), "archived");
    assert!(!s.has("company"));
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
        refused(label, 4, r.init(&plain()));
        assert_eq!(env.dump(), before, "{label}");
    }
}
