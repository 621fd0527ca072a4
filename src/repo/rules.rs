//! The rules every write keeps, each written once: the last active
//! administrator, what a soft-delete clears, whose email is taken, and the
//! emails that MySQL's collation takes for one another.

use super::ImportRow;
use super::User;
use super::db::{Db, Value, placeholders};
use super::roles;
use super::schema::Schema;
use super::tx::{Columns, Tx};
use crate::error::{Error, Result};
use crate::fields;
use crate::status::Status;

/// What a write that would leave no active administrator was doing, for its message.
#[derive(Debug, Clone, Copy)]
pub enum Lockout<'a> {
    /// Suspending or soft-deleting the user with this email.
    StatusChange(&'a str),
    /// Editing the user with this email out of admin access.
    RoleChange(&'a str),
    /// An import or apply.
    Import,
    /// Deleting the role with this name.
    RoleDelete(&'a str),
    /// Taking admin access from the role with this name.
    RoleEdit(&'a str),
}

impl Lockout<'_> {
    fn error(self) -> Error {
        let message = match self {
            Lockout::StatusChange(email) => format!(
                "{email} is the last active administrator; roster will not lock everyone out"
            ),
            Lockout::RoleChange(email) => format!(
                "{email} is the last active administrator; this role change would lock everyone out"
            ),
            Lockout::Import => {
                "this would leave no active administrator; roster will not lock everyone out".into()
            }
            Lockout::RoleDelete(name) => format!(
                "deleting {name} would leave no active administrator; roster will not lock everyone out"
            ),
            Lockout::RoleEdit(name) => format!(
                "taking admin access from {name} would leave no active administrator; roster will not lock everyone out"
            ),
        };
        Error::conflict(format!("{message} (use --force to do it anyway)"))
    }
}

/// The last-administrator rule for a change to one user: refused, unless forced,
/// when `user` was an active administrator, is not one after the change
/// (`still_admin`), and no other active administrator exists.
pub fn keep_admin(tx: &mut Tx, user: &User, still_admin: bool, why: Lockout) -> Result<()> {
    if tx.opts.force || still_admin || !user.is_admin || user.status() != Status::Active {
        return Ok(());
    }
    match roles::other_active_admin(tx.db, tx.schema, &user.id)? {
        true => Ok(()),
        false => Err(why.error()),
    }
}

/// The same rule for a write that changes many users or roles at once: whether
/// an active administrator existed before, checked again at the end.
#[must_use = "the rule is kept only when `after` is called"]
pub struct AdminWatch {
    had: bool,
}

impl AdminWatch {
    /// Notes whether an active administrator exists (nothing to note when forced).
    pub fn before(tx: &mut Tx) -> Result<AdminWatch> {
        let had = !tx.opts.force && roles::any_active_admin(tx.db, tx.schema)?;
        Ok(AdminWatch { had })
    }

    /// Refuses the write when it took away the last active administrator.
    pub fn after(self, tx: &mut Tx, why: Lockout) -> Result<()> {
        if self.had && !roles::any_active_admin(tx.db, tx.schema)? {
            return Err(why.error());
        }
        Ok(())
    }
}

/// The secret columns set to NULL, where the database has them.
pub fn cleared_secrets(s: &Schema) -> Columns {
    fields::secret_columns()
        .filter(|c| s.has(c))
        .map(|c| (c, Value::Null))
        .collect()
}

/// What a soft-delete writes: the stored word for deleted, and every secret
/// cleared, so the account can log in by no means at all.
pub fn soft_deleted(s: &Schema) -> Columns {
    let mut cols = vec![("status", Value::from(s.deleted_value()))];
    cols.extend(cleared_secrets(s));
    cols
}

/// Turns an update into a soft-delete: secrets it would set are cleared instead.
pub fn clear_secrets(s: &Schema, cols: &mut Columns) {
    cols.retain(|(c, _)| !fields::secret_columns().any(|secret| secret == *c));
    cols.extend(cleared_secrets(s));
}

/// No user has this email or id (exit 3).
pub fn no_user(key: &str) -> Error {
    Error::not_found(format!("no user {}", key.trim()))
}

/// A deleted user takes no change but a revival (by create, invite or import).
pub fn refuse_deleted(user: &User, what: &str) -> Result<()> {
    if user.status() == Status::Deleted {
        return Err(Error::conflict(format!(
            "cannot {what} {}: the user is deleted (create or invite them again to revive the account)",
            user.email
        )));
    }
    Ok(())
}

/// A live user already has the email a create asks for.
pub fn email_taken(email: &str, other: &User) -> Error {
    Error::conflict(email_taken_text(email, &other.status))
}

/// What [`email_taken`] says, also what a create with `--if-not-exists` reports.
pub fn email_taken_text(email: &str, status: &str) -> String {
    format!("a user with email {email} already exists (status {status})")
}

/// A live user already has the email of a row of a file.
pub fn email_taken_at(place: &str, email: &str, status: &Status) -> Error {
    Error::conflict(format!(
        "{place}: a user with email {email} already exists (status {status}); \
         use --on-conflict skip or update"
    ))
}

/// Another user, of any status, has the email an edit gives (one row per email).
pub fn email_held(email: &str, other: &User) -> Error {
    Error::conflict(format!(
        "another user ({}, status {}) has the email {email}",
        other.id, other.status
    ))
}

/// Whether the user found for `email` has another email: only MySQL/MariaDB find
/// one, through their collation.
pub fn is_collation_twin(email: &str, found: &User) -> bool {
    found.email.to_lowercase() != email.to_lowercase()
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

/// Another user has this token; only MySQL's collation finds one that is not the same text.
pub fn token_taken(given: &str, stored: &str) -> Error {
    let taken = Error::conflict("another user already has this token");
    match stored == given {
        true => taken,
        false => taken.hint(
            "MySQL/MariaDB compare tokens without regard to case, accents or trailing \
             spaces (the collation utf8mb4_general_ci), and so does Directus's token look-up there",
        ),
    }
}

/// Whether MySQL's collation may find `email` equal to a text that `lower()`
/// keeps apart: utf8mb4_general_ci tells ASCII characters apart by their case
/// alone, so only an email with another character or a trailing space can be,
/// or (under MySQL 8's UCA collations, which ignore them) a control character.
pub fn foldable(email: &str) -> bool {
    !email.is_ascii() || email.ends_with(' ') || email.bytes().any(|b| b.is_ascii_control())
}

/// Where the collation makes a new row's email equal to a stored one (é = e,
/// ß = s; `lower()` keeps them apart), it is that user's email there: the unique
/// index would refuse the insert. Refuses the file first, naming the row.
/// `stored_foldable`: whether a stored email may have such a twin (an ASCII
/// email has one only in an email that is not).
pub fn refuse_collation_twins(
    db: &mut dyn Db,
    rows: &[&ImportRow],
    stored_foldable: bool,
) -> Result<()> {
    if !db.email_collation_folds() {
        return Ok(());
    }
    // Where no stored email may fold, only a row's own foldable email can
    // meet a twin: a large import of plain emails asks the database nothing.
    let rows: Vec<&ImportRow> = rows
        .iter()
        .copied()
        .filter(|r| stored_foldable || foldable(&r.email))
        .collect();
    for chunk in rows.chunks(500) {
        let sql = format!(
            "SELECT 1 FROM directus_users WHERE email IN ({}) LIMIT 1",
            placeholders(chunk.len())
        );
        let params: Vec<Value> = chunk
            .iter()
            .map(|r| Value::from(r.email.as_str()))
            .collect();
        if db.query_opt(&sql, &params)?.is_some() {
            // Rare: find the row, one look-up at a time, and the user it collides with.
            for row in chunk {
                refuse_twin_of(db, row)?;
            }
        }
    }
    Ok(())
}

fn refuse_twin_of(db: &mut dyn Db, row: &ImportRow) -> Result<()> {
    let twin = db.query_opt(
        "SELECT email FROM directus_users WHERE email = ? LIMIT 1",
        &[Value::from(row.email.as_str())],
    )?;
    let Some(twin) = twin else {
        return Ok(());
    };
    Err(Error::conflict(format!(
        "{}: this database treats {} as the email of existing user {}",
        row.place,
        row.email,
        twin.string(0)
    ))
    .hint(
        "MySQL/MariaDB compare emails with the table's collation (utf8mb4_general_ci), \
         which ignores case, accents (é = e, ß = s) and trailing spaces",
    ))
}

#[cfg(test)]
mod tests {
    use super::foldable;

    #[test]
    fn only_emails_a_collation_may_fold_are_foldable() {
        for plain in ["ann@example.com", "ANN.o'neil+x@example.com"] {
            assert!(!foldable(plain), "{plain}");
        }
        for folds in [
            "ánn@example.com",
            "straße@example.com",
            "ann@example.com ",
            "a\u{1}nn@example.com",
        ] {
            assert!(foldable(folds), "{folds:?}");
        }
    }
}
