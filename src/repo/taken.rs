//! Tokens and ids an import would write that another user already has: found
//! first, a few hundred rows to a query, so the file is refused naming the row,
//! the field and the user, rather than by the unique index's raw words.

use super::db::{Db, Row, Value, placeholders};
use super::rules::token_taken;
use super::{ImportRow, Schema};
use crate::error::{Error, Result};

/// Refuses the first row whose token (or, for a new user, whose id) another
/// user has; `is_new` says which rows insert a user.
pub fn refuse_taken(
    db: &mut dyn Db,
    s: &Schema,
    rows: &[ImportRow],
    is_new: &[bool],
) -> Result<()> {
    let tokens: Vec<&ImportRow> = rows.iter().filter(|r| r.token.is_some()).collect();
    let ids: Vec<&ImportRow> = rows
        .iter()
        .zip(is_new)
        .filter(|(r, new)| **new && r.id.is_some())
        .map(|(r, _)| r)
        .collect();
    for chunk in tokens.chunks(500) {
        let sql = "SELECT token, email, id FROM directus_users WHERE token IN";
        let found = holders(db, sql, chunk, |r| r.token.as_deref())?;
        refuse_first(
            chunk,
            &found,
            |r| r.token.as_deref(),
            |r, (held, who)| {
                let given = r.token.as_deref().unwrap_or_default();
                token_taken(given, held).reword(|m| format!("{}: {m}: {who}", r.place))
            },
        )?;
    }
    for chunk in ids.chunks(500) {
        let sql = "SELECT id, email, id FROM directus_users WHERE id IN";
        let found = holders(db, sql, chunk, |r| r.id.as_deref())?;
        refuse_first(
            chunk,
            &found,
            |r| r.id.as_deref(),
            |r, (held, who)| {
                Error::conflict(format!(
                    "{}: the id {held} is already another user's: {who}",
                    r.place
                ))
            },
        )?;
    }
    if s.has("external_identifier") {
        refuse_taken_identifiers(db, rows)?;
    }
    Ok(())
}

/// The SSO identity a row gives.
fn identifier(r: &ImportRow) -> Option<&str> {
    r.profile
        .get("external_identifier")
        .filter(|v| !v.is_empty())
}

/// The avatar a row gives.
fn avatar(r: &ImportRow) -> Option<&str> {
    r.profile.get("avatar").filter(|v| !v.is_empty())
}

/// An SSO identity belongs to one user: the provider's id for a person a row
/// gives must not be another user's.
fn refuse_taken_identifiers(db: &mut dyn Db, rows: &[ImportRow]) -> Result<()> {
    let given = identifier;
    let rows: Vec<&ImportRow> = rows.iter().filter(|r| given(r).is_some()).collect();
    for chunk in rows.chunks(500) {
        let sql = "SELECT external_identifier, email, id FROM directus_users WHERE external_identifier IN";
        let found = holders(db, sql, chunk, given)?;
        refuse_first(chunk, &found, given, |r, (held, who)| {
            Error::conflict(format!(
                "{}: the external_identifier {held:?} is already another user's: {who}",
                r.place
            ))
        })?;
    }
    Ok(())
}

/// An avatar names a row of `directus_files`: a row naming one this database
/// lacks is refused (exit 3) before anything is written.
pub fn refuse_missing_files(db: &mut dyn Db, rows: &[ImportRow]) -> Result<()> {
    let given = avatar;
    let rows: Vec<&ImportRow> = rows.iter().filter(|r| given(r).is_some()).collect();
    let Some(first) = rows.first() else {
        return Ok(());
    };
    if db.columns("directus_files")?.is_empty() {
        return Err(Error::validation(format!(
            "{}: this database has no directus_files table to take an avatar from",
            first.place
        )));
    }
    for chunk in rows.chunks(500) {
        let params: Vec<Value> = chunk
            .iter()
            .filter_map(|r| given(r))
            .map(Value::from)
            .collect();
        let sql = format!(
            "SELECT id FROM directus_files WHERE id IN ({})",
            placeholders(params.len())
        );
        let found: Vec<String> = db
            .query(&sql, &params)?
            .iter()
            .map(|r| r.string(0).to_lowercase())
            .collect();
        if let Some(r) = chunk
            .iter()
            .find(|r| given(r).is_some_and(|id| !found.contains(&id.to_string())))
        {
            return Err(Error::not_found(format!(
                "{}: the avatar {} is no file of this database's directus_files",
                r.place,
                given(r).unwrap_or_default()
            ))
            .hint("move the files first, or leave the avatar out of the file"));
        }
    }
    Ok(())
}

/// (value as stored, its holder's email, its holder's id) of the values the rows give.
fn holders(
    db: &mut dyn Db,
    select: &str,
    rows: &[&ImportRow],
    value: impl Fn(&ImportRow) -> Option<&str>,
) -> Result<Vec<Row>> {
    let params: Vec<Value> = rows
        .iter()
        .filter_map(|r| value(r))
        .map(Value::from)
        .collect();
    let sql = format!("{select} ({})", placeholders(params.len()));
    db.query(&sql, &params)
}

/// The error for the first row (in file order) whose value a user with another
/// email holds; the database compared the values, so the match is folded here
/// as MySQL's collation may have folded it.
fn refuse_first(
    rows: &[&ImportRow],
    found: &[Row],
    value: impl Fn(&ImportRow) -> Option<&str>,
    error: impl Fn(&ImportRow, (&str, String)) -> Error,
) -> Result<()> {
    for row in rows {
        let Some(given) = value(row) else { continue };
        let holder = found.iter().find(|h| {
            h.string(0).to_lowercase() == given.to_lowercase()
                && h.string(1).to_lowercase() != row.email
        });
        if let Some(h) = holder {
            let who = format!(
                "{} ({})",
                h.text(1).unwrap_or_else(|| "no email".into()),
                h.string(2)
            );
            return Err(error(row, (&h.string(0), who)));
        }
    }
    Ok(())
}
