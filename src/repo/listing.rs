//! Listing, exporting and counting users by a filter, sorted by email.

use super::db::{Db, Value, placeholders};
use super::roles::Admins;
use super::schema::Schema;
use super::select::Select;
use super::{ListFilter, Record, User};
use crate::error::Result;

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
    let order = match &f.sort {
        Some(sort) => format!("{}, {}", sorted_by(s, sort), db.user_order()),
        None => db.user_order().to_string(),
    };
    let select = Select::new(s, with_secrets);
    let sql = format!(
        "{}{} ORDER BY {order} LIMIT ? OFFSET ?",
        select.sql,
        where_of(&clauses)
    );
    params.extend(page(f));
    let admins = Admins::load(db, s)?;
    db.query_each(&sql, &params, &mut |row| {
        each(select.user(&row, &admins), select.secrets(&row))
    })
}

/// The ORDER BY terms of a sort: users without a value last either way (the
/// databases disagree on where NULL sorts), then the field's values.
fn sorted_by(s: &Schema, sort: &super::Sort) -> String {
    let expr = super::select::sort_expr(s, sort.field);
    let way = if sort.descending { "DESC" } else { "ASC" };
    format!("CASE WHEN {expr} IS NULL THEN 1 ELSE 0 END, {expr} {way}")
}

/// How many users a filter selects (limit and offset apply, as to a listing).
pub fn count(db: &mut dyn Db, _s: &Schema, f: &ListFilter) -> Result<u64> {
    let (clauses, mut params) = filter_clauses(f);
    let sql = format!(
        "SELECT count(*) FROM (SELECT u.id FROM directus_users u{} LIMIT ? OFFSET ?) AS picked",
        where_of(&clauses)
    );
    params.extend(page(f));
    Ok(db.query_int(&sql, &params)?.max(0) as u64)
}

/// The LIMIT and OFFSET parameters of a filter (no limit: all of them).
fn page(f: &ListFilter) -> [Value; 2] {
    [
        Value::Int(f.limit.map_or(i64::MAX, |n| n.min(i64::MAX as u64) as i64)),
        Value::Int(f.offset.unwrap_or(0).min(i64::MAX as u64) as i64),
    ]
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
