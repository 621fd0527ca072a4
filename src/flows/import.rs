//! Importing many users in one transaction: rows checked first, roles resolved,
//! given passwords verified against the stored ones and the rest hashed on every
//! core before the write lock is taken, then one write.

use super::rows::{Pending, at, check_passwords, check_unique};
use super::{Interaction, Run, commit_after};
use crate::error::{Error, Result};
use crate::password::{self, Secret};
use crate::repo::{Found, Import, Known, NewRole, OnConflict, Repo, Role, RowResult, WriteOpts};
use crate::status::Status;
use crate::token;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub on_conflict: OnConflict,
    /// Role of rows that name none.
    pub role: Option<String>,
    pub random_password: bool,
    pub generate_token: bool,
    pub allow_weak: bool,
    /// Set given passwords on users that already exist (apply sets them only on create).
    pub passwords_on_update: bool,
    pub prune: bool,
    pub force: bool,
    pub dry_run: bool,
}

/// Secrets roster made for a row, shown once.
#[derive(Default)]
pub struct Generated {
    pub password: Option<Secret>,
    pub token: Option<Secret>,
}

/// What an import did (or, in a dry run, would do).
pub struct Outcome {
    /// Roles made first (by `apply`).
    pub roles: Vec<Role>,
    pub results: Vec<RowResult>,
    /// By the row's place in the file.
    pub generated: HashMap<u64, Generated>,
    pub dry_run: bool,
}

/// Resolves the rows' roles (exit 3 naming the row for an unknown one); a role
/// in `later` (made in the write transaction) is resolved there.
fn resolve_roles(
    repo: &mut dyn Repo,
    rows: &mut [Pending],
    default: Option<&str>,
    later: &[NewRole],
) -> Result<()> {
    let mut ids: HashMap<String, String> = HashMap::new();
    for p in rows.iter_mut() {
        let Some(key) = p.role_key.clone().or(default.map(str::to_string)) else {
            continue;
        };
        p.role_key = Some(key.clone());
        let key = key.as_str();
        if later
            .iter()
            .any(|r| r.name.to_lowercase() == key.to_lowercase())
        {
            continue;
        }
        if !ids.contains_key(key) {
            let role = super::roles::resolve(repo, key).map_err(|e| at(&p.row.place, e))?;
            ids.insert(key.to_string(), role.id);
        }
        p.row.role = ids.get(key).cloned();
    }
    Ok(())
}

/// Decides, from the users the database holds now, which rows create or revive a
/// user, fills in what they need (status, generated secrets) and refuses what cannot be.
fn plan(
    rows: &mut [Pending],
    known: &HashMap<String, Known>,
    o: &Options,
) -> Result<HashMap<u64, Generated>> {
    let mut generated = HashMap::new();
    for p in rows.iter_mut() {
        let stored = known.get(&p.row.email);
        p.row.found = stored.map_or(Found::New, Known::found);
        match stored {
            Some(k) if p.row.found == Found::Live => {
                keep_or_refuse(p, &k.status, o)?;
                continue;
            }
            // Kept deleted (as `export` writes it): no revival, nothing to generate.
            Some(_) if p.row.status == Some(Status::Deleted) => {
                p.password = None;
                continue;
            }
            _ => {}
        }
        let made = fill_new(p, o)?;
        if made.password.is_some() || made.token.is_some() {
            generated.insert(p.row.at, made);
        }
    }
    Ok(generated)
}

/// A row whose email a live user has: refused, skipped, or an update (with its
/// password only where the options set passwords on existing users).
fn keep_or_refuse(p: &mut Pending, status: &Status, o: &Options) -> Result<()> {
    match o.on_conflict {
        OnConflict::Fail => Err(crate::repo::email_taken_at(
            &p.row.place,
            &p.row.email,
            status,
        )),
        OnConflict::Skip => {
            p.password = None;
            Ok(())
        }
        OnConflict::Update if !o.passwords_on_update => {
            p.password = None;
            Ok(())
        }
        OnConflict::Update => Ok(()),
    }
}

/// A row that creates or revives a user: its status, and generated secrets.
fn fill_new(p: &mut Pending, o: &Options) -> Result<Generated> {
    let mut made = Generated::default();
    let has_password = p.password.is_some() || p.row.password_hash.is_some();
    let status = p
        .row
        .status
        .clone()
        .unwrap_or(match has_password || o.random_password {
            true => Status::Active,
            false => Status::Invited,
        });
    if status == Status::Active && !has_password {
        if !o.random_password {
            return Err(Error::validation(format!(
                "{}: an active user needs a password, a password_hash or --random-password",
                p.row.place
            )));
        }
        let pw = password::random();
        made.password = Some(pw.clone());
        p.password = Some(pw);
    }
    if o.generate_token && p.row.token.is_none() {
        let t = token::generate();
        p.row.token = Some(t.to_string());
        made.token = Some(t);
    }
    p.row.status = Some(status);
    Ok(made)
}

/// Drops a given password that the stored hash already verifies (one argon2
/// check per row, on every core), so the row is unchanged instead of hashed
/// again with a new salt. The stored hash stands in for it: should another
/// writer change the password before the write, the file's password is set back.
fn keep_verified(rows: &mut [Pending], known: &HashMap<String, Known>, io: &dyn Interaction) {
    let todo: Vec<(&mut Pending, &str)> = rows
        .iter_mut()
        .filter(|p| p.row.found == Found::Live && p.password.is_some())
        .filter_map(|p| {
            let stored = known.get(&p.row.email)?.password_hash.as_deref()?;
            Some((p, stored))
        })
        .collect();
    if todo.is_empty() {
        return;
    }
    let bar = io.progress(todo.len() as u64, "verifying passwords");
    todo.into_par_iter().for_each(|(p, stored)| {
        if p.password
            .as_deref()
            .is_some_and(|pw| password::verify(pw, stored))
        {
            p.password = None;
            p.row.password_hash = Some(stored.to_string());
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
}

/// Hashes every password still to hash, on every core, with a progress bar at a terminal.
fn hash_all(rows: &mut [Pending], io: &dyn Interaction) -> Result<()> {
    let todo: Vec<&mut Pending> = rows.iter_mut().filter(|p| p.password.is_some()).collect();
    if todo.is_empty() {
        return Ok(());
    }
    let bar = io.progress(todo.len() as u64, "hashing passwords");
    let hashed: Result<Vec<()>> = todo
        .into_par_iter()
        .map(|p| {
            let pw = p.password.take().unwrap_or_default();
            p.row.password_hash = Some(password::hash(&pw)?);
            bar.inc(1);
            Ok(())
        })
        .collect();
    bar.finish_and_clear();
    hashed.map(|_| ())
}

/// Everything before the write: the rows checked, their roles resolved, planned
/// against the users the database holds, passwords verified or hashed.
fn prepare(
    run: &Run,
    repo: &mut dyn Repo,
    rows: &mut [Pending],
    new_roles: &[NewRole],
    o: &Options,
) -> Result<HashMap<u64, Generated>> {
    check_unique(rows)?;
    let policy = run.policy(repo)?;
    check_passwords(rows, &policy, o.allow_weak, run.io)?;
    resolve_roles(repo, rows, o.role.as_deref(), new_roles)?;
    for p in rows.iter() {
        repo.schema()?
            .check_profile(&p.row.profile)
            .map_err(|e| at(&p.row.place, e))?;
    }
    let emails: HashSet<String> = rows.iter().map(|p| p.row.email.clone()).collect();
    let known = repo.known_users(&emails)?;
    let generated = plan(rows, &known, o)?;
    keep_verified(rows, &known, run.io);
    hash_all(rows, run.io)?;
    Ok(generated)
}

/// Plans, hashes and writes checked rows, after making `new_roles`, in one
/// transaction; `report` runs before the commit, so generated secrets reach the
/// operator before they are stored.
pub fn write(
    run: &Run,
    repo: &mut dyn Repo,
    mut rows: Vec<Pending>,
    new_roles: &[NewRole],
    o: &Options,
    report: impl FnOnce(&Outcome) -> Result<()>,
) -> Result<Outcome> {
    let generated = prepare(run, repo, &mut rows, new_roles, o)?;
    // Tests hold the import here to write in between, as another writer would.
    crate::failpoint::pause("import_write");
    let keys: Vec<Option<String>> = rows.iter().map(|p| p.role_key.clone()).collect();
    let mut batch = Import {
        rows: rows.into_iter().map(|p| p.row).collect(),
        on_conflict: o.on_conflict,
        prune: o.prune,
    };
    let opts = run.write_opts(repo, o.dry_run, o.force)?;
    let dry_run = o.dry_run;
    commit_after(
        repo,
        dry_run,
        |r| {
            let roles = make_roles(r, new_roles, &keys, &mut batch, &opts)?;
            let results = r.import_users(&batch, &opts)?;
            Ok(Outcome {
                roles,
                results,
                generated,
                dry_run,
            })
        },
        report,
    )
}

/// Makes the roles a file declares and gives their ids to the rows naming them.
fn make_roles(
    repo: &mut dyn Repo,
    new_roles: &[NewRole],
    keys: &[Option<String>],
    batch: &mut Import,
    opts: &WriteOpts,
) -> Result<Vec<Role>> {
    let mut made = Vec::new();
    for new in new_roles {
        let role = repo.create_role(new, opts)?;
        for (row, key) in batch.rows.iter_mut().zip(keys) {
            if key
                .as_deref()
                .is_some_and(|k| k.to_lowercase() == role.name.to_lowercase())
            {
                row.role = Some(role.id.clone());
            }
        }
        made.push(role);
    }
    Ok(made)
}
