//! The stored users an import names (or, for a prune, does not name), read in
//! one pass over `directus_users` and keyed by the email as the database folds
//! it, so every row finds its user without a query of its own.

use super::User;
use super::db::Db;
use super::roles::Admins;
use super::rules;
use super::schema::Schema;
use super::select::Select;
use crate::error::{Error, Result};
use crate::status::Status;
use std::collections::HashMap;

/// Whether a user has an email: none, a live one, or only a soft-deleted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Found {
    #[default]
    New,
    Live,
    Deleted,
}

impl Found {
    /// Of two users with one folded email, whether one found `self` takes the
    /// place of one found `old`: a live user wins over a soft-deleted twin.
    fn wins_over(self, old: Found) -> bool {
        self == Found::Live && old == Found::Deleted
    }

    /// Live or soft-deleted, for a user with this status.
    pub fn of(status: &Status) -> Found {
        match status {
            Status::Deleted => Found::Deleted,
            _ => Found::Live,
        }
    }
}

/// A stored user as an import's plan sees it.
#[derive(Debug, Clone)]
pub struct Known {
    pub status: Status,
    /// The stored password hash, to verify a given password against.
    pub password_hash: Option<String>,
}

impl Known {
    /// Live or soft-deleted (never [`Found::New`]).
    pub fn found(&self) -> Found {
        Found::of(&self.status)
    }
}

/// A stored user with the secrets an update compares with.
pub struct Stored {
    pub user: User,
    /// (name, stored value), one for each of [`crate::fields::SECRETS`].
    pub secrets: Vec<(&'static str, Option<String>)>,
}

impl Stored {
    /// The stored value of the secret named `name` (as in [`crate::fields::SECRETS`]).
    pub fn secret(&self, name: &str) -> Option<&str> {
        let found = self.secrets.iter().find(|(n, _)| *n == name);
        found.and_then(|(_, v)| v.as_deref())
    }

    /// Whether the user is live or soft-deleted.
    pub fn found(&self) -> Found {
        Found::of(&self.user.status())
    }
}

/// The users read, by `lower(email)`; a live user wins over a soft-deleted twin.
#[derive(Default)]
pub struct Existing {
    by_email: HashMap<String, Stored>,
    /// Folded emails two live users share (Directus's PostgreSQL index is
    /// case-sensitive): their two ids, for the error a row naming one gets.
    twins: HashMap<String, (String, String)>,
    /// Whether some stored email, named or not, is one MySQL's collation may
    /// find equal to a text `lower()` keeps apart (see [`rules::foldable`]).
    pub foldable: bool,
}

impl Existing {
    /// Reads, in one streaming SELECT, the users whose folded email `keep` accepts.
    pub fn read(db: &mut dyn Db, s: &Schema, keep: &dyn Fn(&str) -> bool) -> Result<Existing> {
        let admins = Admins::load(db, s)?;
        let (select, key_at) = Select::new(s, true).with_folded_email();
        let mut found = Existing::default();
        db.query_each(&select.sql, &[], &mut |r| {
            let key = r.string(key_at);
            found.foldable |= rules::foldable(&key);
            if r.text(key_at).is_some() && keep(&key) {
                let user = select.user(&r, &admins);
                let secrets = select.secrets(&r);
                found.add(key, Stored { user, secrets });
            }
            Ok(())
        })?;
        Ok(found)
    }

    fn add(&mut self, key: String, new: Stored) {
        let Some(old) = self.by_email.get(&key) else {
            self.by_email.insert(key, new);
            return;
        };
        match (old.found(), new.found()) {
            (Found::Live, Found::Live) => {
                let ids = (old.user.id.clone(), new.user.id.clone());
                self.twins.insert(key, ids);
            }
            (old, now) if now.wins_over(old) => {
                self.by_email.insert(key, new);
            }
            _ => {}
        }
    }

    /// The user with this (folded) email; refused when two live users share it.
    pub fn get(&self, email: &str) -> Result<Option<&Stored>> {
        if let Some((a, b)) = self.twins.get(email) {
            return Err(Error::usage(format!(
                "two users have the email {email} in different case ({a} and {b}): give the id instead"
            )));
        }
        Ok(self.by_email.get(email))
    }

    /// What the plan of an import needs of each user whose folded email `keep`
    /// accepts: live or not, and the stored password hash a given password is
    /// verified against. Three columns in one pass, none of the rest of a user.
    pub fn known(db: &mut dyn Db, keep: &dyn Fn(&str) -> bool) -> Result<HashMap<String, Known>> {
        let sql = "SELECT lower(u.email), u.status, u.password FROM directus_users u \
                   WHERE u.email IS NOT NULL";
        let mut known: HashMap<String, Known> = HashMap::new();
        db.query_each(sql, &[], &mut |r| {
            let key = r.string(0);
            if !keep(&key) {
                return Ok(());
            }
            let new = Known {
                status: Status::from_db(&r.string(1)),
                password_hash: r.text(2),
            };
            if known
                .get(&key)
                .is_none_or(|old| new.found().wins_over(old.found()))
            {
                known.insert(key, new);
            }
            Ok(())
        })?;
        Ok(known)
    }

    /// Every user read, in no order.
    pub fn emails(&self) -> impl Iterator<Item = &str> {
        self.by_email.keys().map(String::as_str)
    }
}
