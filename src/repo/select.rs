//! The SELECT every read of users shares, built from [`FIELDS`], and reading a
//! user back from its rows by field.

use super::User;
use super::db::Row;
use super::roles::Admins;
use super::schema::Schema;
use crate::fields::{Field, Kind, Rule, SECRETS, all};
use crate::profile;
use crate::status::Status;

/// The SELECT every user read shares, built from [`FIELDS`], and where each
/// field landed in it, so rows are read by field, never by a position written out.
pub(super) struct Select {
    pub sql: String,
    /// Per field of [`FIELDS`], its column in the result (`None`: computed).
    at: Vec<Option<usize>>,
    /// Where the secrets start, when they were asked for.
    secrets: Option<usize>,
    /// How many columns the SELECT reads.
    width: usize,
}

impl Select {
    /// The user columns this database has; secrets only when `with_secrets`.
    pub fn new(s: &Schema, with_secrets: bool) -> Select {
        let mut exprs = Vec::new();
        let at = all()
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
        let width = exprs.len();
        Select {
            sql,
            at,
            secrets,
            width,
        }
    }

    /// The same SELECT with `lower(email)` read last, the key by which the
    /// database itself compares emails; its column.
    pub fn with_folded_email(mut self) -> (Select, usize) {
        let from = " FROM directus_users u";
        self.sql = self
            .sql
            .replacen(from, &format!(", lower(u.email){from}"), 1);
        let at = self.width;
        self.width += 1;
        (self, at)
    }

    /// The secrets of a row read with them: (name, stored value).
    pub fn secrets(&self, r: &Row) -> Vec<(&'static str, Option<String>)> {
        let Some(start) = self.secrets else {
            return Vec::new();
        };
        SECRETS
            .iter()
            .enumerate()
            .map(|(i, (name, column))| (*name, secret_value(column, r.text(start + i))))
            .collect()
    }

    /// The column of the status, which queries filter on.
    pub fn status_at(&self) -> usize {
        self.index(Kind::Status)
    }

    pub fn index(&self, kind: Kind) -> usize {
        all()
            .iter()
            .zip(&self.at)
            .find_map(|(f, at)| (f.kind == kind).then_some(*at).flatten())
            .unwrap_or(0)
    }

    /// Reads a user from a row of this SELECT.
    pub fn user(&self, r: &Row, admins: &Admins) -> User {
        let mut u = User::default();
        for (f, at) in all().iter().zip(&self.at) {
            if let Some(i) = *at {
                read_field(&mut u, f, r, i);
            }
        }
        u.is_admin = admins.contains(&u.id, u.role.as_deref());
        u
    }
}

/// The SQL a listing sorts a field by (a computed one by nothing: NULL).
pub(super) fn sort_expr(s: &Schema, f: &Field) -> String {
    expr(s, f).unwrap_or_else(|| "NULL".to_string())
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
        Kind::Profile(rule) => {
            if let Some(v) = stored_value(rule, r, i) {
                u.profile.stored(f, v);
            }
        }
        Kind::IsSet("password") => u.has_password = r.flag(i).unwrap_or(false),
        Kind::IsSet("token") => u.has_token = r.flag(i).unwrap_or(false),
        Kind::IsSet(_) => u.tfa_enabled = r.flag(i).unwrap_or(false),
    }
}

/// A stored secret as a file gives it: `auth_data`'s JSON compact, like the
/// profile's JSON values, so an unchanged value compares equal.
fn secret_value(column: &str, v: Option<String>) -> Option<String> {
    match (column, v) {
        ("auth_data", Some(t)) => match serde_json::from_str::<serde_json::Value>(&t) {
            Ok(serde_json::Value::Null) => None,
            Ok(j) => Some(j.to_string()),
            Err(_) => Some(t),
        },
        (_, v) => v,
    }
}

/// A stored value in the form a file gives it, so the two compare equal:
/// booleans as `true`/`false`, instants as RFC 3339, JSON compact.
fn stored_value(rule: Rule, r: &Row, i: usize) -> Option<String> {
    match rule {
        Rule::Bool => r.flag(i).map(|b| b.to_string()),
        Rule::Custom(c) => {
            crate::custom::value::read(crate::fields::custom(c), r.text(i), r.int(i), r.flag(i))
        }
        Rule::Time => r
            .int(i)
            .or_else(|| r.text(i).and_then(|t| profile::millis(&t)))
            .map(profile::time_text),
        // A JSON null is no value, as SQL's NULL is.
        Rule::Json(_) => {
            r.text(i)
                .and_then(|t| match serde_json::from_str::<serde_json::Value>(&t) {
                    Ok(serde_json::Value::Null) => None,
                    Ok(v) => Some(v.to_string()),
                    Err(_) => Some(t),
                })
        }
        _ => r.text(i),
    }
}
