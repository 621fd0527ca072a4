//! The first pass of an import: every row read and checked, keeping only what
//! the all-or-nothing checks and the write's locks need, so memory stays flat
//! however long the file: a digest of each email, the lock buckets, the roles
//! named, and the few rows whose passwords are verified or hashed before the lock.

use super::Interaction;
use super::import::{Options, Source};
use super::rows::Pending;
use crate::error::{Error, Result};
use crate::repo::lock_bucket;
use crate::status::Status;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What the first pass keeps of a file.
#[derive(Default)]
pub struct Scanned {
    /// A digest of every row's email: 128 bits, so two emails never share one in practice.
    pub named: HashSet<u128>,
    /// The lock buckets of those emails.
    pub buckets: BTreeSet<u64>,
    /// The role each row names (or `--role`), in order of first use, with the
    /// place of the first row naming it.
    pub roles: Vec<(String, String)>,
    /// Rows with a password to verify or hash, or one to generate.
    pub secret_rows: Vec<Pending>,
    /// How many rows the file has.
    pub rows: u64,
    /// Whether a row asks for a generated token (`token = "generate"`).
    pub generates: bool,
}

/// The digest an email is known by in [`Scanned::named`].
pub fn digest(email: &str) -> u128 {
    let hash = Sha256::digest(email.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&hash[..16]);
    u128::from_le_bytes(first)
}

impl Scanned {
    /// Whether a (folded) email is one a row names.
    pub fn names(&self, email: &str) -> bool {
        self.named.contains(&digest(email))
    }
}

/// Reads every row once, checking each, and refuses two rows with one email
/// (naming both) once the whole file has been read.
pub fn scan(source: &mut dyn Source, io: &dyn Interaction, o: &Options) -> Result<Scanned> {
    let mut s = Scanned::default();
    let mut first_repeat: Option<(String, String)> = None;
    let mut given = Given::default();
    let mut roles_seen = HashSet::new();
    source.rows(io, "reading", &mut |mut p| {
        s.rows += 1;
        s.generates |= p.generate_token;
        if !s.named.insert(digest(&p.row.email)) && first_repeat.is_none() {
            first_repeat = Some((p.row.place.clone(), p.row.email.clone()));
        }
        given.note(&p);
        s.buckets.insert(lock_bucket(&p.row.email));
        o.give_default_role(&mut p);
        if let Some(key) = &p.role_key
            && roles_seen.insert(key.clone())
        {
            s.roles.push((key.clone(), p.row.place.clone()));
        }
        if has_secret_work(&p, o) {
            s.secret_rows.push(p);
        }
        Ok(())
    })?;
    match (first_repeat, given.repeated) {
        (Some((place, email)), _) => Err(repeated(source, io, &place, &email)),
        (None, Some(e)) => Err(e),
        (None, None) => Ok(s),
    }
}

/// The tokens and ids rows give, by digest (tokens folded to lower case, as
/// MySQL compares them), with the place of the first row giving each: two
/// rows cannot give one user's token or id to two users.
#[derive(Default)]
struct Given {
    tokens: HashMap<u128, String>,
    ids: HashMap<u128, String>,
    repeated: Option<Error>,
}

impl Given {
    fn note(&mut self, p: &Pending) {
        let place = &p.row.place;
        if let Some(token) = &p.row.token
            && let Some(first) = self
                .tokens
                .insert(digest(&token.to_lowercase()), place.clone())
        {
            self.refuse(format!("{place}: the token is also given by {first}"));
        }
        if let Some(id) = &p.row.id
            && let Some(first) = self.ids.insert(digest(id), place.clone())
        {
            self.refuse(format!("{place}: the id {id} is also given by {first}"));
        }
    }

    fn refuse(&mut self, why: String) {
        self.repeated.get_or_insert(Error::validation(why));
    }
}

/// Whether a row's password is verified or hashed before the lock: one given,
/// or one `--random-password` makes for a row that will be active.
fn has_secret_work(p: &Pending, o: &Options) -> bool {
    let may_be_active = matches!(p.row.status, None | Some(Status::Active));
    let needs_one = may_be_active && p.row.password_hash.is_none() && !p.row.is_sso();
    p.password.is_some() || (o.random_password && needs_one)
}

/// The error for a repeated email, naming the first row that has it (found by
/// reading the file again: the first pass keeps no email).
fn repeated(source: &mut dyn Source, io: &dyn Interaction, second: &str, email: &str) -> Error {
    let mut first = None;
    let found = source.rows(io, "reading", &mut |p| {
        if first.is_none() && p.row.email == email {
            first = Some(p.row.place);
        }
        Ok(())
    });
    if let Err(e) = found {
        return e;
    }
    let first = first.unwrap_or_else(|| second.to_string());
    Error::validation(format!("{first} and {second} both have the email {email}"))
}
