//! Importing many users in one transaction, a chunk of rows at a time: every row
//! read and checked first (keeping only what the checks need), given passwords
//! verified or hashed on every core before the write lock, then the rows read
//! again and written under the lock, each planned against the database as it is then.

use super::roles::PolicyChange;
use super::rows::{Pending, at};
use super::scan::scan;
use super::{Interaction, Run, commit_after};
use crate::error::{Error, Result};
use crate::password::{self, Secret};
use crate::repo::{
    FieldChange, Found, Import, ImportWriter, Known, NewRole, OnConflict, Policy, Repo, Role,
    RoleEdit, RowResult, WriteOpts,
};
use crate::status::Status;
use crate::token;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Rows handed to the database at a time: enough for its multi-row statements,
/// few enough that a file of any size is never held whole.
const CHUNK: usize = 5_000;

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
    /// Update users whose id differs from the row's (keeping theirs).
    pub ignore_ids: bool,
    /// Accept a source with no users (else exit 5: the step that made the file
    /// probably failed, and a prune would take everyone).
    pub allow_empty: bool,
    pub dry_run: bool,
}

impl Options {
    /// Gives a row that names no role the `--role` one.
    pub fn give_default_role(&self, p: &mut Pending) {
        if p.role_key.is_none() {
            p.role_key = self.role.clone();
        }
    }
}

/// Where an import's rows come from. They are read twice, checked each time:
/// once before the write, to refuse a bad file before anything is locked, and
/// once inside it.
pub trait Source {
    /// Hands every row, checked, to `each`, in file order; `what` names the pass
    /// on a progress bar.
    fn rows(
        &mut self,
        io: &dyn Interaction,
        what: &str,
        each: &mut dyn FnMut(Pending) -> Result<()>,
    ) -> Result<()>;
}

/// Rows already read (`apply`'s), handed over as often as asked.
impl Source for Vec<Pending> {
    fn rows(
        &mut self,
        _io: &dyn Interaction,
        _what: &str,
        each: &mut dyn FnMut(Pending) -> Result<()>,
    ) -> Result<()> {
        self.iter().try_for_each(|p| each(p.clone()))
    }
}

/// Where an import's results go as its rows are written; shown before the commit.
pub trait Sink {
    /// One row's result, with the secrets made for it (to be shown once).
    fn row(&mut self, result: RowResult, made: Option<Generated>) -> Result<()>;
    /// Every row is written (or, in a dry run, would be): show the result.
    fn finish(&mut self, roles: &RolesDone, dry_run: bool) -> Result<()>;
}

/// The roles a file declares (`apply`): those to make, and those that exist
/// with other access, with the change that makes them match.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    pub make: Vec<NewRole>,
    pub edit: Vec<(Role, RoleEdit)>,
    /// Policies to make or change and attach, after the users (Directus 11+).
    pub policies: Vec<Policy>,
    /// What that changes, for the plan.
    pub policy_changes: Vec<PolicyChange>,
}

/// What was done to roles before the users: made, and changed as (role, changes).
#[derive(Debug, Clone, Default)]
pub struct RolesDone {
    pub made: Vec<Role>,
    pub changed: Vec<(String, Vec<FieldChange>)>,
    pub policies: Vec<PolicyChange>,
    /// The sessions the rows' changes ended (would have, in a dry run).
    pub sessions_ended: u64,
}

/// Secrets roster made for a row, shown once.
#[derive(Default, Clone)]
pub struct Generated {
    pub password: Option<Secret>,
    pub token: Option<Secret>,
}

/// What an import did (or, in a dry run, would do), gathered whole: `apply`'s
/// plan, whose files are small, is shown from it.
#[derive(Default)]
pub struct Outcome {
    /// Roles made or changed first (by `apply`).
    pub roles: RolesDone,
    pub results: Vec<RowResult>,
    /// By the row's place in the file.
    pub generated: HashMap<u64, Generated>,
    pub dry_run: bool,
}

impl Outcome {
    /// Keeps a row's result (a [`Sink`] that gathers).
    pub fn add(&mut self, result: RowResult, made: Option<Generated>) {
        if let (Some(at), Some(made)) = (result.at, made) {
            self.generated.insert(at, made);
        }
        self.results.push(result);
    }
}

/// What was made before the lock for a row with a password: what the email
/// was then, and the hash to store (the stored one, when the password verified).
struct Prepared {
    found: Found,
    password_hash: Option<String>,
    generated: Option<Secret>,
}
/// Resolves the roles the rows name (exit 3 naming the first row that names an
/// unknown one); a role in `later` is made in the write transaction and
/// resolved there.
fn resolve_roles(
    repo: &mut dyn Repo,
    named: &[(String, String)],
    later: &[NewRole],
) -> Result<HashMap<String, String>> {
    let mut ids = HashMap::new();
    for (key, place) in named {
        if later.iter().any(|r| same_name(&r.name, key)) {
            continue;
        }
        let role = super::roles::resolve(repo, key).map_err(|e| at(place, e))?;
        ids.insert(key.clone(), role.id);
    }
    Ok(ids)
}

fn same_name(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Verifies or hashes, before the lock, the passwords of the rows that give
/// one or get a generated one, planned against the users the database holds now.
fn prepare_secrets(
    repo: &mut dyn Repo,
    mut rows: Vec<Pending>,
    o: &Options,
    io: &dyn Interaction,
) -> Result<HashMap<u64, Prepared>> {
    let emails: HashSet<String> = rows.iter().map(|p| p.row.email.clone()).collect();
    let known = repo.known_users(&emails)?;
    let mut generated = HashMap::new();
    for p in rows.iter_mut() {
        let stored = known.get(&p.row.email);
        p.found = stored.map_or(Found::New, Known::found);
        if let Some(made) = plan_secret(p, stored, o)? {
            generated.insert(p.row.at, made);
        }
    }
    keep_verified(&mut rows, &known, io);
    hash_all(&mut rows, io)?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let prepared = Prepared {
                found: p.found,
                password_hash: p.row.password_hash,
                generated: generated.remove(&p.row.at),
            };
            (p.row.at, prepared)
        })
        .collect())
}

/// Which password a row with secret work ends with: none for a user it leaves
/// as it is, a generated one for a new active user without one.
fn plan_secret(p: &mut Pending, stored: Option<&Known>, o: &Options) -> Result<Option<Secret>> {
    match stored {
        Some(k) if p.found == Found::Live => {
            keep_or_refuse(p, &k.status, o)?;
            Ok(None)
        }
        // Kept or made soft-deleted (as `export` writes it): no revival, and no
        // password made from the file's plain text or generated.
        _ if p.row.status == Some(Status::Deleted) => {
            p.password = None;
            Ok(None)
        }
        _ if p.password.is_none() => {
            let pw = password::random();
            p.password = Some(pw.clone());
            Ok(Some(pw))
        }
        _ => Ok(None),
    }
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
        OnConflict::Update if o.passwords_on_update => Ok(()),
        OnConflict::Skip | OnConflict::Update => {
            p.password = None;
            Ok(())
        }
    }
}

/// Drops a given password that the stored hash already verifies (one argon2
/// check per row, on every core), so the row is unchanged instead of hashed
/// again with a new salt. The stored hash stands in for it: should another
/// writer change the password before the write, the file's password is set back.
fn keep_verified(rows: &mut [Pending], known: &HashMap<String, Known>, io: &dyn Interaction) {
    let todo: Vec<(&mut Pending, &str)> = rows
        .iter_mut()
        .filter(|p| p.found == Found::Live && p.password.is_some())
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

/// Plans a row under the lock, against what its email is now: refused, left as
/// it is, or given what a new user needs. A row whose password was made before
/// the lock for what its email was then is refused if that changed meanwhile:
/// what was made would land on another user.
fn plan_row(
    p: &mut Pending,
    status: Option<&Status>,
    prepared: Option<Prepared>,
    o: &Options,
) -> Result<Generated> {
    let now = status.map_or(Found::New, Found::of);
    let mut made = Generated::default();
    if let Some(pre) = prepared {
        if pre.found != now {
            return Err(Error::conflict(format!(
                "{}: {} was created, changed or deleted by another writer while this import ran; nothing was written",
                p.row.place, p.row.email
            ))
            .hint("run the import again"));
        }
        p.row.password_hash = pre.password_hash;
        made.password = pre.generated;
    }
    p.password = None;
    p.found = now;
    match status {
        Some(s) if now == Found::Live => return keep_or_refuse(p, s, o).map(|_| made),
        Some(_) if p.row.status == Some(Status::Deleted) => return Ok(made),
        _ => {}
    }
    fill_new(p, o, &mut made)?;
    Ok(made)
}

/// A row that creates or revives a user: its status, and a generated token.
fn fill_new(p: &mut Pending, o: &Options, made: &mut Generated) -> Result<()> {
    // An SSO account logs in through its provider: active without a password.
    let has_password = p.row.password_hash.is_some() || p.row.is_sso();
    let status = p.row.status.clone().unwrap_or(match has_password {
        true => Status::Active,
        false => Status::Invited,
    });
    if status == Status::Active && !has_password && !p.row.is_sso() {
        return Err(Error::validation(format!(
            "{}: an active user needs a password, a password_hash or --random-password",
            p.row.place
        )));
    }
    let wants_token = o.generate_token || p.generate_token;
    if wants_token && p.row.token.is_none() && status != Status::Deleted {
        let t = token::generate();
        p.row.token = Some(t.to_string());
        made.token = Some(t);
    }
    p.row.status = Some(status);
    Ok(())
}

/// Reads, checks and plans every row, verifies or hashes passwords, then
/// makes `new_roles` and writes the rows in one transaction, a chunk at a
/// time; `sink` shows the result before the commit, so generated secrets reach
/// the operator before they are stored.
pub fn write(
    run: &Run,
    repo: &mut dyn Repo,
    source: &mut dyn Source,
    declared: &Declared,
    o: &Options,
    sink: &mut dyn Sink,
) -> Result<()> {
    let new_roles = &declared.make;
    let mut scanned = scan(source, run.io, o)?;
    if scanned.generates && !o.dry_run {
        // As --generate-token checks before any work: a token made for a row
        // must reach the operator.
        crate::output::secret_can_be_shown()?;
    }
    if scanned.rows == 0 && !o.allow_empty {
        return Err(Error::validation(
            "the file holds no users (it is empty, or has no rows after its header)",
        )
        .hint("--allow-empty accepts a file with no users, for a job that means to import none"));
    }
    let policy = run.policy(repo)?;
    super::rows::check_passwords(&scanned.secret_rows, &policy, o.allow_weak, run.io)?;
    let mut roles = resolve_roles(repo, &scanned.roles, new_roles)?;
    let rows = std::mem::take(&mut scanned.secret_rows);
    let mut prepared = prepare_secrets(repo, rows, o, run.io)?;
    // Tests hold the import here to write in between, as another writer would.
    crate::failpoint::pause("import_write");
    let opts = run.write_opts(repo, o.dry_run, o.force)?;
    let schema = repo.schema()?.clone();
    let sink = RefCell::new(sink);
    let named = |e: &str| scanned.names(e);
    let role_edits: Vec<(String, RoleEdit)> = declared
        .edit
        .iter()
        .map(|(role, e)| (role.id.clone(), e.clone()))
        .collect();
    let import = Import {
        role_edits: &role_edits,
        policies: &declared.policies,
        named: &named,
        buckets: &scanned.buckets,
        on_conflict: o.on_conflict,
        prune: o.prune,
        ignore_ids: o.ignore_ids,
        rows: scanned.rows,
    };
    commit_after(
        repo,
        o.dry_run,
        |r| {
            let made = make_roles(r, new_roles, &mut roles, &scanned.roles, &opts)?;
            let pruned = r.import_users(
                &import,
                &mut |w| {
                    let mut sink = sink.borrow_mut();
                    let mut feed = Feed {
                        w,
                        o,
                        roles: &roles,
                        schema: &schema,
                        prepared: &mut prepared,
                        sink: &mut **sink,
                        chunk: Vec::with_capacity(CHUNK),
                    };
                    feed.all(source, run.io, scanned.rows)
                },
                &opts,
            )?;
            let mut sink = sink.borrow_mut();
            pruned.into_iter().try_for_each(|r| sink.row(r, None))?;
            let changed = declared.edit.iter();
            let changed =
                changed.map(|(role, e)| (role.name.clone(), super::roles::changes(role, e)));
            let ended = r.take_sessions_ended().iter().map(|(_, n)| n).sum();
            Ok(RolesDone {
                made,
                changed: changed.collect(),
                policies: declared.policy_changes.clone(),
                sessions_ended: ended,
            })
        },
        |made| sink.borrow_mut().finish(made, o.dry_run),
    )
    .map(|_| ())
}

/// The second pass: rows read again, planned and handed to the writer a chunk at a time.
struct Feed<'f> {
    w: &'f mut dyn ImportWriter,
    o: &'f Options,
    roles: &'f HashMap<String, String>,
    schema: &'f crate::repo::Schema,
    prepared: &'f mut HashMap<u64, Prepared>,
    sink: &'f mut dyn Sink,
    chunk: Vec<(Pending, Generated)>,
}

impl Feed<'_> {
    fn all(&mut self, source: &mut dyn Source, io: &dyn Interaction, rows: u64) -> Result<()> {
        let bar = io.progress(rows, "writing users");
        source.rows(io, "writing", &mut |p| {
            bar.inc(1);
            self.add(p)
        })?;
        bar.finish_and_clear();
        self.flush()
    }

    fn add(&mut self, mut p: Pending) -> Result<()> {
        self.schema
            .check_profile(&p.row.profile)
            .map_err(|e| at(&p.row.place, e))?;
        self.o.give_default_role(&mut p);
        p.row.role = p.role_key.as_ref().and_then(|k| self.roles.get(k).cloned());
        let now = self
            .w
            .status_of(&p.row.email)
            .map_err(|e| at(&p.row.place, e))?;
        let prepared = self.prepared.remove(&p.row.at);
        let made = plan_row(&mut p, now.as_ref(), prepared, self.o)?;
        self.chunk.push((p, made));
        match self.chunk.len() >= CHUNK {
            true => self.flush(),
            false => Ok(()),
        }
    }

    fn flush(&mut self) -> Result<()> {
        let chunk = std::mem::take(&mut self.chunk);
        let (rows, made): (Vec<_>, Vec<_>) = chunk.into_iter().map(|(p, g)| (p.row, g)).unzip();
        let results = self.w.write(&rows)?;
        for (result, made) in results.into_iter().zip(made) {
            let shown = made.password.is_some() || made.token.is_some();
            self.sink.row(result, shown.then_some(made))?;
        }
        Ok(())
    }
}

/// Makes the roles a file declares and adds their ids to the roles the rows name.
fn make_roles(
    repo: &mut dyn Repo,
    new_roles: &[NewRole],
    roles: &mut HashMap<String, String>,
    named: &[(String, String)],
    opts: &WriteOpts,
) -> Result<Vec<Role>> {
    let mut made = Vec::new();
    for new in new_roles {
        let role = repo.create_role(new, opts)?;
        for (key, _) in named.iter().filter(|(k, _)| same_name(k, &role.name)) {
            roles.insert(key.clone(), role.id.clone());
        }
        made.push(role);
    }
    Ok(made)
}
