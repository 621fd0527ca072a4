//! Reading and changing rows of `directus_users`: the heart of the repository.

use super::audit::{self, Action};
use super::db::{Db, Dialect, Row, Value, placeholders};
use super::roles::{self, Admins};
use super::schema::Schema;
use super::{Changed, Created, ListFilter, NewUser, Record, User, WriteOpts, canonical_id};
use crate::error::{Error, Result};
use crate::fields::{FIELDS, Field, Kind, Rule, SECRETS};
use crate::profile::Profile;
use crate::status::{self, Change, Status};

/// The SELECT every user read shares, built from [`FIELDS`], and where each
/// field landed in it, so rows are read by field, never by a position written out.
pub(super) struct Select {
    pub sql: String,
    /// Per field of [`FIELDS`], its column in the result (`None`: computed).
    at: Vec<Option<usize>>,
    /// Where the secrets start, when they were asked for.
    secrets: Option<usize>,
}

impl Select {
    /// The user columns this database has; secrets only when `with_secrets`.
    pub fn new(s: &Schema, with_secrets: bool) -> Select {
        let mut exprs = Vec::new();
        let at = FIELDS
            .iter()
            .map(|f| {
                expr(s, f).map(|e| {
                    exprs.push(e);
                    exprs.len() - 1
                })
            })
            .collect();
        let secrets = with_secrets.then(|| {
            let start = exprs.len();
            exprs.extend(SECRETS.iter().map(|(_, c)| s.col_or_null(c)));
            start
        });
        let sql = format!(
            "SELECT {} FROM directus_users u LEFT JOIN directus_roles r ON r.id = u.role",
            exprs.join(", ")
        );
        Select { sql, at, secrets }
    }

    /// The secrets of a row read with them: (name, stored value).
    pub fn secrets(&self, r: &Row) -> Vec<(&'static str, Option<String>)> {
        let Some(start) = self.secrets else {
            return Vec::new();
        };
        SECRETS
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (*name, r.text(start + i)))
            .collect()
    }

    /// The column of the status, which queries filter on.
    fn status_at(&self) -> usize {
        self.index(Kind::Status)
    }

    fn index(&self, kind: Kind) -> usize {
        FIELDS
            .iter()
            .zip(&self.at)
            .find_map(|(f, at)| (f.kind == kind).then_some(*at).flatten())
            .unwrap_or(0)
    }

    /// Reads a user from a row of this SELECT.
    pub fn user(&self, r: &Row, admins: &Admins) -> User {
        let mut u = User::default();
        for (f, at) in FIELDS.iter().zip(&self.at) {
            if let Some(i) = *at {
                read_field(&mut u, f, r, i);
            }
        }
        u.is_admin = admins.contains(&u.id, u.role.as_deref());
        u
    }
}

/// The SQL that reads a field; `None` for one roster computes.
fn expr(s: &Schema, f: &Field) -> Option<String> {
    match f.kind {
        Kind::Admin => None,
        Kind::RoleName => Some("r.name".to_string()),
        Kind::IsSet(c) if s.has(c) => Some(format!("CASE WHEN u.{c} IS NULL THEN 0 ELSE 1 END")),
        Kind::IsSet(_) => Some("0".to_string()),
        _ => Some(
            f.columns
                .iter()
                .find(|c| s.has(c))
                .map_or("NULL".to_string(), |c| format!("u.{c}")),
        ),
    }
}

fn read_field(u: &mut User, f: &'static Field, r: &Row, i: usize) {
    match f.kind {
        Kind::Id => u.id = r.string(i),
        Kind::Email => u.email = r.string(i),
        Kind::Status => u.status = Status::from_db(&r.string(i)).to_string(),
        Kind::RoleName => u.role_name = r.text(i),
        Kind::RoleId => u.role = r.text(i),
        Kind::Admin => {}
        Kind::Profile(Rule::Bool) => {
            if let Some(b) = r.flag(i) {
                u.profile.stored(f, b.to_string());
            }
        }
        Kind::Profile(_) => {
            if let Some(t) = r.text(i) {
                u.profile.stored(f, t);
            }
        }
        Kind::Text if f.name == "avatar" => u.avatar = r.text(i),
        Kind::Text => u.provider = r.text(i),
        Kind::IsSet("password") => u.has_password = r.flag(i).unwrap_or(false),
        Kind::IsSet("token") => u.has_token = r.flag(i).unwrap_or(false),
        Kind::IsSet(_) => u.tfa_enabled = r.flag(i).unwrap_or(false),
        Kind::Time => u.last_access = r.int(i),
    }
}

/// A user by email (any case) or id. An email two live accounts share (Directus's
/// PostgreSQL constraint is case-sensitive) is ambiguous: roster names both ids
/// rather than pick one.
pub fn find(db: &mut dyn Db, s: &Schema, key: &str) -> Result<Option<User>> {
    let (clause, value) = match canonical_id(key) {
        Some(id) => ("u.id = ?", Value::Text(id)),
        None => ("lower(u.email) = ?", Value::Text(key.trim().to_lowercase())),
    };
    // Deleted rows sort last so a live account wins over an old mixed-case twin.
    let select = Select::new(s, false);
    let sql = format!(
        "{} WHERE {clause} ORDER BY CASE WHEN u.status IN ('deleted', 'archived') THEN 1 ELSE 0 END, u.id LIMIT 2",
        select.sql
    );
    let rows = db.query(&sql, &[value])?;
    let status = select.status_at();
    let live = |r: &Row| Status::from_db(&r.string(status)) != Status::Deleted;
    if rows.len() == 2 && rows.iter().all(live) {
        return Err(Error::usage(format!(
            "two users have the email {} in different case ({} and {}): give the id instead",
            key.trim(),
            rows[0].string(select.index(Kind::Id)),
            rows[1].string(select.index(Kind::Id))
        )));
    }
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let admins = Admins::load(db, s)?;
    Ok(Some(select.user(row, &admins)))
}

/// A user that must exist.
pub(super) fn get(db: &mut dyn Db, s: &Schema, key: &str) -> Result<User> {
    find(db, s, key)?.ok_or_else(|| Error::not_found(format!("no user {}", key.trim())))
}

/// Streams users matching a filter, sorted by email.
pub fn list(
    db: &mut dyn Db,
    s: &Schema,
    f: &ListFilter,
    each: &mut dyn FnMut(User) -> Result<()>,
) -> Result<()> {
    scan(db, s, f, false, &mut |user, _| each(user))
}

/// Streams users with their secrets (for `export --with-secrets`), sorted by email.
pub fn export(
    db: &mut dyn Db,
    s: &Schema,
    f: &ListFilter,
    with_secrets: bool,
    each: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<()> {
    scan(db, s, f, with_secrets, &mut |user, secrets| {
        each(Record { user, secrets })
    })
}

type Secrets = Vec<(&'static str, Option<String>)>;

fn scan(
    db: &mut dyn Db,
    s: &Schema,
    f: &ListFilter,
    with_secrets: bool,
    each: &mut dyn FnMut(User, Secrets) -> Result<()>,
) -> Result<()> {
    let (clauses, mut params) = filter_clauses(f);
    // Byte order of the stored email on every database, whatever its collation,
    // users without an email last, then by id. Each spelling lets the database
    // walk its email index where it can instead of sorting every user.
    let order = match db.dialect() {
        // ASC puts NULL last already.
        Dialect::Postgres => "u.email COLLATE \"C\", u.id",
        // Not `COLLATE utf8mb4_bin`: older Directus tables may be utf8mb3.
        Dialect::Mysql => {
            "CASE WHEN u.email IS NULL THEN 1 ELSE 0 END, CAST(u.email AS BINARY), u.id"
        }
        Dialect::Sqlite => "u.email NULLS LAST, u.id",
    };
    let select = Select::new(s, with_secrets);
    let sql = format!(
        "{}{} ORDER BY {order} LIMIT ? OFFSET ?",
        select.sql,
        where_of(&clauses)
    );
    params.push(Value::Int(
        f.limit.map_or(i64::MAX, |n| n.min(i64::MAX as u64) as i64),
    ));
    params.push(Value::Int(f.offset.unwrap_or(0).min(i64::MAX as u64) as i64));
    let admins = Admins::load(db, s)?;
    db.query_each(&sql, &params, &mut |row| {
        each(select.user(&row, &admins), select.secrets(&row))
    })
}

/// How many users a filter selects (limit and offset apply, as to a listing).
pub fn count(db: &mut dyn Db, _s: &Schema, f: &ListFilter) -> Result<u64> {
    let (clauses, mut params) = filter_clauses(f);
    let sql = format!(
        "SELECT count(*) FROM (SELECT u.id FROM directus_users u{} LIMIT ? OFFSET ?) AS picked",
        where_of(&clauses)
    );
    params.push(Value::Int(
        f.limit.map_or(i64::MAX, |n| n.min(i64::MAX as u64) as i64),
    ));
    params.push(Value::Int(f.offset.unwrap_or(0).min(i64::MAX as u64) as i64));
    Ok(db.query_int(&sql, &params)?.max(0) as u64)
}

fn where_of(clauses: &[String]) -> String {
    match clauses.is_empty() {
        true => String::new(),
        false => format!(" WHERE {}", clauses.join(" AND ")),
    }
}

fn filter_clauses(f: &ListFilter) -> (Vec<String>, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    if !f.statuses.is_empty() {
        let stored: Vec<Value> = f
            .statuses
            .iter()
            .flat_map(|st| st.stored_values())
            .map(Value::from)
            .collect();
        clauses.push(format!("u.status IN ({})", placeholders(stored.len())));
        params.extend(stored);
    } else if !f.include_deleted {
        clauses.push("u.status NOT IN ('deleted', 'archived')".to_string());
    }
    if let Some(role) = &f.role {
        clauses.push("u.role = ?".to_string());
        params.push(Value::Text(role.clone()));
    }
    if let Some(before) = f.inactive_before {
        clauses.push("(u.last_access IS NULL OR u.last_access < ?)".to_string());
        params.push(Value::Time(before));
    }
    if let Some(term) = &f.search {
        // The database folds the term with the same lower() as the columns, so a
        // letter whose folding differs between Rust and the server (İ) matches alike.
        let escaped = term
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let like = "LIKE lower(?) ESCAPE '\\'";
        clauses.push(format!(
            "(lower(u.email) {like} OR lower(coalesce(u.first_name, '')) {like} OR lower(coalesce(u.last_name, '')) {like})"
        ));
        params.extend((0..3).map(|_| Value::Text(format!("%{escaped}%"))));
    }
    (clauses, params)
}

/// Inserts a user, or revives the soft-deleted row that has this email.
pub fn create(db: &mut dyn Db, s: &Schema, new: &NewUser, opts: &WriteOpts) -> Result<Created> {
    db.lock_key(&new.email)?;
    match find(db, s, &new.email)? {
        Some(old) if old.email.to_lowercase() != new.email.to_lowercase() => {
            Err(collation_twin(&new.email, &old))
        }
        Some(old) if old.status() == Status::Deleted => {
            revive(db, s, &old, new, opts)?;
            Ok(Created::Revived(get(db, s, &old.id)?))
        }
        Some(old) if new.if_not_exists => Ok(Created::Existing(old)),
        Some(old) => Err(Error::conflict(format!(
            "a user with email {} already exists (status {})",
            new.email, old.status
        ))),
        None => {
            let id = insert(db, s, new, opts)?;
            Ok(Created::Inserted(get(db, s, &id)?))
        }
    }
}

/// Only MySQL/MariaDB find a different email for this one: their collation
/// (Directus's utf8mb4_general_ci) also ignores accents and trailing spaces, and
/// folds ß to s, so the unique index holds one of the two. Reviving or returning
/// that account would hand one person's account to another: refuse, and say why.
pub fn collation_twin(email: &str, old: &User) -> Error {
    Error::conflict(format!(
        "a user with email {} already exists (status {}), and this database treats {email} as the same email",
        old.email, old.status
    ))
    .hint(
        "MySQL/MariaDB compare emails with the table's collation (utf8mb4_general_ci), which ignores \
         case, accents (é = e, ß = s) and trailing spaces, so its unique index allows only one of the two",
    )
}

/// The columns and values a create or revive writes, profile fields included.
fn assignments(s: &Schema, new: &NewUser) -> Result<Vec<(&'static str, Value)>> {
    let mut cols: Vec<(&'static str, Value)> = vec![
        ("email", Value::from(new.email.as_str())),
        ("status", Value::from(new.status.as_str())),
        ("password", Value::opt(new.password_hash.as_deref())),
    ];
    if let Some(role) = &new.role {
        cols.push(("role", Value::from(role.as_str())));
    }
    cols.extend(profile_columns(s, &new.profile)?);
    Ok(cols)
}

/// The (column, value) pairs of the profile fields given, each stored as its kind.
pub(super) fn profile_columns(s: &Schema, p: &Profile) -> Result<Vec<(&'static str, Value)>> {
    p.given()
        .map(|(field, value)| Ok((s.column_for(field)?, stored(field, value))))
        .collect()
}

/// A profile value as the database stores it: booleans as booleans, empty as NULL.
pub(super) fn stored(field: &Field, value: Option<&str>) -> Value {
    match (field.rule(), value) {
        (Some(Rule::Bool), Some(v)) => Value::Bool(v == "true"),
        (_, v) => Value::opt(v),
    }
}

fn insert(db: &mut dyn Db, s: &Schema, new: &NewUser, opts: &WriteOpts) -> Result<String> {
    if new.role.is_none() {
        return Err(Error::usage("a new user needs a role: give --role NAME"));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let mut cols = assignments(s, new)?;
    cols.insert(0, ("id", Value::from(id.as_str())));
    if s.has("provider") {
        cols.push(("provider", Value::from("default")));
    }
    let names: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "INSERT INTO directus_users ({}) VALUES ({})",
        names.join(", "),
        placeholders(names.len())
    );
    let values: Vec<Value> = cols.iter().map(|(_, v)| v.clone()).collect();
    db.execute(&sql, &values)?;
    audit::record(db, s, opts, Action::Create, &id, &cols)?;
    Ok(id)
}

fn revive(db: &mut dyn Db, s: &Schema, old: &User, new: &NewUser, opts: &WriteOpts) -> Result<()> {
    let mut cols = assignments(s, new)?;
    cols.extend(
        cleared_secrets(s)
            .into_iter()
            .filter(|(c, _)| *c != "password"),
    );
    // Directus lets only `default` users log in with a password: an account that
    // came from SSO before it was deleted comes back as a local one.
    if s.has("provider") {
        cols.push(("provider", Value::from("default")));
    }
    update(db, s, &old.id, &cols, opts)
}

/// token and tfa_secret (and password) set to NULL where the columns exist.
pub(super) fn cleared_secrets(s: &Schema) -> Vec<(&'static str, Value)> {
    ["password", "token", "tfa_secret"]
        .into_iter()
        .filter(|c| s.has(c))
        .map(|c| (c, Value::Null))
        .collect()
}

/// Updates columns of one user, ends their sessions, and records the change.
pub(super) fn update(
    db: &mut dyn Db,
    s: &Schema,
    id: &str,
    cols: &[(&'static str, Value)],
    opts: &WriteOpts,
) -> Result<()> {
    write_row(db, s, id, cols, opts)?;
    end_sessions(db, s, id)
}

/// Updates columns of one user and records the change (sessions stay).
pub(super) fn write_row(
    db: &mut dyn Db,
    s: &Schema,
    id: &str,
    cols: &[(&'static str, Value)],
    opts: &WriteOpts,
) -> Result<()> {
    let sets: Vec<String> = cols.iter().map(|(c, _)| format!("{c} = ?")).collect();
    let sql = format!("UPDATE directus_users SET {} WHERE id = ?", sets.join(", "));
    let mut values: Vec<Value> = cols.iter().map(|(_, v)| v.clone()).collect();
    values.push(Value::from(id));
    db.execute(&sql, &values)?;
    audit::record(db, s, opts, Action::Update, id, cols)
}

/// Deletes the user's sessions so old refresh tokens stop working at once.
fn end_sessions(db: &mut dyn Db, s: &Schema, id: &str) -> Result<()> {
    if s.has_sessions {
        db.execute(
            "DELETE FROM directus_sessions WHERE \"user\" = ?",
            &[Value::from(id)],
        )?;
    }
    Ok(())
}

/// Applies a status change from the table of spec §3.
pub fn change_status(
    db: &mut dyn Db,
    s: &Schema,
    key: &str,
    change: Change,
    opts: &WriteOpts,
) -> Result<Changed> {
    // One writer at a time decides status changes, so two operators cannot each
    // suspend one of the last two administrators.
    db.lock_key("roster:status")?;
    let user = get(db, s, key)?;
    let from = user.status();
    if !status::plan(&user.email, &from, change)? {
        return Ok(Changed::AlreadyThere(user));
    }
    if matches!(change, Change::Suspend | Change::SoftDelete) && !opts.force {
        protect_last_admin(db, s, &user)?;
    }
    let mut cols = vec![("status", Value::from(stored_status(s, &change.target())))];
    if change == Change::SoftDelete {
        cols.extend(cleared_secrets(s));
    }
    update(db, s, &user.id, &cols, opts)?;
    Ok(Changed::Done {
        from,
        user: get(db, s, &user.id)?,
    })
}

pub(super) fn stored_status(s: &Schema, st: &Status) -> String {
    match st {
        Status::Deleted => s.deleted_value().to_string(),
        other => other.to_string(),
    }
}

fn protect_last_admin(db: &mut dyn Db, s: &Schema, user: &User) -> Result<()> {
    if user.is_admin
        && user.status() == Status::Active
        && !roles::other_active_admin(db, s, &user.id)?
    {
        return Err(Error::conflict(format!(
            "{} is the last active administrator; roster will not lock everyone out (use --force to do it anyway)",
            user.email
        )));
    }
    Ok(())
}

/// Sets a password; an invited or draft user becomes active.
pub fn set_password(
    db: &mut dyn Db,
    s: &Schema,
    key: &str,
    hash: &str,
    opts: &WriteOpts,
) -> Result<Changed> {
    // Status decisions are serialised (see change_status): a suspension that lands
    // between this read and the write must not be undone by the activation.
    db.lock_key("roster:status")?;
    let user = get(db, s, key)?;
    let from = user.status();
    refuse_deleted(&user, "set a password for")?;
    let mut cols = vec![("password", Value::from(hash))];
    if matches!(from, Status::Invited | Status::Draft) || from.is_unverified() {
        cols.push(("status", Value::from("active")));
    }
    // Directus lets only `default` users log in with a password: an SSO account
    // given one becomes a local account, as a revived one does.
    if s.has("provider") && user.provider.as_deref() != Some("default") {
        cols.push(("provider", Value::from("default")));
    }
    update(db, s, &user.id, &cols, opts)?;
    Ok(Changed::Done {
        from,
        user: get(db, s, &user.id)?,
    })
}

pub(super) fn refuse_deleted(user: &User, what: &str) -> Result<()> {
    if user.status() == Status::Deleted {
        return Err(Error::conflict(format!(
            "cannot {what} {}: the user is deleted (create or invite them again to restore the account)",
            user.email
        )));
    }
    Ok(())
}

/// Sets or clears a static token, refusing one another user already has.
pub fn set_token(
    db: &mut dyn Db,
    s: &Schema,
    key: &str,
    token: Option<&str>,
    opts: &WriteOpts,
) -> Result<User> {
    db.lock_key("roster:status")?;
    let user = get(db, s, key)?;
    refuse_deleted(&user, "set a token for")?;
    if let Some(t) = token {
        let taken = db.query_opt(
            "SELECT token FROM directus_users WHERE token = ? AND id <> ?",
            &[Value::from(t), Value::from(user.id.as_str())],
        )?;
        if let Some(other) = taken {
            // Only MySQL's collation finds a token that is not the same text.
            let taken = Error::conflict("another user already has this token");
            return Err(match other.string(0) == t {
                true => taken,
                false => taken.hint(
                    "MySQL/MariaDB compare tokens without regard to case, accents or trailing \
                     spaces (the collation utf8mb4_general_ci), and so does Directus's token look-up there",
                ),
            });
        }
    }
    update(db, s, &user.id, &[("token", Value::opt(token))], opts)?;
    get(db, s, &user.id)
}
