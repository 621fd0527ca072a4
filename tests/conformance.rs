//! Repository conformance: every behaviour of the `Repo` trait, driven directly
//! (not through the CLI), on every backend in `common::backends()`, on PostgreSQL
//! through each configured PgBouncer pooling mode too, and, where a story
//! applies, on the Directus 11.3.5 and 10.13.4 fixtures.
//!
//! Each story starts from its own database. The standalone schema is made by
//! `Repo::init` on an empty database; the fixtures are copies of real Directus
//! databases (see tests/fixtures and the fixtures README).

mod common;

use common::{
    ARCHIVED_ID, Backend, EDITOR_ID, EDITOR_ROLE, EDITOR_TOKEN, ROSTER_TABLES, STRONG_POLICY,
    SUSPENDED_ID, TestEnv, Via,
};
// Every story here also runs through the configured poolers.
use common::backends_and_poolers as backends;
use roster::error::Error;
use roster::profile::Profile;
use roster::repo::{
    Changed, ConnectOpts, Created, Edit, Flavor, ListFilter, NewRole, NewUser, Repo, Role, Target,
    User, WriteOpts, open,
};
use roster::status::{Change, Status};
use std::fmt::Debug;
use std::sync::OnceLock;
use std::time::Duration;

/// A well-formed argon2id PHC string; hashing for real is slow in debug builds.
const HASH: &str = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$J4moa2MM0/6uf3HbY2Tf5Fux8JIBTwIhmhxGRbsY14qhTltQt+Vw3b7tcJNEbk8ium8AQfZeD4tabCnNqfkD1g";
/// A second, different hash.
const HASH2: &str = "$argon2id$v=19$m=65536,t=3,p=4$b3RoZXJzYWx0b3RoZXJzYWx0$9UKkWnuuyGgmoIeJLOqWmkzuPuSg8qdkUvJlDwcKhsk";
/// What the audit trail writes in place of a secret.
const MASK: &str = "**********";
/// The user agent roster records in directus_activity.
const AGENT: &str = concat!("roster/", env!("CARGO_PKG_VERSION"));

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

fn connect_opts() -> ConnectOpts {
    ConnectOpts {
        busy_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
    }
}

fn target(env: &TestEnv, create: bool) -> Target {
    match env.backend {
        Backend::Sqlite => Target::Sqlite {
            path: env.url.clone().into(),
            create,
        },
        Backend::Postgres => Target::Postgres {
            url: env.url.clone(),
        },
        Backend::Mysql => Target::Mysql {
            url: env.url.clone(),
        },
    }
}

fn open_at(env: &TestEnv, create: bool) -> Result<Box<dyn Repo>, Error> {
    open(&target(env, create), connect_opts())
}

/// The repository of an existing database.
fn repo(env: &TestEnv) -> Box<dyn Repo> {
    match open_at(env, false) {
        Ok(r) => r,
        Err(e) => panic!("{:?}: open {}: {e}", env.backend, env.url),
    }
}

/// A repository on an empty database (an absent SQLite file may be created).
fn repo_on_empty(env: &TestEnv) -> Box<dyn Repo> {
    match open_at(env, true) {
        Ok(r) => r,
        Err(e) => panic!("{:?}: open empty {}: {e}", env.backend, env.url),
    }
}

/// An empty database given roster's standalone schema by `Repo::init`.
fn standalone(b: Via) -> (TestEnv, Box<dyn Repo>) {
    let env = TestEnv::empty(b);
    let mut r = repo_on_empty(&env);
    r.init(&WriteOpts::default()).expect("init");
    (env, r)
}

/// A copy of each Directus fixture, labelled: 11.x on every backend, 10.x on SQLite.
fn directus_envs() -> Vec<(String, TestEnv)> {
    let mut all: Vec<(String, TestEnv)> = backends()
        .into_iter()
        .map(|b| (format!("directus11/{b:?}"), TestEnv::directus11(b)))
        .collect();
    all.push(("directus10/Sqlite".to_string(), TestEnv::directus10()));
    all
}

/// The error a call must have returned.
#[track_caller]
fn fails<T: Debug>(what: &str, r: Result<T, Error>) -> Error {
    match r {
        Ok(v) => panic!("{what}: expected an error, got {v:?}"),
        Err(e) => e,
    }
}

fn plain() -> WriteOpts {
    WriteOpts::default()
}

fn forced() -> WriteOpts {
    WriteOpts {
        force: true,
        ..WriteOpts::default()
    }
}

fn dry() -> WriteOpts {
    WriteOpts {
        dry_run: true,
        ..WriteOpts::default()
    }
}

fn audited(actor: Option<&str>) -> WriteOpts {
    WriteOpts {
        audit: true,
        actor: actor.map(str::to_string),
        ..WriteOpts::default()
    }
}

fn new_user(email: &str, role: Option<&str>, status: Status) -> NewUser {
    let password_hash = matches!(status, Status::Active).then(|| HASH.to_string());
    NewUser {
        email: email.to_string(),
        profile: Profile::default(),
        role: role.map(str::to_string),
        status,
        password_hash,
        if_not_exists: false,
    }
}

/// Creates a user that must be inserted.
#[track_caller]
fn add_user(r: &mut dyn Repo, email: &str, role: &str, status: Status) -> User {
    match r.create_user(&new_user(email, Some(role), status), &plain()) {
        Ok(Created::Inserted(u)) => u,
        other => panic!("create {email}: {other:?}"),
    }
}

/// The id of a role that must exist.
#[track_caller]
fn role_id(r: &mut dyn Repo, name: &str) -> String {
    r.find_role(name)
        .expect("find_role")
        .unwrap_or_else(|| panic!("no role {name}"))
        .id
}

/// Creates a role without any access (the standalone schema has only Administrator).
#[track_caller]
fn plain_role(r: &mut dyn Repo, name: &str) -> String {
    let new = NewRole {
        name: name.to_string(),
        admin_access: false,
        app_access: false,
        if_not_exists: false,
    };
    r.create_role(&new, &plain()).expect("create_role").id
}

#[track_caller]
fn find(r: &mut dyn Repo, key: &str) -> User {
    r.find_user(key)
        .expect("find_user")
        .unwrap_or_else(|| panic!("no user {key}"))
}

fn list(r: &mut dyn Repo, filter: &ListFilter) -> Vec<User> {
    let mut out = Vec::new();
    r.list_users(filter, &mut |u| {
        out.push(u);
        Ok(())
    })
    .expect("list_users");
    out
}

fn emails(r: &mut dyn Repo, filter: &ListFilter) -> Vec<String> {
    list(r, filter).into_iter().map(|u| u.email).collect()
}

/// One column of one user row, as text.
fn column(env: &TestEnv, id: &str, col: &str) -> Option<String> {
    env.value(&format!(
        "SELECT {col} FROM directus_users WHERE id = '{id}'"
    ))
}

fn set_stored_status(env: &TestEnv, id: &str, raw: &str) {
    env.exec(&format!(
        "UPDATE directus_users SET status = '{raw}' WHERE id = '{id}'"
    ));
}

fn sessions_of(env: &TestEnv, user: &str) -> i64 {
    env.count(&format!(
        "SELECT count(*) FROM directus_sessions WHERE \"user\" = '{user}'"
    ))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// One argon2 hash made by roster, shared by every test that needs a real one.
fn real_hash() -> &'static str {
    static HASHED: OnceLock<String> = OnceLock::new();
    HASHED.get_or_init(|| roster::password::hash("Correct-Horse-9!").expect("hash"))
}

// ---------------------------------------------------------------------------
// Schema: init and unusable databases
// ---------------------------------------------------------------------------

#[test]
fn empty_database_has_no_schema_and_refuses_every_verb() {
    for b in backends() {
        let env = TestEnv::empty(b);
        let mut r = repo_on_empty(&env);
        let err = fails("schema", r.schema());
        assert_eq!(err.exit_code(), 6, "{b:?}");
        assert!(err.to_string().contains("roster init"), "{b:?}: {err}");
        assert_eq!(
            fails("find_user", r.find_user("a@example.com")).exit_code(),
            6,
            "{b:?}"
        );
        assert_eq!(fails("list_roles", r.list_roles()).exit_code(), 6, "{b:?}");
        assert_eq!(fails("settings", r.settings()).exit_code(), 6, "{b:?}");
        let new = new_user("a@example.com", None, Status::Active);
        assert_eq!(
            fails("create_user", r.create_user(&new, &plain())).exit_code(),
            6,
            "{b:?}"
        );
        assert!(!env.table_exists("directus_users"), "{b:?}");
    }
}

#[test]
fn missing_sqlite_file_is_not_created_implicitly() {
    let env = TestEnv::empty(Backend::Sqlite);
    let err = fails("open", open_at(&env, false).map(|_| ()));
    assert_eq!(err.exit_code(), 6);
    assert!(err.to_string().contains("roster init"), "{err}");
    assert!(!std::path::Path::new(&env.url).exists());
}

#[test]
fn init_creates_the_standalone_schema_once() {
    for b in backends() {
        let env = TestEnv::empty(b);
        let mut r = repo_on_empty(&env);

        // A dry run creates nothing.
        r.init(&dry()).expect("dry init");
        assert_eq!(
            fails("schema after dry init", r.schema()).exit_code(),
            6,
            "{b:?}"
        );
        assert!(!env.table_exists("directus_users"), "{b:?}");

        r.init(&plain()).expect("init");
        let schema = r.schema().expect("schema").clone();
        assert_eq!(schema.flavor, Flavor::Standalone, "{b:?}");
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
            assert!(schema.has(col), "{b:?}: directus_users.{col}");
        }
        assert!(
            schema.has_sessions
                && schema.has_activity
                && schema.has_revisions
                && schema.has_settings,
            "{b:?}"
        );
        for t in ROSTER_TABLES {
            assert!(env.table_exists(t), "{b:?}: {t}");
        }
        // Directus always has directus_migrations; roster init never makes it.
        assert!(!env.table_exists("directus_migrations"), "{b:?}");

        // An Administrator role linked to an admin policy, and one settings row.
        let roles = r.list_roles().expect("roles");
        assert_eq!(roles.len(), 1, "{b:?}: {roles:?}");
        assert_eq!(roles[0].name, "Administrator", "{b:?}");
        assert!(
            roles[0].admin_access && roles[0].app_access,
            "{b:?}: {roles:?}"
        );
        assert_eq!(roles[0].users, 0, "{b:?}");
        assert_eq!(
            env.count("SELECT count(*) FROM directus_access a JOIN directus_policies p ON p.id = a.policy WHERE a.role IS NOT NULL"),
            1,
            "{b:?}"
        );
        assert_eq!(
            env.count("SELECT count(*) FROM directus_settings"),
            1,
            "{b:?}"
        );
        assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0, "{b:?}");

        // Again, on the same connection and on a new one: a conflict.
        assert_eq!(
            fails("second init", r.init(&plain())).exit_code(),
            4,
            "{b:?}"
        );
        drop(r);
        let mut again = repo(&env);
        assert_eq!(
            fails("init on a new connection", again.init(&plain())).exit_code(),
            4,
            "{b:?}"
        );
        assert_eq!(env.count("SELECT count(*) FROM directus_roles"), 1, "{b:?}");
    }
}

#[test]

fn init_refuses_a_database_that_already_has_some_of_its_tables() {
    // spec §4 init: "refuses (exit 4) a database that already has them".
    for b in backends() {
        let env = TestEnv::empty(b);
        let mut r = repo_on_empty(&env);
        env.exec("CREATE TABLE directus_roles (id char(36) PRIMARY KEY, name varchar(100))");
        let before = env.dump();
        let err = fails("init", r.init(&plain()));
        assert!(
            !env.table_exists("directus_users"),
            "{b:?}: nothing half-made"
        );
        assert_eq!(env.dump(), before, "{b:?}");
        assert_eq!(err.exit_code(), 4, "{b:?}: {err}");
    }
}

#[test]
fn directus_fixtures_are_recognised() {
    for b in backends() {
        let env = TestEnv::directus11(b);
        let r = repo(&env);
        let s = r.schema().expect("schema");
        assert_eq!(s.flavor, Flavor::Directus11, "{b:?}");
        assert!(s.uses_policies());
        assert_eq!(s.deleted_value(), "archived");
        assert!(!s.has("company"), "{b:?}");
    }
    let env = TestEnv::directus10();
    let r = repo(&env);
    let s = r.schema().expect("schema");
    assert_eq!(s.flavor, Flavor::Directus10);
    assert!(!s.uses_policies());
    assert_eq!(s.deleted_value(), "archived");
}

#[test]
fn init_refuses_a_directus_database() {
    for (label, env) in directus_envs() {
        let before = env.dump();
        let mut r = repo(&env);
        assert_eq!(fails(&label, r.init(&plain())).exit_code(), 4, "{label}");
        assert_eq!(env.dump(), before, "{label}");
    }
}

// ---------------------------------------------------------------------------
// create_user
// ---------------------------------------------------------------------------

#[test]
fn create_user_inserts_a_directus_compatible_row() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let new = NewUser {
            email: "ann.lee@example.com".into(),
            profile: Profile::of(&[
                ("first_name", "Ann"),
                ("last_name", "Lee"),
                ("title", "Engineer"),
                ("company", "ACME"),
                ("timezone", "Europe/Berlin"),
                ("language", "de-DE"),
                ("theme", "dark"),
                ("email_notifications", "false"),
            ])
            .unwrap(),
            role: Some(editor.clone()),
            status: Status::Active,
            password_hash: Some(HASH.into()),
            if_not_exists: false,
        };
        let user = match r.create_user(&new, &plain()).expect("create") {
            Created::Inserted(u) => u,
            other => panic!("{b:?}: expected Inserted, got {other:?}"),
        };

        // A random v4 UUID, lower-case.
        let id = uuid::Uuid::parse_str(&user.id).expect("uuid id");
        assert_eq!(id.get_version_num(), 4, "{b:?}: {}", user.id);
        assert_eq!(user.id, user.id.to_lowercase(), "{b:?}");

        assert_eq!(user.email, "ann.lee@example.com", "{b:?}");
        assert_eq!(user.status, "active", "{b:?}");
        assert_eq!(user.role.as_deref(), Some(editor.as_str()), "{b:?}");
        assert_eq!(user.role_name.as_deref(), Some("Editor"), "{b:?}");
        assert_eq!(user.provider.as_deref(), Some("default"), "{b:?}");
        assert_eq!(user.profile.get("first_name"), Some("Ann"), "{b:?}");
        assert_eq!(user.profile.get("last_name"), Some("Lee"), "{b:?}");
        assert_eq!(user.profile.get("title"), Some("Engineer"), "{b:?}");
        assert_eq!(user.profile.get("company"), Some("ACME"), "{b:?}");
        assert_eq!(user.profile.get("timezone"), Some("Europe/Berlin"), "{b:?}");
        assert_eq!(user.profile.get("language"), Some("de-DE"), "{b:?}");
        assert_eq!(user.profile.get("theme"), Some("dark"), "{b:?}");
        assert_eq!(
            user.profile.flag("email_notifications"),
            Some(false),
            "{b:?}"
        );
        assert!(
            user.has_password && !user.has_token && !user.tfa_enabled && !user.is_admin,
            "{b:?}: {user:?}"
        );
        assert_eq!(find(r.as_mut(), &user.id), user, "{b:?}");

        // What Directus reads back.
        let row = env.rows(&format!(
            "SELECT email, provider, role, status, password, company, timezone, appearance, \
             CASE WHEN email_notifications THEN 1 ELSE 0 END FROM directus_users WHERE id = '{}'",
            user.id
        ));
        let expected: Vec<Option<String>> = [
            "ann.lee@example.com",
            "default",
            editor.as_str(),
            "active",
            HASH,
            "ACME",
            "Europe/Berlin",
            "dark",
            "0",
        ]
        .iter()
        .map(|s| Some(s.to_string()))
        .collect();
        assert_eq!(row, vec![expected], "{b:?}");
        if b == Backend::Sqlite {
            // Booleans as 0/1 on SQLite.
            assert_eq!(
                column(&env, &user.id, "typeof(email_notifications)").as_deref(),
                Some("integer")
            );
        }

        // Invited and draft users have no password.
        let invited = add_user(r.as_mut(), "inv@example.com", &editor, Status::Invited);
        assert_eq!(invited.status, "invited", "{b:?}");
        assert!(!invited.has_password, "{b:?}");
        assert_eq!(column(&env, &invited.id, "password"), None, "{b:?}");
        let draft = add_user(r.as_mut(), "draft@example.com", &editor, Status::Draft);
        assert_eq!(
            column(&env, &draft.id, "status").as_deref(),
            Some("draft"),
            "{b:?}"
        );

        // A user of the Administrator role is an administrator.
        let admin_role = role_id(r.as_mut(), "Administrator");
        let admin = add_user(r.as_mut(), "boss@example.com", &admin_role, Status::Active);
        assert!(admin.is_admin, "{b:?}: {admin:?}");
        assert_eq!(admin.role_name.as_deref(), Some("Administrator"), "{b:?}");
    }
}

#[test]
fn create_user_with_an_unknown_role_id_writes_nothing() {
    // Foreign keys are enforced (spec §2: PRAGMA foreign_keys = ON on SQLite).
    for b in backends() {
        let (env, mut r) = standalone(b);
        let ghost = uuid::Uuid::new_v4().to_string();
        let new = new_user("ghost@example.com", Some(&ghost), Status::Active);
        let err = fails("unknown role", r.create_user(&new, &plain()));
        // The exit code differs by backend (SQLite 4, PostgreSQL 1); the spec only
        // names one for an unknown role *name*, which the CLI resolves first.
        assert_ne!(err.exit_code(), 0, "{b:?}");
        assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0, "{b:?}");
    }
}

#[test]
fn create_user_without_a_role_is_a_usage_error() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let new = new_user("norole@example.com", None, Status::Active);
        assert_eq!(
            fails("create", r.create_user(&new, &plain())).exit_code(),
            2,
            "{b:?}"
        );
        assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0, "{b:?}");
    }
}

#[test]
fn create_user_refuses_an_existing_email_in_any_case() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        add_user(r.as_mut(), "dup@example.com", &editor, Status::Active);

        for email in ["dup@example.com", "DUP@Example.COM"] {
            let new = new_user(email, Some(&editor), Status::Active);
            let err = fails(email, r.create_user(&new, &plain()));
            assert_eq!(err.exit_code(), 4, "{b:?}: {email}: {err}");
            let without_role = new_user(email, None, Status::Invited);
            let err = fails(email, r.create_user(&without_role, &plain()));
            assert_eq!(err.exit_code(), 4, "{b:?}: {email} without a role: {err}");
        }
        assert_eq!(
            env.count("SELECT count(*) FROM directus_users WHERE lower(email) = 'dup@example.com'"),
            1,
            "{b:?}"
        );

        // A row Directus wrote with capitals still counts.
        let legacy = uuid::Uuid::new_v4().to_string();
        env.exec(&format!(
            "INSERT INTO directus_users (id, email, status, role, provider) \
                 VALUES ('{legacy}', 'Legacy@Example.COM', 'active', '{editor}', 'default')"
        ));
        let new = new_user("legacy@example.com", Some(&editor), Status::Active);
        assert_eq!(
            fails("legacy", r.create_user(&new, &plain())).exit_code(),
            4,
            "{b:?}"
        );
        assert_eq!(
            env.count(
                "SELECT count(*) FROM directus_users WHERE lower(email) = 'legacy@example.com'"
            ),
            1,
            "{b:?}"
        );

        // Any status but deleted blocks a create.
        for (i, raw) in ["invited", "draft", "suspended", "unverified"]
            .iter()
            .enumerate()
        {
            let email = format!("held{i}@example.com");
            let u = add_user(r.as_mut(), &email, &editor, Status::Active);
            set_stored_status(&env, &u.id, raw);
            let new = new_user(&email, Some(&editor), Status::Active);
            assert_eq!(
                fails(raw, r.create_user(&new, &plain())).exit_code(),
                4,
                "{b:?}: {raw}"
            );
            assert_eq!(
                column(&env, &u.id, "status").as_deref(),
                Some(*raw),
                "{b:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Re-inheritance
// ---------------------------------------------------------------------------

#[test]
fn create_user_revives_a_soft_deleted_row() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let ops = plain_role(r.as_mut(), "Ops");
        let first = NewUser {
            email: "rev@example.com".into(),
            profile: Profile::of(&[
                ("first_name", "Old"),
                ("last_name", "Person"),
                ("title", "Boss"),
                ("language", "en-US"),
            ])
            .unwrap(),
            role: Some(editor.clone()),
            status: Status::Active,
            password_hash: Some(HASH.into()),
            if_not_exists: false,
        };
        let original = r
            .create_user(&first, &plain())
            .expect("create")
            .user()
            .clone();
        r.set_token(
            &original.id,
            Some("revive-token-0123456789abcdefghijkl"),
            &plain(),
        )
        .expect("token");
        r.change_status(&original.id, Change::SoftDelete, &plain())
            .expect("soft-delete");

        // Invite again, giving only a new last name and no role.
        let again = NewUser {
            email: "rev@example.com".into(),
            profile: Profile::of(&[("last_name", "New")]).unwrap(),
            role: None,
            status: Status::Invited,
            password_hash: None,
            if_not_exists: false,
        };
        let revived = match r.create_user(&again, &plain()).expect("revive") {
            Created::Revived(u) => u,
            other => panic!("{b:?}: expected Revived, got {other:?}"),
        };
        assert_eq!(revived.id, original.id, "{b:?}");
        assert_eq!(revived.profile.get("first_name"), Some("Old"), "{b:?}");
        assert_eq!(revived.profile.get("last_name"), Some("New"), "{b:?}");
        assert_eq!(revived.profile.get("title"), Some("Boss"), "{b:?}");
        assert_eq!(revived.profile.get("language"), Some("en-US"), "{b:?}");
        assert_eq!(
            revived.role.as_deref(),
            Some(editor.as_str()),
            "{b:?}: old role kept"
        );
        assert_eq!(revived.status, "invited", "{b:?}");
        assert!(
            !revived.has_password && !revived.has_token && !revived.tfa_enabled,
            "{b:?}: {revived:?}"
        );
        assert_eq!(
            column(&env, &original.id, "status").as_deref(),
            Some("invited"),
            "{b:?}"
        );
        assert_eq!(
            env.count("SELECT count(*) FROM directus_users WHERE lower(email) = 'rev@example.com'"),
            1,
            "{b:?}"
        );

        // Deleted again, then created active in another role, with a password.
        r.change_status(&original.id, Change::SoftDelete, &plain())
            .expect("soft-delete");
        let mut active = new_user("rev@example.com", Some(&ops), Status::Active);
        active.password_hash = Some(HASH2.into());
        let revived = match r.create_user(&active, &plain()).expect("revive") {
            Created::Revived(u) => u,
            other => panic!("{b:?}: expected Revived, got {other:?}"),
        };
        assert_eq!(revived.id, original.id, "{b:?}");
        assert_eq!(revived.status, "active", "{b:?}");
        assert_eq!(
            revived.role.as_deref(),
            Some(ops.as_str()),
            "{b:?}: the new role"
        );
        assert_eq!(revived.profile.get("first_name"), Some("Old"), "{b:?}");
        assert!(revived.has_password, "{b:?}");
        assert_eq!(
            column(&env, &original.id, "password").as_deref(),
            Some(HASH2),
            "{b:?}"
        );
        assert_eq!(env.count("SELECT count(*) FROM directus_users"), 1, "{b:?}");
    }
}

#[test]

fn create_user_revive_writes_the_default_provider() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let u = add_user(r.as_mut(), "sso@example.com", &editor, Status::Active);
        r.change_status(&u.id, Change::SoftDelete, &plain())
            .expect("soft-delete");
        // A row Directus's SSO login made: another provider, an external id.
        env.exec(&format!(
                "UPDATE directus_users SET provider = 'github', external_identifier = 'gh-42' WHERE id = '{}'",
                u.id
            ));
        let revived = r
            .create_user(&new_user("sso@example.com", None, Status::Active), &plain())
            .expect("revive");
        assert!(matches!(revived, Created::Revived(_)), "{b:?}: {revived:?}");
        // Directus logs in with a password only when provider is `default`.
        assert_eq!(revived.user().provider.as_deref(), Some("default"), "{b:?}");
        assert_eq!(
            column(&env, &u.id, "provider").as_deref(),
            Some("default"),
            "{b:?}"
        );
    }
}

#[test]
fn create_user_revives_an_archived_directus_user() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let new = new_user("archived@example.com", None, Status::Active);
        let revived = match r.create_user(&new, &plain()).expect("revive") {
            Created::Revived(u) => u,
            other => panic!("{label}: expected Revived, got {other:?}"),
        };
        assert_eq!(revived.id, ARCHIVED_ID, "{label}");
        assert_eq!(revived.profile.get("first_name"), Some("Arch"), "{label}");
        assert_eq!(
            revived.profile.get("last_name"),
            Some("Archived"),
            "{label}"
        );
        assert_eq!(revived.role.as_deref(), Some(EDITOR_ROLE), "{label}");
        assert_eq!(revived.status, "active", "{label}");
        assert_eq!(
            column(&env, ARCHIVED_ID, "status").as_deref(),
            Some("active"),
            "{label}"
        );
        assert_eq!(
            column(&env, ARCHIVED_ID, "password").as_deref(),
            Some(HASH),
            "{label}"
        );
        assert_eq!(
            env.count(
                "SELECT count(*) FROM directus_users WHERE lower(email) = 'archived@example.com'"
            ),
            1,
            "{label}"
        );
    }
}

#[test]
fn reviving_an_archived_directus_user_replaces_the_old_credentials() {
    // Directus archives users without clearing their password; a revive by
    // invite must not bring the old password back (spec §3: new credentials).
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        assert!(
            column(&env, ARCHIVED_ID, "password").is_some(),
            "{label}: fixture"
        );
        env.add_session("archived-session", ARCHIVED_ID);
        let new = new_user("Archived@Example.com", None, Status::Invited);
        let revived = r.create_user(&new, &plain()).expect("revive");
        assert!(
            matches!(&revived, Created::Revived(u) if u.id == ARCHIVED_ID),
            "{label}: {revived:?}"
        );
        let u = revived.user();
        assert_eq!(u.status, "invited", "{label}");
        assert!(
            !u.has_password && !u.has_token && !u.tfa_enabled,
            "{label}: {u:?}"
        );
        assert_eq!(
            env.rows(&format!(
                "SELECT status, password, token, tfa_secret FROM directus_users WHERE id = '{ARCHIVED_ID}'"
            )),
            vec![vec![Some("invited".into()), None, None, None]],
            "{label}"
        );
        assert_eq!(sessions_of(&env, ARCHIVED_ID), 0, "{label}");
    }
}

#[test]
fn create_user_on_directus_writes_provider_and_refuses_missing_columns() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let u = add_user(r.as_mut(), "new@example.com", EDITOR_ROLE, Status::Active);
        assert_eq!(u.provider.as_deref(), Some("default"), "{label}");
        assert_eq!(u.role_name.as_deref(), Some("Editor"), "{label}");
        assert_eq!(
            column(&env, &u.id, "provider").as_deref(),
            Some("default"),
            "{label}"
        );
        assert_eq!(
            uuid::Uuid::parse_str(&u.id)
                .expect("uuid")
                .get_version_num(),
            4,
            "{label}"
        );

        // Directus has no company column: a validation error naming it, and no row.
        let mut new = new_user("acme@example.com", Some(EDITOR_ROLE), Status::Active);
        new.profile.set("company", "ACME").unwrap();
        let err = fails(&label, r.create_user(&new, &plain()));
        assert_eq!(err.exit_code(), 5, "{label}: {err}");
        assert!(err.to_string().contains("company"), "{label}: {err}");
        assert!(
            r.find_user("acme@example.com").expect("find").is_none(),
            "{label}"
        );

        let dup = new_user("Editor@Example.com", Some(EDITOR_ROLE), Status::Active);
        assert_eq!(
            fails(&label, r.create_user(&dup, &plain())).exit_code(),
            4,
            "{label}"
        );
    }
}

// ---------------------------------------------------------------------------
// Status transitions (spec §3)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Changed::Done, now shown as this status.
    To(&'static str),
    /// Changed::AlreadyThere.
    Same,
    /// A conflict (exit 4) naming the current status.
    Refused,
}

/// Every (stored status, change) pair: the table of spec §3, the no-ops and the refusals.
const TRANSITIONS: &[(&str, Change, Expect)] = &[
    ("invited", Change::Activate, Expect::To("active")),
    ("draft", Change::Activate, Expect::To("active")),
    ("active", Change::Activate, Expect::Same),
    ("suspended", Change::Activate, Expect::Refused),
    ("deleted", Change::Activate, Expect::Refused),
    // Directus's public registration: activate approves, suspend blocks.
    ("unverified", Change::Activate, Expect::To("active")),
    ("draft", Change::Suspend, Expect::To("suspended")),
    ("invited", Change::Suspend, Expect::To("suspended")),
    ("active", Change::Suspend, Expect::To("suspended")),
    ("suspended", Change::Suspend, Expect::Same),
    ("deleted", Change::Suspend, Expect::Refused),
    ("unverified", Change::Suspend, Expect::To("suspended")),
    ("suspended", Change::Unsuspend, Expect::To("active")),
    ("active", Change::Unsuspend, Expect::Same),
    ("invited", Change::Unsuspend, Expect::Refused),
    ("draft", Change::Unsuspend, Expect::Refused),
    ("deleted", Change::Unsuspend, Expect::Refused),
    ("unverified", Change::Unsuspend, Expect::Refused),
    ("draft", Change::SoftDelete, Expect::To("deleted")),
    ("invited", Change::SoftDelete, Expect::To("deleted")),
    ("active", Change::SoftDelete, Expect::To("deleted")),
    ("suspended", Change::SoftDelete, Expect::To("deleted")),
    ("unverified", Change::SoftDelete, Expect::To("deleted")),
    ("deleted", Change::SoftDelete, Expect::Same),
];

/// Runs every transition on fresh users of `role`; `deleted` is the stored word.
fn check_transitions(label: &str, env: &TestEnv, r: &mut dyn Repo, role: &str, deleted: &str) {
    let stored = |shown: &str| {
        if shown == "deleted" {
            deleted.to_string()
        } else {
            shown.to_string()
        }
    };
    for (i, &(from, change, expect)) in TRANSITIONS.iter().enumerate() {
        let email = format!("t{i}@example.com");
        let u = add_user(r, &email, role, Status::Active);
        let raw = stored(from);
        set_stored_status(env, &u.id, &raw);
        env.add_session(&format!("session-{i}"), &u.id);
        // Half the cases name the user by id, half by email in capitals.
        let key = if i % 2 == 0 {
            u.id.clone()
        } else {
            email.to_uppercase()
        };
        let case = format!("{label}: {change:?} from {from} (#{i})");
        match (expect, r.change_status(&key, change, &plain())) {
            (Expect::To(to), Ok(Changed::Done { from: was, user })) => {
                assert_eq!(was, Status::from_db(&raw), "{case}");
                assert_eq!(user.id, u.id, "{case}");
                assert_eq!(user.status, to, "{case}");
                assert_eq!(column(env, &u.id, "status"), Some(stored(to)), "{case}");
                assert_eq!(
                    sessions_of(env, &u.id),
                    0,
                    "{case}: a status change ends sessions"
                );
            }
            (Expect::Same, Ok(Changed::AlreadyThere(user))) => {
                assert_eq!(user.id, u.id, "{case}");
                assert_eq!(user.status, from, "{case}");
                assert_eq!(column(env, &u.id, "status"), Some(raw), "{case}");
                assert_eq!(
                    sessions_of(env, &u.id),
                    1,
                    "{case}: a no-op changes nothing"
                );
            }
            (Expect::Refused, Err(e)) => {
                assert_eq!(e.exit_code(), 4, "{case}: {e}");
                assert!(
                    e.to_string().contains(from),
                    "{case}: message names the status: {e}"
                );
                assert_eq!(column(env, &u.id, "status"), Some(raw), "{case}");
                assert_eq!(
                    sessions_of(env, &u.id),
                    1,
                    "{case}: a refusal changes nothing"
                );
            }
            (_, got) => panic!("{case}: expected {expect:?}, got {got:?}"),
        }
    }
    let missing = r.change_status("nobody@example.com", Change::Suspend, &plain());
    assert_eq!(fails(label, missing).exit_code(), 3, "{label}");
}

#[test]
fn change_status_follows_the_transition_table() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        check_transitions(
            &format!("standalone/{b:?}"),
            &env,
            r.as_mut(),
            &editor,
            "deleted",
        );
    }
}

#[test]
fn change_status_follows_the_transition_table_on_directus() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        check_transitions(&label, &env, r.as_mut(), EDITOR_ROLE, "archived");
    }
}

#[test]
fn change_status_on_directus_fixture_users() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let invited = find(r.as_mut(), "invited@example.com").id;
        let cases: [(&str, Change, &str); 4] = [
            (EDITOR_ID, Change::Suspend, "suspended"),
            (SUSPENDED_ID, Change::Unsuspend, "active"),
            (&invited, Change::Activate, "active"),
            (EDITOR_ID, Change::SoftDelete, "archived"),
        ];
        for (id, change, stored) in cases {
            match r.change_status(id, change, &plain()) {
                Ok(Changed::Done { user, .. }) => {
                    assert_eq!(user.status, Status::from_db(stored).as_str(), "{label}")
                }
                other => panic!("{label}: {change:?} {id}: {other:?}"),
            }
            assert_eq!(
                column(&env, id, "status").as_deref(),
                Some(stored),
                "{label}: {change:?}"
            );
        }
        match r.change_status("ARCHIVED@example.com", Change::SoftDelete, &plain()) {
            Ok(Changed::AlreadyThere(u)) => assert_eq!(u.status, "deleted", "{label}"),
            other => panic!("{label}: soft-delete archived: {other:?}"),
        }
        let err = fails(
            &label,
            r.change_status(ARCHIVED_ID, Change::Suspend, &plain()),
        );
        assert_eq!(err.exit_code(), 4, "{label}");
        assert!(err.to_string().contains("deleted"), "{label}: {err}");
        assert_eq!(
            column(&env, ARCHIVED_ID, "status").as_deref(),
            Some("archived"),
            "{label}"
        );
    }
}

// ---------------------------------------------------------------------------
// The last active administrator
// ---------------------------------------------------------------------------

#[test]
fn last_active_admin_is_protected_unless_forced() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let admin_role = role_id(r.as_mut(), "Administrator");
        let editor = plain_role(r.as_mut(), "Editor");
        let a = add_user(r.as_mut(), "a@example.com", &admin_role, Status::Active);
        // An invited administrator cannot log in: it does not count.
        let pending = add_user(
            r.as_mut(),
            "pending@example.com",
            &admin_role,
            Status::Invited,
        );
        let e = add_user(r.as_mut(), "e@example.com", &editor, Status::Active);

        for change in [Change::Suspend, Change::SoftDelete] {
            let err = fails("last admin", r.change_status(&a.id, change, &plain()));
            assert_eq!(err.exit_code(), 4, "{b:?}: {change:?}: {err}");
            assert_eq!(
                column(&env, &a.id, "status").as_deref(),
                Some("active"),
                "{b:?}"
            );
        }
        // Others are not protected.
        r.change_status(&e.id, Change::Suspend, &plain())
            .expect("suspend editor");
        r.change_status(&pending.id, Change::SoftDelete, &plain())
            .expect("delete invited admin");

        // With force, the last admin goes.
        match r
            .change_status(&a.id, Change::Suspend, &forced())
            .expect("forced")
        {
            Changed::Done { from, user } => {
                assert_eq!(from, Status::Active, "{b:?}");
                assert_eq!(user.status, "suspended", "{b:?}");
            }
            other => panic!("{b:?}: {other:?}"),
        }
        r.change_status(&a.id, Change::Unsuspend, &plain())
            .expect("unsuspend");

        // With a second active admin, either may go, but not both.
        let c = add_user(r.as_mut(), "c@example.com", &admin_role, Status::Active);
        assert!(c.is_admin, "{b:?}");
        r.change_status(&a.id, Change::Suspend, &plain())
            .expect("one of two admins");
        for change in [Change::Suspend, Change::SoftDelete] {
            let err = fails("last admin", r.change_status(&c.id, change, &plain()));
            assert_eq!(err.exit_code(), 4, "{b:?}: {change:?}");
        }
        r.change_status(&c.id, Change::SoftDelete, &forced())
            .expect("forced soft-delete");
        assert_eq!(
            column(&env, &c.id, "status").as_deref(),
            Some("deleted"),
            "{b:?}"
        );
    }
}

#[test]
fn last_active_admin_is_protected_on_directus() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "admin@example.com");
        assert!(admin.is_admin, "{label}");
        for change in [Change::Suspend, Change::SoftDelete] {
            let err = fails(&label, r.change_status(&admin.id, change, &plain()));
            assert_eq!(err.exit_code(), 4, "{label}: {change:?}");
        }
        assert_eq!(
            column(&env, &admin.id, "status").as_deref(),
            Some("active"),
            "{label}"
        );
        r.change_status(&admin.id, Change::SoftDelete, &forced())
            .expect("forced");
        assert_eq!(
            column(&env, &admin.id, "status").as_deref(),
            Some("archived"),
            "{label}"
        );
    }
}

#[test]
fn admin_detection_follows_the_access_model() {
    // 11.x (and the standalone schema): access rows for the user, the role, or a parent role.
    let mut envs: Vec<(String, TestEnv)> = backends()
        .into_iter()
        .map(|b| (format!("directus11/{b:?}"), TestEnv::directus11(b)))
        .collect();
    for b in backends() {
        let (env, mut r) = standalone(b);
        plain_role(r.as_mut(), "Editor");
        let admin_role = role_id(r.as_mut(), "Administrator");
        let editor_role = role_id(r.as_mut(), "Editor");
        add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
        add_user(
            r.as_mut(),
            "editor@example.com",
            &editor_role,
            Status::Active,
        );
        drop(r);
        envs.push((format!("standalone/{b:?}"), env));
    }
    for (label, env) in envs {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "admin@example.com");
        let editor = find(r.as_mut(), "editor@example.com");
        assert!(admin.is_admin, "{label}");
        assert!(!editor.is_admin, "{label}");

        // A directus_access row for the user itself.
        let policy = env
            .value("SELECT id FROM directus_policies WHERE name = 'Administrator'")
            .expect("admin policy");
        env.exec(&format!(
                "INSERT INTO directus_access (id, role, \"user\", policy, sort) VALUES ('{}', NULL, '{}', '{policy}', 1)",
                uuid::Uuid::new_v4(),
                editor.id
            ));
        assert!(
            find(r.as_mut(), &editor.id).is_admin,
            "{label}: access row for the user"
        );
        // Two active admins now: the role admin may be suspended, then the other is protected.
        r.change_status(&admin.id, Change::Suspend, &plain())
            .expect("two admins");
        let err = fails(
            &label,
            r.change_status(&editor.id, Change::Suspend, &plain()),
        );
        assert_eq!(err.exit_code(), 4, "{label}");

        // A role whose parent is the Administrator role.
        let admin_role = role_id(r.as_mut(), "Administrator");
        let child = uuid::Uuid::new_v4().to_string();
        env.exec(&format!(
                "INSERT INTO directus_roles (id, name, parent) VALUES ('{child}', 'Child', '{admin_role}')"
            ));
        let kid = add_user(r.as_mut(), "kid@example.com", &child, Status::Active);
        assert!(kid.is_admin, "{label}: admin through a parent role");
        let listed = list(r.as_mut(), &ListFilter::default());
        let admins: Vec<&str> = listed
            .iter()
            .filter(|u| u.is_admin)
            .map(|u| u.email.as_str())
            .collect();
        // Spec §2 ties being an administrator to access, not status: the
        // suspended admin still is one (it just does not count as active).
        assert_eq!(
            admins,
            ["admin@example.com", "editor@example.com", "kid@example.com"],
            "{label}"
        );
    }

    // 10.x: admin_access on the role.
    let env = TestEnv::directus10();
    let mut r = repo(&env);
    assert!(find(r.as_mut(), "admin@example.com").is_admin);
    assert!(!find(r.as_mut(), "editor@example.com").is_admin);
    env.exec(&format!(
        "UPDATE directus_roles SET admin_access = 1 WHERE id = '{EDITOR_ROLE}'"
    ));
    assert!(find(r.as_mut(), "editor@example.com").is_admin);
}

// ---------------------------------------------------------------------------
// Soft delete
// ---------------------------------------------------------------------------

#[test]
fn soft_delete_keeps_the_row_and_removes_credentials() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let u = add_user(r.as_mut(), "gone@example.com", &editor, Status::Active);
        let other = add_user(r.as_mut(), "stays@example.com", &editor, Status::Active);
        r.set_token(
            &u.id,
            Some("gone-token-0123456789abcdefghijklmnop"),
            &plain(),
        )
        .expect("token");
        env.exec(&format!(
            "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{}'",
            u.id
        ));
        env.add_session("s1", &u.id);
        env.add_session("s2", &u.id);
        env.add_session("s3", &other.id);
        let before = find(r.as_mut(), &u.id);
        assert!(
            before.has_password && before.has_token && before.tfa_enabled,
            "{b:?}"
        );

        let user = match r
            .change_status("GONE@example.com", Change::SoftDelete, &plain())
            .expect("soft-delete")
        {
            Changed::Done { from, user } => {
                assert_eq!(from, Status::Active, "{b:?}");
                user
            }
            other => panic!("{b:?}: {other:?}"),
        };
        assert_eq!(user.id, u.id, "{b:?}");
        assert_eq!(user.status, "deleted", "{b:?}");
        assert!(
            !user.has_password && !user.has_token && !user.tfa_enabled,
            "{b:?}: {user:?}"
        );
        assert_eq!(
            env.rows(&format!("SELECT status, password, token, tfa_secret, email FROM directus_users WHERE id = '{}'", u.id)),
            vec![vec![Some("deleted".into()), None, None, None, Some("gone@example.com".into())]],
            "{b:?}"
        );
        assert_eq!(sessions_of(&env, &u.id), 0, "{b:?}");
        assert_eq!(sessions_of(&env, &other.id), 1, "{b:?}");
        assert_eq!(env.count("SELECT count(*) FROM directus_users"), 2, "{b:?}");
    }
}

#[test]
fn soft_delete_on_directus_stores_archived() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        env.add_session("editor-session", EDITOR_ID);
        let user = match r
            .change_status("editor@example.com", Change::SoftDelete, &plain())
            .expect("soft-delete")
        {
            Changed::Done { user, .. } => user,
            other => panic!("{label}: {other:?}"),
        };
        assert_eq!(user.status, "deleted", "{label}: shown as deleted");
        assert!(!user.has_password && !user.has_token, "{label}");
        assert_eq!(
            env.rows(&format!("SELECT status, password, token, tfa_secret FROM directus_users WHERE id = '{EDITOR_ID}'")),
            vec![vec![Some("archived".into()), None, None, None]],
            "{label}"
        );
        assert_eq!(sessions_of(&env, EDITOR_ID), 0, "{label}");
        // Still there for everything that points at it; listed only when asked.
        let deleted = ListFilter {
            statuses: vec![Status::Deleted],
            ..ListFilter::default()
        };
        assert_eq!(
            emails(r.as_mut(), &deleted),
            ["archived@example.com", "editor@example.com"],
            "{label}"
        );
    }
}

// ---------------------------------------------------------------------------
// Passwords and tokens
// ---------------------------------------------------------------------------

#[test]
fn set_password_activates_invited_and_draft_users() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let invited = add_user(r.as_mut(), "inv@example.com", &editor, Status::Invited);
        env.add_session("inv-session", &invited.id);

        let hash = real_hash();
        match r
            .set_password("INV@example.com", hash, &plain())
            .expect("set_password")
        {
            Changed::Done { from, user } => {
                assert_eq!(from, Status::Invited, "{b:?}");
                assert_eq!(user.status, "active", "{b:?}");
                assert!(user.has_password, "{b:?}");
            }
            other => panic!("{b:?}: {other:?}"),
        }
        let stored = column(&env, &invited.id, "password").expect("password stored");
        assert_eq!(stored, hash, "{b:?}");
        assert!(
            roster::password::verify("Correct-Horse-9!", &stored),
            "{b:?}"
        );
        assert_eq!(
            column(&env, &invited.id, "status").as_deref(),
            Some("active"),
            "{b:?}"
        );
        assert_eq!(sessions_of(&env, &invited.id), 0, "{b:?}: sessions end");

        let draft = add_user(r.as_mut(), "draft@example.com", &editor, Status::Draft);
        match r.set_password(&draft.id, HASH2, &plain()).expect("draft") {
            Changed::Done { from, user } => {
                assert_eq!(from, Status::Draft, "{b:?}");
                assert_eq!(user.status, "active", "{b:?}");
            }
            other => panic!("{b:?}: {other:?}"),
        }

        // On an active user only the password changes.
        let active = add_user(r.as_mut(), "act@example.com", &editor, Status::Active);
        env.add_session("act-session", &active.id);
        match r.set_password(&active.id, HASH2, &plain()).expect("active") {
            Changed::Done { from, user } => {
                assert_eq!(from, Status::Active, "{b:?}");
                assert_eq!(user.status, "active", "{b:?}");
            }
            other => panic!("{b:?}: {other:?}"),
        }
        assert_eq!(
            column(&env, &active.id, "password").as_deref(),
            Some(HASH2),
            "{b:?}"
        );
        assert_eq!(sessions_of(&env, &active.id), 0, "{b:?}: sessions end");

        // A suspended user stays suspended.
        let susp = add_user(r.as_mut(), "susp@example.com", &editor, Status::Active);
        r.change_status(&susp.id, Change::Suspend, &plain())
            .expect("suspend");
        r.set_password(&susp.id, HASH2, &plain())
            .expect("suspended");
        assert_eq!(
            column(&env, &susp.id, "status").as_deref(),
            Some("suspended"),
            "{b:?}"
        );

        // A deleted user is a conflict; an unknown one is not found.
        r.change_status(&susp.id, Change::SoftDelete, &plain())
            .expect("delete");
        assert_eq!(
            fails("deleted", r.set_password(&susp.id, HASH, &plain())).exit_code(),
            4,
            "{b:?}"
        );
        assert_eq!(column(&env, &susp.id, "password"), None, "{b:?}");
        let missing = r.set_password("nobody@example.com", HASH, &plain());
        assert_eq!(fails("missing", missing).exit_code(), 3, "{b:?}");
    }
}

#[test]
fn set_token_sets_clears_and_stays_unique() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let u1 = add_user(r.as_mut(), "one@example.com", &editor, Status::Active);
        let u2 = add_user(r.as_mut(), "two@example.com", &editor, Status::Active);
        let tok_a = "token-A-0123456789abcdefghijklmnopqrstuv";
        let tok_b = "token-B-0123456789abcdefghijklmnopqrstuv";
        env.add_session("one-session", &u1.id);

        let user = r
            .set_token("ONE@example.com", Some(tok_a), &plain())
            .expect("set");
        assert!(user.has_token, "{b:?}");
        assert_eq!(
            column(&env, &u1.id, "token").as_deref(),
            Some(tok_a),
            "{b:?}: stored as plaintext"
        );
        assert_eq!(sessions_of(&env, &u1.id), 0, "{b:?}: sessions end");

        // Another user cannot take it.
        let err = fails("taken", r.set_token(&u2.id, Some(tok_a), &plain()));
        assert_eq!(err.exit_code(), 4, "{b:?}: {err}");
        assert!(
            !err.to_string().contains(tok_a),
            "{b:?}: the token never shows in errors"
        );
        assert_eq!(column(&env, &u2.id, "token"), None, "{b:?}");

        // The same user may set it again, or replace it.
        r.set_token(&u1.id, Some(tok_a), &plain())
            .expect("same again");
        r.set_token(&u1.id, Some(tok_b), &plain()).expect("replace");
        assert_eq!(
            column(&env, &u1.id, "token").as_deref(),
            Some(tok_b),
            "{b:?}"
        );

        // Cleared, and then free for another.
        r.set_token(&u1.id, Some(tok_a), &plain()).expect("back");
        let user = r.set_token(&u1.id, None, &plain()).expect("clear");
        assert!(!user.has_token, "{b:?}");
        assert_eq!(column(&env, &u1.id, "token"), None, "{b:?}");
        assert!(
            r.set_token(&u2.id, Some(tok_a), &plain())
                .expect("now free")
                .has_token,
            "{b:?}"
        );

        r.change_status(&u1.id, Change::SoftDelete, &plain())
            .expect("delete");
        assert_eq!(
            fails("deleted", r.set_token(&u1.id, Some(tok_b), &plain())).exit_code(),
            4,
            "{b:?}"
        );
        assert_eq!(
            fails("missing", r.set_token("x@example.com", None, &plain())).exit_code(),
            3,
            "{b:?}"
        );
    }
}

#[test]
fn set_token_is_unique_on_directus() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let err = fails(
            &label,
            r.set_token("admin@example.com", Some(EDITOR_TOKEN), &plain()),
        );
        assert_eq!(err.exit_code(), 4, "{label}");
        let admin = find(r.as_mut(), "admin@example.com");
        assert!(!admin.has_token, "{label}");
        let user = r
            .set_token("editor@example.com", None, &plain())
            .expect("clear");
        assert!(!user.has_token, "{label}");
        assert_eq!(column(&env, EDITOR_ID, "token"), None, "{label}");
        r.set_token("admin@example.com", Some(EDITOR_TOKEN), &plain())
            .expect("free now");
        assert_eq!(
            column(&env, &admin.id, "token").as_deref(),
            Some(EDITOR_TOKEN),
            "{label}"
        );
    }
}

// ---------------------------------------------------------------------------
// Reading users
// ---------------------------------------------------------------------------

#[test]
fn find_user_by_id_or_email_in_any_case() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let u = add_user(r.as_mut(), "finn@example.com", &editor, Status::Active);
        for key in [
            u.id.clone(),
            u.id.to_uppercase(),
            "finn@example.com".into(),
            "FINN@Example.COM".into(),
        ] {
            assert_eq!(
                r.find_user(&key).expect("find"),
                Some(u.clone()),
                "{b:?}: {key}"
            );
        }
        assert_eq!(
            r.find_user("nobody@example.com").expect("find"),
            None,
            "{b:?}"
        );
        let random = uuid::Uuid::new_v4().to_string();
        assert_eq!(r.find_user(&random).expect("find"), None, "{b:?}");

        // A mixed-case email written by someone else.
        let id = uuid::Uuid::new_v4().to_string();
        env.exec(&format!(
            "INSERT INTO directus_users (id, email, status, role, provider) \
                 VALUES ('{id}', 'Mixed.Case@Example.COM', 'active', '{editor}', 'default')"
        ));
        let found = find(r.as_mut(), "mixed.case@example.com");
        assert_eq!(found.id, id, "{b:?}");
        assert_eq!(found.email, "Mixed.Case@Example.COM", "{b:?}");

        // A soft-deleted user is found, shown as deleted.
        r.change_status(&u.id, Change::SoftDelete, &plain())
            .expect("delete");
        assert_eq!(
            find(r.as_mut(), "finn@example.com").status,
            "deleted",
            "{b:?}"
        );
    }
}

#[test]
fn find_user_reads_directus_users() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "Admin@Example.com");
        assert_eq!(admin.email, "admin@example.com", "{label}");
        assert_eq!(admin.profile.get("first_name"), Some("Admin"), "{label}");
        assert_eq!(admin.profile.get("last_name"), Some("User"), "{label}");
        assert_eq!(admin.role_name.as_deref(), Some("Administrator"), "{label}");
        assert_eq!(admin.provider.as_deref(), Some("default"), "{label}");
        assert!(
            admin.is_admin && admin.has_password && !admin.has_token,
            "{label}: {admin:?}"
        );
        assert!(
            admin.last_access.is_some_and(|t| t > 1_600_000_000_000),
            "{label}: {admin:?}"
        );

        let editor = find(r.as_mut(), &EDITOR_ID.to_uppercase());
        assert_eq!(editor.email, "editor@example.com", "{label}");
        assert_eq!(editor.role.as_deref(), Some(EDITOR_ROLE), "{label}");
        assert_eq!(editor.role_name.as_deref(), Some("Editor"), "{label}");
        assert!(
            !editor.is_admin && editor.has_password && editor.has_token,
            "{label}: {editor:?}"
        );

        let invited = find(r.as_mut(), "invited@example.com");
        assert_eq!(invited.status, "invited", "{label}");
        assert!(!invited.has_password, "{label}");
        assert_eq!(invited.profile.get("first_name"), None, "{label}");
        assert_eq!(invited.last_access, None, "{label}");

        let archived = find(r.as_mut(), ARCHIVED_ID);
        assert_eq!(
            archived.status, "deleted",
            "{label}: archived shows as deleted"
        );
        assert_eq!(archived.status(), Status::Deleted, "{label}");
        assert_eq!(
            find(r.as_mut(), SUSPENDED_ID).status,
            "suspended",
            "{label}"
        );
        assert!(
            r.find_user("nobody@example.com").expect("find").is_none(),
            "{label}"
        );
    }
}

#[test]
fn list_users_filters_and_sorts_by_email() {
    for b in backends() {
        let (_env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let admin_role = role_id(r.as_mut(), "Administrator");
        let mut bob = new_user("bob@example.com", Some(&editor), Status::Active);
        bob.profile.set("first_name", "Bob").unwrap();
        bob.profile.set("last_name", "Zed").unwrap();
        r.create_user(&bob, &plain()).expect("bob");
        add_user(r.as_mut(), "alice@example.com", &admin_role, Status::Active);
        add_user(r.as_mut(), "pct%off@example.com", &editor, Status::Invited);
        add_user(r.as_mut(), "pctxoff@example.com", &editor, Status::Active);
        add_user(
            r.as_mut(),
            "under_score@example.com",
            &editor,
            Status::Active,
        );
        add_user(
            r.as_mut(),
            "underxscore@example.com",
            &editor,
            Status::Active,
        );
        add_user(r.as_mut(), "carol@example.com", &editor, Status::Active);
        add_user(r.as_mut(), "dave@example.com", &editor, Status::Active);
        add_user(r.as_mut(), "erin@example.com", &editor, Status::Draft);
        add_user(
            r.as_mut(),
            "back\\slash@example.com",
            &editor,
            Status::Active,
        );
        r.change_status("carol@example.com", Change::Suspend, &plain())
            .expect("suspend");
        r.change_status("dave@example.com", Change::SoftDelete, &plain())
            .expect("delete");

        let mut all = vec![
            "back\\slash@example.com",
            "alice@example.com",
            "bob@example.com",
            "carol@example.com",
            "dave@example.com",
            "erin@example.com",
            "pct%off@example.com",
            "pctxoff@example.com",
            "under_score@example.com",
            "underxscore@example.com",
        ];
        all.sort_unstable();
        let live: Vec<&str> = all
            .iter()
            .copied()
            .filter(|e| *e != "dave@example.com")
            .collect();

        let f = |build: fn(&mut ListFilter)| {
            let mut f = ListFilter::default();
            build(&mut f);
            f
        };
        assert_eq!(
            emails(r.as_mut(), &ListFilter::default()),
            live,
            "{b:?}: default hides deleted"
        );
        assert_eq!(
            emails(r.as_mut(), &f(|f| f.include_deleted = true)),
            all,
            "{b:?}: include_deleted"
        );
        let deleted = list(r.as_mut(), &f(|f| f.statuses = vec![Status::Deleted]));
        assert_eq!(deleted.len(), 1, "{b:?}");
        assert_eq!(deleted[0].email, "dave@example.com", "{b:?}");
        assert_eq!(deleted[0].status, "deleted", "{b:?}");
        assert_eq!(
            emails(
                r.as_mut(),
                &f(|f| f.statuses = vec![Status::Suspended, Status::Draft])
            ),
            ["carol@example.com", "erin@example.com"],
            "{b:?}"
        );
        assert_eq!(
            emails(r.as_mut(), &f(|f| f.statuses = vec![Status::Invited])),
            ["pct%off@example.com"],
            "{b:?}"
        );
        assert_eq!(
            emails(
                r.as_mut(),
                &ListFilter {
                    role: Some(admin_role.clone()),
                    ..ListFilter::default()
                }
            ),
            ["alice@example.com"],
            "{b:?}: by role"
        );
        let editors = emails(
            r.as_mut(),
            &ListFilter {
                role: Some(editor.clone()),
                ..ListFilter::default()
            },
        );
        assert_eq!(editors.len(), live.len() - 1, "{b:?}: {editors:?}");

        // Search: case-insensitive, over email and names, `%` and `_` literal.
        let search = |term: &str| ListFilter {
            search: Some(term.to_string()),
            ..ListFilter::default()
        };
        assert_eq!(
            emails(r.as_mut(), &search("%")),
            ["pct%off@example.com"],
            "{b:?}: % is literal"
        );
        assert_eq!(
            emails(r.as_mut(), &search("_")),
            ["under_score@example.com"],
            "{b:?}: _ is literal"
        );
        assert_eq!(
            emails(r.as_mut(), &search("\\")),
            ["back\\slash@example.com"],
            "{b:?}: \\ is literal"
        );
        assert_eq!(
            emails(r.as_mut(), &search("t%o")),
            ["pct%off@example.com"],
            "{b:?}"
        );
        assert_eq!(
            emails(r.as_mut(), &search("r_s")),
            ["under_score@example.com"],
            "{b:?}"
        );
        assert_eq!(
            emails(r.as_mut(), &search("PCT")),
            ["pct%off@example.com", "pctxoff@example.com"],
            "{b:?}"
        );
        assert_eq!(
            emails(r.as_mut(), &search("zed")),
            ["bob@example.com"],
            "{b:?}: last name"
        );
        assert_eq!(
            emails(r.as_mut(), &search("BOB")),
            ["bob@example.com"],
            "{b:?}"
        );
        assert!(emails(r.as_mut(), &search("dave")).is_empty(), "{b:?}");
        let mut with_deleted = search("dave");
        with_deleted.include_deleted = true;
        assert_eq!(
            emails(r.as_mut(), &with_deleted),
            ["dave@example.com"],
            "{b:?}"
        );
        let mut combined = search("example");
        combined.statuses = vec![Status::Active];
        combined.role = Some(editor.clone());
        assert_eq!(
            emails(r.as_mut(), &combined),
            [
                "back\\slash@example.com",
                "bob@example.com",
                "pctxoff@example.com",
                "under_score@example.com",
                "underxscore@example.com"
            ],
            "{b:?}"
        );

        // Paging, after sorting.
        let page = |limit: Option<u64>, offset: Option<u64>| ListFilter {
            limit,
            offset,
            ..ListFilter::default()
        };
        assert_eq!(emails(r.as_mut(), &page(Some(2), None)), live[..2], "{b:?}");
        assert_eq!(
            emails(r.as_mut(), &page(Some(3), Some(2))),
            live[2..5],
            "{b:?}"
        );
        assert_eq!(emails(r.as_mut(), &page(None, Some(6))), live[6..], "{b:?}");
        assert!(
            emails(r.as_mut(), &page(Some(5), Some(100))).is_empty(),
            "{b:?}"
        );
        assert!(emails(r.as_mut(), &page(Some(0), None)).is_empty(), "{b:?}");

        // Input is bound, never spliced into SQL.
        add_user(r.as_mut(), "o'brien@example.com", &editor, Status::Active);
        assert_eq!(
            emails(r.as_mut(), &search("O'B")),
            ["o'brien@example.com"],
            "{b:?}"
        );
        assert!(
            r.find_user("x' OR '1'='1").expect("find").is_none(),
            "{b:?}"
        );
        assert!(
            emails(r.as_mut(), &search("' OR 1=1 --")).is_empty(),
            "{b:?}"
        );
        assert!(
            r.find_role("x' OR '1'='1").expect("find role").is_none(),
            "{b:?}"
        );

        // An error from the consumer ends the stream and is returned.
        let mut seen = 0;
        let err = r
            .list_users(&ListFilter::default(), &mut |_| {
                seen += 1;
                Err(Error::conflict("stop"))
            })
            .expect_err("consumer error");
        assert_eq!(err.exit_code(), 4, "{b:?}");
        assert_eq!(seen, 1, "{b:?}");
    }
}

#[test]
fn list_users_on_directus() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        assert_eq!(
            emails(r.as_mut(), &ListFilter::default()),
            [
                "admin@example.com",
                "editor@example.com",
                "invited@example.com",
                "suspended@example.com"
            ],
            "{label}"
        );
        let all = list(
            r.as_mut(),
            &ListFilter {
                include_deleted: true,
                ..ListFilter::default()
            },
        );
        assert_eq!(all.len(), 5, "{label}");
        let statuses: Vec<&str> = all.iter().map(|u| u.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["active", "deleted", "active", "invited", "suspended"],
            "{label}"
        );
        let admins: Vec<&str> = all
            .iter()
            .filter(|u| u.is_admin)
            .map(|u| u.email.as_str())
            .collect();
        assert_eq!(admins, ["admin@example.com"], "{label}");
        assert_eq!(
            emails(
                r.as_mut(),
                &ListFilter {
                    role: Some(EDITOR_ROLE.into()),
                    ..ListFilter::default()
                }
            ),
            [
                "editor@example.com",
                "invited@example.com",
                "suspended@example.com"
            ],
            "{label}"
        );
        assert_eq!(
            emails(
                r.as_mut(),
                &ListFilter {
                    statuses: vec![Status::Deleted],
                    ..ListFilter::default()
                }
            ),
            ["archived@example.com"],
            "{label}"
        );
        assert_eq!(
            emails(
                r.as_mut(),
                &ListFilter {
                    search: Some("EDDIE".into()),
                    ..ListFilter::default()
                }
            ),
            ["editor@example.com"],
            "{label}: first name"
        );

        // Values Directus may hold but roster does not know are shown as they are.
        set_stored_status(&env, SUSPENDED_ID, "unverified");
        let odd = list(
            r.as_mut(),
            &ListFilter {
                statuses: vec![Status::Other("unverified".into())],
                ..ListFilter::default()
            },
        );
        assert_eq!(odd.len(), 1, "{label}");
        assert_eq!(odd[0].status, "unverified", "{label}");
        assert_eq!(
            emails(r.as_mut(), &ListFilter::default()).len(),
            4,
            "{label}"
        );
    }
}

// ---------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------

#[test]
fn roles_list_find_and_create() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let admin_role = role_id(r.as_mut(), "Administrator");

        let editor = r
            .create_role(
                &NewRole {
                    name: "Editor".into(),
                    admin_access: false,
                    app_access: false,
                    if_not_exists: false,
                },
                &plain(),
            )
            .expect("editor");
        assert_eq!(
            (editor.admin_access, editor.app_access, editor.users),
            (false, false, 0),
            "{b:?}"
        );
        let ops = r
            .create_role(
                &NewRole {
                    name: "Ops".into(),
                    admin_access: true,
                    app_access: false,
                    if_not_exists: false,
                },
                &plain(),
            )
            .expect("ops");
        assert!(
            ops.admin_access && ops.app_access,
            "{b:?}: admin implies app access: {ops:?}"
        );
        let apps = r
            .create_role(
                &NewRole {
                    name: "apps".into(),
                    admin_access: false,
                    app_access: true,
                    if_not_exists: false,
                },
                &plain(),
            )
            .expect("apps");
        assert!(!apps.admin_access && apps.app_access, "{b:?}: {apps:?}");
        for role in [&editor, &ops, &apps] {
            let id = uuid::Uuid::parse_str(&role.id).expect("uuid");
            assert_eq!(id.get_version_num(), 4, "{b:?}");
            assert_eq!(role.id, role.id.to_lowercase(), "{b:?}");
        }

        // Users of an admin role are administrators; others are not.
        let o = add_user(r.as_mut(), "ops@example.com", &ops.id, Status::Active);
        assert!(o.is_admin, "{b:?}: {o:?}");
        let a = add_user(r.as_mut(), "apps@example.com", &apps.id, Status::Active);
        assert!(!a.is_admin, "{b:?}");
        let gone = add_user(r.as_mut(), "gone@example.com", &ops.id, Status::Active);
        r.change_status(&gone.id, Change::SoftDelete, &plain())
            .expect("delete");

        // Sorted by name, case-insensitively; deleted users are not counted.
        let roles = r.list_roles().expect("list");
        let names: Vec<&str> = roles.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["Administrator", "apps", "Editor", "Ops"], "{b:?}");
        let ops_now = Role {
            users: 1,
            ..ops.clone()
        };
        assert_eq!(roles[3], ops_now, "{b:?}");
        assert_eq!(roles[0].id, admin_role, "{b:?}");

        // Found by name in any case, or by id.
        for key in ["ops", "OPS", ops.id.as_str(), &ops.id.to_uppercase()] {
            assert_eq!(
                r.find_role(key).expect("find"),
                Some(ops_now.clone()),
                "{b:?}: {key:?}"
            );
        }
        assert_eq!(r.find_role("nope").expect("find"), None, "{b:?}");
        assert_eq!(
            r.find_role(&uuid::Uuid::new_v4().to_string())
                .expect("find"),
            None,
            "{b:?}"
        );

        // A name that exists, in any case, is a conflict.
        for name in ["Editor", "EDITOR", "administrator"] {
            let dup = NewRole {
                name: name.into(),
                admin_access: false,
                app_access: false,
                if_not_exists: false,
            };
            assert_eq!(
                fails(name, r.create_role(&dup, &plain())).exit_code(),
                4,
                "{b:?}: {name}"
            );
        }
        assert_eq!(env.count("SELECT count(*) FROM directus_roles"), 4, "{b:?}");

        // The standalone schema keeps access on policies, as Directus 11 does.
        assert_eq!(
            env.count(&format!(
                    "SELECT count(*) FROM directus_access a JOIN directus_policies p ON p.id = a.policy \
                     WHERE a.role = '{}' AND p.admin_access = true AND p.app_access = true",
                    ops.id
                )),
            1,
            "{b:?}"
        );
        if b == Backend::Sqlite {
            assert_eq!(
                env.value(
                    "SELECT group_concat(DISTINCT typeof(admin_access)) FROM directus_policies"
                )
                .as_deref(),
                Some("integer"),
                "booleans as 0/1"
            );
        }
    }
}

#[test]
fn find_role_refuses_an_ambiguous_name() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        for name in ["Twin", "twin"] {
            env.exec(&format!(
                "INSERT INTO directus_roles (id, name) VALUES ('{}', '{name}')",
                uuid::Uuid::new_v4()
            ));
        }
        assert_eq!(
            fails("ambiguous", r.find_role("TWIN")).exit_code(),
            2,
            "{b:?}"
        );
    }
}

#[test]
fn roles_on_directus() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let roles = r.list_roles().expect("roles");
        let summary: Vec<(&str, bool, bool, i64)> = roles
            .iter()
            .map(|x| (x.name.as_str(), x.admin_access, x.app_access, x.users))
            .collect();
        assert_eq!(
            summary,
            [("Administrator", true, true, 1), ("Editor", false, true, 3)],
            "{label}"
        );
        assert_eq!(
            r.find_role("editor").expect("find").map(|x| x.id),
            Some(EDITOR_ROLE.into()),
            "{label}"
        );
        assert_eq!(
            r.find_role(EDITOR_ROLE).expect("find").map(|x| x.name),
            Some("Editor".into()),
            "{label}"
        );

        // An admin role made by roster makes its users administrators in that version.
        let ops = r
            .create_role(
                &NewRole {
                    name: "Ops".into(),
                    admin_access: true,
                    app_access: false,
                    if_not_exists: false,
                },
                &plain(),
            )
            .expect("ops");
        assert!(ops.admin_access && ops.app_access, "{label}: {ops:?}");
        let u = add_user(r.as_mut(), "ops@example.com", &ops.id, Status::Active);
        assert!(u.is_admin, "{label}");
        if label.starts_with("directus11") {
            // Directus 11 reads admin access from a policy linked through directus_access.
            let links = env.rows(&format!(
                "SELECT a.id, p.id FROM directus_access a JOIN directus_policies p ON p.id = a.policy \
                 WHERE a.role = '{}' AND a.\"user\" IS NULL AND p.admin_access = true AND p.app_access = true",
                ops.id
            ));
            assert_eq!(links.len(), 1, "{label}: {links:?}");
            for id in links[0].iter().flatten() {
                let parsed = uuid::Uuid::parse_str(id).expect("uuid");
                assert_eq!(parsed.get_version_num(), 4, "{label}: {id}");
                assert_eq!(*id, id.to_lowercase(), "{label}");
            }
        } else {
            assert_eq!(
                env.rows(&format!(
                    "SELECT admin_access, app_access FROM directus_roles WHERE id = '{}'",
                    ops.id
                )),
                vec![vec![Some("1".into()), Some("1".into())]],
                "{label}"
            );
        }
        let plain_one = r
            .create_role(
                &NewRole {
                    name: "Viewer".into(),
                    admin_access: false,
                    app_access: true,
                    if_not_exists: false,
                },
                &plain(),
            )
            .expect("viewer");
        let v = add_user(
            r.as_mut(),
            "viewer@example.com",
            &plain_one.id,
            Status::Active,
        );
        assert!(!v.is_admin, "{label}");
        let dup = NewRole {
            name: "editor".into(),
            admin_access: false,
            app_access: false,
            if_not_exists: false,
        };
        assert_eq!(
            fails(&label, r.create_role(&dup, &plain())).exit_code(),
            4,
            "{label}"
        );

        // Now admin@ is no longer the last admin.
        r.change_status("admin@example.com", Change::Suspend, &plain())
            .expect("not last");
    }
    // 10.x: access on the role itself.
    let env = TestEnv::directus10();
    let mut r = repo(&env);
    let ops = r
        .create_role(
            &NewRole {
                name: "Ops".into(),
                admin_access: true,
                app_access: false,
                if_not_exists: false,
            },
            &plain(),
        )
        .expect("ops");
    assert_eq!(
        env.rows(&format!(
            "SELECT admin_access, app_access FROM directus_roles WHERE id = '{}'",
            ops.id
        )),
        vec![vec![Some("1".into()), Some("1".into())]]
    );
}

// ---------------------------------------------------------------------------
// Dry runs
// ---------------------------------------------------------------------------

#[test]
fn dry_run_changes_nothing() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        let u = add_user(r.as_mut(), "kept@example.com", &editor, Status::Active);
        let deleted = add_user(r.as_mut(), "old@example.com", &editor, Status::Active);
        r.change_status(&deleted.id, Change::SoftDelete, &plain())
            .expect("delete");
        env.add_session("kept-session", &u.id);
        let before = env.dump();
        let file = env.file_bytes();
        let mut opts = dry();
        opts.audit = true;

        let created = r
            .create_user(
                &new_user("new@example.com", Some(&editor), Status::Active),
                &opts,
            )
            .expect("dry create");
        assert!(
            matches!(&created, Created::Inserted(x) if x.email == "new@example.com"),
            "{b:?}: {created:?}"
        );
        let revived = r
            .create_user(&new_user("old@example.com", None, Status::Invited), &opts)
            .expect("dry revive");
        assert!(
            matches!(&revived, Created::Revived(x) if x.id == deleted.id),
            "{b:?}: {revived:?}"
        );
        let changed = r
            .change_status(&u.id, Change::Suspend, &opts)
            .expect("dry suspend");
        assert!(
            matches!(&changed, Changed::Done { user, .. } if user.status == "suspended"),
            "{b:?}: {changed:?}"
        );
        r.change_status(&u.id, Change::SoftDelete, &opts)
            .expect("dry delete");
        let tokened = r
            .set_token(&u.id, Some("dry-token-0123456789abcdefghijklmnop"), &opts)
            .expect("dry token");
        assert!(tokened.has_token, "{b:?}");
        r.set_password(&u.id, HASH2, &opts).expect("dry password");
        let role = r
            .create_role(
                &NewRole {
                    name: "Ghost".into(),
                    admin_access: true,
                    app_access: true,
                    if_not_exists: false,
                },
                &opts,
            )
            .expect("dry role");
        assert_eq!(role.name, "Ghost", "{b:?}");

        assert_eq!(env.dump(), before, "{b:?}");
        if b == Backend::Sqlite {
            assert!(env.file_bytes() == file, "SQLite file changed by a dry run");
        }
        assert!(
            r.find_user("new@example.com").expect("find").is_none(),
            "{b:?}"
        );
        assert_eq!(find(r.as_mut(), &deleted.id).status, "deleted", "{b:?}");
        assert_eq!(find(r.as_mut(), &u.id).status, "active", "{b:?}");
        assert!(r.find_role("Ghost").expect("find").is_none(), "{b:?}");

        // A dry run still checks everything: the same refusals as a real run.
        let admin_role = role_id(r.as_mut(), "Administrator");
        let admin = add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
        let before = env.dump();
        let dup = new_user("kept@example.com", Some(&editor), Status::Active);
        assert_eq!(
            fails("dry dup", r.create_user(&dup, &dry())).exit_code(),
            4,
            "{b:?}"
        );
        let dup_role = NewRole {
            name: "editor".into(),
            admin_access: false,
            app_access: false,
            if_not_exists: false,
        };
        assert_eq!(
            fails("dry role", r.create_role(&dup_role, &dry())).exit_code(),
            4,
            "{b:?}"
        );
        let last = r.change_status(&admin.id, Change::Suspend, &dry());
        assert_eq!(fails("dry last admin", last).exit_code(), 4, "{b:?}");
        let bad = r.change_status(&deleted.id, Change::Unsuspend, &dry());
        assert_eq!(fails("dry refused", bad).exit_code(), 4, "{b:?}");
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

#[test]
fn dry_run_changes_nothing_on_directus() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let before = env.dump();
        r.change_status(EDITOR_ID, Change::SoftDelete, &dry())
            .expect("dry delete");
        r.create_user(
            &new_user("archived@example.com", None, Status::Invited),
            &dry(),
        )
        .expect("dry revive");
        r.create_role(
            &NewRole {
                name: "Ops".into(),
                admin_access: true,
                app_access: false,
                if_not_exists: false,
            },
            &dry(),
        )
        .expect("dry role");
        r.set_token(EDITOR_ID, None, &dry()).expect("dry clear");
        assert_eq!(env.dump(), before, "{label}");
    }
}

// ---------------------------------------------------------------------------
// Audit trail (spec §6)
// ---------------------------------------------------------------------------

/// The (id, action, user, user_agent, collection, item) of the activity rows after `after`.
fn activity_since(env: &TestEnv, after: i64) -> Vec<Vec<Option<String>>> {
    env.rows(&format!(
        "SELECT id, action, \"user\", user_agent, collection, item FROM directus_activity WHERE id > {after} ORDER BY id"
    ))
}

fn max_activity(env: &TestEnv) -> i64 {
    env.count("SELECT coalesce(max(id), 0) FROM directus_activity")
}

/// The (data, delta) of the revision of one activity row, parsed.
fn revision(env: &TestEnv, activity: &str) -> (String, serde_json::Value, serde_json::Value) {
    let rows = env.rows(&format!(
        "SELECT collection, item, data, delta FROM directus_revisions WHERE activity = {activity}"
    ));
    assert_eq!(
        rows.len(),
        1,
        "one revision for activity {activity}: {rows:?}"
    );
    let row = &rows[0];
    let parse = |v: &Option<String>| -> serde_json::Value {
        serde_json::from_str(v.as_deref().expect("json")).expect("valid json")
    };
    let raw = format!("{row:?}");
    (raw, parse(&row[2]), parse(&row[3]))
}

/// Epoch milliseconds of an activity row's timestamp.
fn activity_time(env: &TestEnv, id: &str) -> i64 {
    let sql = match env.backend {
        Backend::Sqlite => format!("SELECT \"timestamp\" FROM directus_activity WHERE id = {id}"),
        Backend::Postgres => format!(
            "SELECT (extract(epoch FROM \"timestamp\") * 1000)::bigint FROM directus_activity WHERE id = {id}"
        ),
        Backend::Mysql => format!(
            "SELECT UNIX_TIMESTAMP(\"timestamp\") * 1000 FROM directus_activity WHERE id = {id}"
        ),
    };
    env.count(&sql)
}

#[test]
fn audit_records_activity_and_masked_revisions() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let admin_role = role_id(r.as_mut(), "Administrator");
        let admin = add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
        assert_eq!(max_activity(&env), 0, "{b:?}: audit is off by default");
        let opts = audited(Some(&admin.id));
        let token = "audit-token-0123456789abcdefghijklmnopq";

        // create
        let mut new = new_user("aud@example.com", Some(&admin_role), Status::Active);
        new.profile.set("first_name", "Aud").unwrap();
        let u = r.create_user(&new, &opts).expect("create").user().clone();
        let rows = activity_since(&env, 0);
        assert_eq!(rows.len(), 1, "{b:?}: {rows:?}");
        let row = &rows[0];
        let expected = |action: &str, actor: Option<&str>, collection: &str, item: &str| {
            vec![
                Some(action.to_string()),
                actor.map(str::to_string),
                Some(AGENT.to_string()),
                Some(collection.to_string()),
                Some(item.to_string()),
            ]
        };
        assert_eq!(
            row[1..],
            expected("create", Some(&admin.id), "directus_users", &u.id),
            "{b:?}"
        );
        let act = row[0].clone().expect("id");
        let t = activity_time(&env, &act);
        assert!(
            (t - now_ms()).abs() < 120_000,
            "{b:?}: timestamp {t} is not now"
        );
        if b == Backend::Sqlite {
            assert_eq!(
                env.value(&format!(
                    "SELECT typeof(\"timestamp\") FROM directus_activity WHERE id = {act}"
                ))
                .as_deref(),
                Some("integer"),
                "timestamps as epoch ms"
            );
        }
        let (raw, data, delta) = revision(&env, &act);
        assert!(!raw.contains(HASH), "{b:?}: the hash leaked: {raw}");
        assert_eq!(data["id"], u.id.as_str(), "{b:?}");
        assert_eq!(data["email"], "aud@example.com", "{b:?}");
        assert_eq!(data["first_name"], "Aud", "{b:?}");
        assert_eq!(data["password"], MASK, "{b:?}");
        assert_eq!(data["status"], "active", "{b:?}");
        assert_eq!(delta["password"], MASK, "{b:?}");

        // set_token: an update with the full record and the delta, both masked.
        let mark = max_activity(&env);
        env.exec(&format!(
            "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{}'",
            u.id
        ));
        r.set_token(&u.id, Some(token), &opts).expect("token");
        let rows = activity_since(&env, mark);
        assert_eq!(rows.len(), 1, "{b:?}");
        assert_eq!(
            rows[0][1..],
            expected("update", Some(&admin.id), "directus_users", &u.id),
            "{b:?}"
        );
        let (raw, data, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
        for secret in [token, HASH, "JBSWY3DPEHPK3PXP"] {
            assert!(!raw.contains(secret), "{b:?}: {secret} leaked: {raw}");
        }
        assert_eq!(delta, serde_json::json!({ "token": MASK }), "{b:?}");
        assert_eq!(data["token"], MASK, "{b:?}");
        assert_eq!(data["password"], MASK, "{b:?}");
        assert_eq!(data["tfa_secret"], MASK, "{b:?}");
        assert_eq!(data["email"], "aud@example.com", "{b:?}");

        // Clearing writes a null, not the mask.
        let mark = max_activity(&env);
        r.set_token(&u.id, None, &opts).expect("clear");
        let rows = activity_since(&env, mark);
        let (_, data, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
        assert_eq!(delta, serde_json::json!({ "token": null }), "{b:?}");
        assert_eq!(data["token"], serde_json::Value::Null, "{b:?}");

        // set_password and status changes; no actor means a NULL user.
        let mark = max_activity(&env);
        r.set_password(&u.id, HASH2, &audited(None))
            .expect("password");
        r.change_status(&u.id, Change::SoftDelete, &audited(None))
            .expect("delete");
        let rows = activity_since(&env, mark);
        assert_eq!(rows.len(), 2, "{b:?}");
        assert_eq!(
            rows[0][1..],
            expected("update", None, "directus_users", &u.id),
            "{b:?}"
        );
        let (raw, _, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
        assert!(!raw.contains(HASH2), "{b:?}");
        assert_eq!(delta["password"], MASK, "{b:?}");
        let (_, _, delta) = revision(&env, rows[1][0].as_deref().expect("id"));
        assert_eq!(delta["status"], "deleted", "{b:?}");
        assert_eq!(delta["password"], serde_json::Value::Null, "{b:?}");
        assert_eq!(delta["token"], serde_json::Value::Null, "{b:?}");
        assert_eq!(delta["tfa_secret"], serde_json::Value::Null, "{b:?}");

        // A revive is recorded once, on the old id, secrets masked.
        let mark = max_activity(&env);
        r.create_user(&new, &opts).expect("revive");
        let rows = activity_since(&env, mark);
        assert_eq!(rows.len(), 1, "{b:?}: {rows:?}");
        assert_eq!(
            rows[0][2..],
            expected("update", Some(&admin.id), "directus_users", &u.id)[1..],
            "{b:?}"
        );
        let (raw, data, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
        assert!(!raw.contains(HASH), "{b:?}: the hash leaked: {raw}");
        assert_eq!(delta["password"], MASK, "{b:?}");
        assert_eq!(delta["status"], "active", "{b:?}");
        assert_eq!(data["id"], u.id.as_str(), "{b:?}");

        // create_role is recorded on directus_roles.
        let mark = max_activity(&env);
        let role = r
            .create_role(
                &NewRole {
                    name: "Audited".into(),
                    admin_access: false,
                    app_access: true,
                    if_not_exists: false,
                },
                &opts,
            )
            .expect("role");
        let rows = activity_since(&env, mark);
        assert_eq!(rows.len(), 1, "{b:?}");
        assert_eq!(
            rows[0][1..],
            expected("create", Some(&admin.id), "directus_roles", &role.id),
            "{b:?}"
        );
        let (_, data, _) = revision(&env, rows[0][0].as_deref().expect("id"));
        assert_eq!(data["name"], "Audited", "{b:?}");

        // Audit off: nothing recorded.
        let mark = max_activity(&env);
        let revisions = env.count("SELECT count(*) FROM directus_revisions");
        let v = add_user(r.as_mut(), "quiet@example.com", &admin_role, Status::Active);
        r.set_token(&v.id, Some(token), &plain()).expect("token");
        r.change_status(&v.id, Change::Suspend, &plain())
            .expect("suspend");
        plain_role(r.as_mut(), "Quiet");
        assert_eq!(max_activity(&env), mark, "{b:?}");
        assert_eq!(
            env.count("SELECT count(*) FROM directus_revisions"),
            revisions,
            "{b:?}"
        );
    }
}

#[test]
fn audit_on_directus() {
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "admin@example.com");
        let mark = max_activity(&env);
        let revisions = env.count("SELECT count(*) FROM directus_revisions");

        r.change_status(EDITOR_ID, Change::Suspend, &plain())
            .expect("quiet");
        assert_eq!(max_activity(&env), mark, "{label}: audit off");

        r.change_status(EDITOR_ID, Change::Unsuspend, &audited(Some(&admin.id)))
            .expect("audited");
        let rows = activity_since(&env, mark);
        assert_eq!(rows.len(), 1, "{label}");
        assert_eq!(
            rows[0][1..],
            [
                Some("update".into()),
                Some(admin.id.clone()),
                Some(AGENT.into()),
                Some("directus_users".into()),
                Some(EDITOR_ID.into())
            ],
            "{label}"
        );
        let (raw, data, delta) = revision(&env, rows[0][0].as_deref().expect("id"));
        assert!(
            !raw.contains(EDITOR_TOKEN) && !raw.contains("$argon2"),
            "{label}: secret leaked: {raw}"
        );
        assert_eq!(data["token"], MASK, "{label}");
        assert_eq!(data["password"], MASK, "{label}");
        assert_eq!(data["email"], "editor@example.com", "{label}");
        assert_eq!(delta, serde_json::json!({ "status": "active" }), "{label}");
        assert_eq!(
            env.count("SELECT count(*) FROM directus_revisions"),
            revisions + 1,
            "{label}"
        );
    }
}

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

#[test]
fn settings_reads_the_password_policy() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let s = r.settings().expect("settings");
        assert_eq!(s.password_policy, None, "{b:?}");
        assert_eq!(s.login_attempts, Some(25), "{b:?}");
        assert_eq!(s.project_name.as_deref(), Some("Directus"), "{b:?}");

        env.exec("UPDATE directus_settings SET auth_password_policy = '/^.{8,}$/', auth_login_attempts = 3, project_name = 'Acme'");
        let s = r.settings().expect("settings");
        assert_eq!(s.password_policy.as_deref(), Some("/^.{8,}$/"), "{b:?}");
        assert_eq!(s.login_attempts, Some(3), "{b:?}");
        assert_eq!(s.project_name.as_deref(), Some("Acme"), "{b:?}");

        // No settings row: defaults, not an error.
        env.exec("DELETE FROM directus_settings");
        let s = r.settings().expect("settings without a row");
        assert_eq!(s.password_policy, None, "{b:?}");
        assert_eq!(s.login_attempts, None, "{b:?}");
    }
    for (label, env) in directus_envs() {
        let mut r = repo(&env);
        let s = r.settings().expect("settings");
        assert_eq!(s.password_policy.as_deref(), Some(STRONG_POLICY), "{label}");
        assert_eq!(STRONG_POLICY.len(), 84);
        assert_eq!(s.login_attempts, Some(5), "{label}");
        assert_eq!(s.project_name.as_deref(), Some("Directus"), "{label}");
    }
}

// ---------------------------------------------------------------------------
// Concurrent writers
// ---------------------------------------------------------------------------

/// Runs `work` on `n` connections at once, each on its own thread.
fn race<T: Send + 'static>(
    env: &TestEnv,
    n: usize,
    work: impl Fn(usize, &mut dyn Repo) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let work = std::sync::Arc::new(work);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (target, work, barrier) = (target(env, false), work.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut r = match open(&target, connect_opts()) {
                    Ok(r) => r,
                    Err(e) => panic!("open: {e}"),
                };
                barrier.wait();
                work(i, r.as_mut())
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect()
}

#[test]
fn concurrent_creates_of_one_email_make_one_row() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let editor = plain_role(r.as_mut(), "Editor");
        for round in 0..3 {
            let email = format!("race{round}@example.com");
            let (e, role) = (email.clone(), editor.clone());
            let results = race(&env, 4, move |_, r| {
                r.create_user(&new_user(&e, Some(&role), Status::Active), &plain())
                    .map(|_| ())
                    .map_err(|err| err.exit_code())
            });
            let ok = results.iter().filter(|x| x.is_ok()).count();
            assert_eq!(ok, 1, "{b:?}: {results:?}");
            assert!(
                results.iter().all(|x| matches!(x, Ok(()) | Err(4))),
                "{b:?}: {results:?}"
            );
            assert_eq!(
                env.count(&format!(
                    "SELECT count(*) FROM directus_users WHERE lower(email) = '{email}'"
                )),
                1,
                "{b:?}"
            );
        }
    }
}

#[test]
fn concurrent_suspends_never_remove_the_last_admin() {
    for b in backends() {
        let (env, mut r) = standalone(b);
        let admin_role = role_id(r.as_mut(), "Administrator");
        for round in 0..3 {
            let ids: Vec<String> = (0..2)
                .map(|i| {
                    add_user(
                        r.as_mut(),
                        &format!("adm{round}-{i}@example.com"),
                        &admin_role,
                        Status::Active,
                    )
                    .id
                })
                .collect();
            let targets = ids.clone();
            let results = race(&env, 2, move |i, r| {
                r.change_status(&targets[i], Change::Suspend, &plain())
                    .map(|_| ())
                    .map_err(|err| err.exit_code())
            });
            let ok = results.iter().filter(|x| x.is_ok()).count();
            assert_eq!(ok, 1, "{b:?}: round {round}: {results:?}");
            assert!(results.contains(&Err(4)), "{b:?}: {results:?}");
            let active = ids
                .iter()
                .filter(|id| column(&env, id, "status").as_deref() == Some("active"))
                .count();
            assert_eq!(active, 1, "{b:?}: round {round}");
            // Leave no active admin from this round behind, so the next round has two.
            for id in &ids {
                r.change_status(id, Change::SoftDelete, &forced())
                    .expect("cleanup");
            }
        }
    }
}

#[test]
fn edit_user_writes_only_differences_and_guards_the_last_admin() {
    for b in backends() {
        let (_env, mut r) = standalone(b);
        let admin = role_id(r.as_mut(), "Administrator");
        let staff = plain_role(r.as_mut(), "Staff");
        let ann = add_user(r.as_mut(), "ann@example.com", &admin, Status::Active);
        let title = |t: &str| Edit {
            profile: Profile::of(&[("title", t)]).unwrap(),
            ..Edit::default()
        };
        match r
            .edit_user("ANN@example.com", &title("Lead"), &plain())
            .expect("edit")
        {
            Changed::Done { user, .. } => {
                assert_eq!(user.profile.get("title"), Some("Lead"), "{b:?}")
            }
            other => panic!("{b:?}: {other:?}"),
        }
        let again = r
            .edit_user(&ann.id, &title("Lead"), &plain())
            .expect("edit again");
        assert!(matches!(again, Changed::AlreadyThere(_)), "{b:?}");
        let cleared = r.edit_user(&ann.id, &title(""), &dry()).expect("dry edit");
        assert!(matches!(cleared, Changed::Done { .. }));
        let still = r.find_user(&ann.id).expect("find").expect("ann");
        assert_eq!(
            still.profile.get("title"),
            Some("Lead"),
            "a dry run changes nothing"
        );

        let to_staff = Edit {
            role: Some(staff.clone()),
            ..Edit::default()
        };
        let err = fails("last admin", r.edit_user(&ann.id, &to_staff, &plain()));
        assert_eq!(err.exit_code(), 4, "{b:?}");
        let forced_edit = r.edit_user(&ann.id, &to_staff, &forced()).expect("forced");
        let Changed::Done { user, .. } = forced_edit else {
            panic!("{b:?}")
        };
        assert_eq!(user.role.as_deref(), Some(staff.as_str()));
        assert!(!user.is_admin);
    }
}
