//! Repository conformance: every behaviour of the `Repo` trait, driven directly
//! (not through the CLI), on every configured database and through each PgBouncer
//! pooling mode (`each_db!(name, poolers)`), and, where a story applies, on the
//! Directus 11.3.5 and 10.13.4 fixtures.
//!
//! Each story starts from its own database. The standalone schema is made by
//! `Repo::init` on an empty database; the fixtures are copies of real Directus
//! databases (see tests/fixtures and the fixtures README).
// Test bodies are plain functions that `each_db!` calls: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

use crate::common::{
    ARCHIVED_ID, Backend, EDITOR_ID, EDITOR_ROLE, EDITOR_TOKEN, ROSTER_TABLES, STRONG_POLICY,
    SUSPENDED_ID, TestEnv, Via,
};
// Every story here also runs through the configured poolers.
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
/// A two-factor secret, as Directus stores one.
const TFA_SECRET: &str = "JBSWY3DPEHPK3PXP";
/// The user agent roster records in directus_activity.
const AGENT: &str = concat!("roster/", env!("CARGO_PKG_VERSION"));

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

fn connect_opts() -> ConnectOpts {
    ConnectOpts {
        busy_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
        host_bound_credentials: false,
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
fn directus_envs(b: Via) -> Vec<(&'static str, TestEnv)> {
    let mut all = vec![("directus11", TestEnv::directus11(b))];
    if b == Backend::Sqlite {
        all.push(("directus10", TestEnv::directus10()));
    }
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

/// The user of a create that must have inserted a row.
#[track_caller]
fn inserted(c: Created) -> User {
    match c {
        Created::Inserted(u) => u,
        other => panic!("expected Inserted, got {other:?}"),
    }
}

/// The user of a create that must have revived a soft-deleted row.
#[track_caller]
fn revived(c: Created) -> User {
    match c {
        Created::Revived(u) => u,
        other => panic!("expected Revived, got {other:?}"),
    }
}

/// The status a change moved from and the user after it, for a change that was made.
#[track_caller]
fn done(c: Changed) -> (Status, User) {
    match c {
        Changed::Done { from, user } => (from, user),
        other => panic!("expected Done, got {other:?}"),
    }
}

/// The error a call must have returned, which must have this exit code.
#[track_caller]
fn refused<T: Debug>(what: &str, code: u8, r: Result<T, Error>) -> Error {
    let err = fails(what, r);
    assert_eq!(err.exit_code(), code, "{what}: {err}");
    err
}

fn new_role(name: &str, admin_access: bool, app_access: bool) -> NewRole {
    NewRole {
        name: name.to_string(),
        admin_access,
        app_access,
        if_not_exists: false,
    }
}

/// Creates a role that must be new.
#[track_caller]
fn make_role(r: &mut dyn Repo, name: &str, admin_access: bool, app_access: bool) -> Role {
    let new = new_role(name, admin_access, app_access);
    r.create_role(&new, &plain()).expect("create_role")
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
    make_role(r, name, false, false).id
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

/// The emails of the listed users who are administrators.
fn admins(r: &mut dyn Repo, filter: &ListFilter) -> Vec<String> {
    let users = list(r, filter).into_iter();
    users.filter(|u| u.is_admin).map(|u| u.email).collect()
}

/// Users in any of these statuses.
fn with_statuses(statuses: &[Status]) -> ListFilter {
    ListFilter {
        statuses: statuses.to_vec(),
        ..ListFilter::default()
    }
}

/// Users of one role.
fn in_role(id: &str) -> ListFilter {
    ListFilter {
        role: Some(id.to_string()),
        ..ListFilter::default()
    }
}

/// Users whose email or names contain `term`.
fn searching(term: &str) -> ListFilter {
    ListFilter {
        search: Some(term.to_string()),
        ..ListFilter::default()
    }
}

/// Every user, soft-deleted ones too.
fn with_deleted() -> ListFilter {
    ListFilter {
        include_deleted: true,
        ..ListFilter::default()
    }
}

/// One column of one user row, as text.
fn column(env: &TestEnv, id: &str, col: &str) -> Option<String> {
    env.value(&format!(
        "SELECT {col} FROM directus_users WHERE id = '{id}'"
    ))
}

/// A user's stored (status, password, token, tfa_secret), as the rows of a query.
fn credentials(env: &TestEnv, id: &str) -> Vec<Vec<Option<String>>> {
    env.rows(&format!(
        "SELECT status, password, token, tfa_secret FROM directus_users WHERE id = '{id}'"
    ))
}

/// What [`credentials`] reads of a user in `status` without any.
fn none_left(status: &str) -> Vec<Vec<Option<String>>> {
    vec![vec![Some(status.to_string()), None, None, None]]
}

fn set_stored_status(env: &TestEnv, id: &str, raw: &str) {
    env.exec(&format!(
        "UPDATE directus_users SET status = '{raw}' WHERE id = '{id}'"
    ));
}

/// A two-factor secret, as Directus stores one.
fn give_tfa(env: &TestEnv, id: &str) {
    env.exec(&format!(
        "UPDATE directus_users SET tfa_secret = '{TFA_SECRET}' WHERE id = '{id}'"
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

mod audit;
mod concurrency;
mod create;
mod dry_run;
mod edit;
mod last_admin;
mod reading;
mod revive;
mod roles;
mod schema;
mod secrets;
mod soft_delete;
mod status;
