//! The repository over any [`Db`]: transactions, dry runs and the dispatch of
//! every [`Repo`] verb to the module that carries it out.

use super::db::Db;
use super::schema::{STANDALONE_TABLES, Schema, made_by_init};
use super::tx::Tx;
use super::{
    Changed, Created, Edit, Facts, FieldChange, Forgotten, Import, ImportWriter, Known, ListFilter,
    NewRole, NewUser, Policy, Record, Repo, Role, RoleEdit, RowResult, Session, Settings, User,
    WriteOpts, credentials, edit, existing, forget, import, listing, policies, role_changes, roles,
    seats, sessions, settings, status_changes, tfa, users,
};
use crate::error::{Error, Result};
use crate::status::Change;

/// A repository on one connection, with the layout read when it opened.
pub struct SqlRepo<D: Db> {
    db: D,
    schema: Option<Schema>,
    /// The tables an `init` that stopped midway left unmade: every verb but
    /// `init` (which finishes the work) refuses such a database.
    unfinished: Vec<&'static str>,
    /// A transaction held open by [`Repo::hold`], which writes join.
    held: bool,
    /// Directus 12's seat limit, read at the first write (`Some(None)`: this
    /// database counts none): the migrations and licence do not change mid-run.
    seat_limit: Option<Option<u64>>,
    /// Sessions the writes ended since [`Repo::take_sessions_ended`] last asked.
    ended: std::cell::RefCell<Vec<(String, u64)>>,
}

impl<D: Db> SqlRepo<D> {
    /// Wraps a connection and reads its layout.
    pub fn new(mut db: D) -> Result<Self> {
        let found = Schema::inspect(&mut db)?;
        // The custom fields join the field table; a table without unknown
        // columns (most) costs no query more.
        if let Some(s) = &found.schema
            && s.user_columns
                .iter()
                .any(|c| !crate::fields::known_column(c))
        {
            crate::fields::register_custom(super::custom_fields::discover(&mut db)?);
        }
        Ok(SqlRepo {
            db,
            schema: found.schema,
            unfinished: found.unfinished,
            held: false,
            seat_limit: None,
            ended: Default::default(),
        })
    }

    /// Runs `work` as one write: inside a held transaction it joins it and
    /// [`Repo::finish`] decides, else in a transaction of its own.
    fn write<T>(&mut self, opts: &WriteOpts, work: impl FnOnce(&mut Tx) -> Result<T>) -> Result<T> {
        let limit = self.seat_limit()?;
        let schema = layout(&self.schema, &self.unfinished)?;
        let db: &mut dyn Db = &mut self.db;
        let ended = &self.ended;
        if self.held {
            return seats_kept(&mut Tx::new(db, schema, opts, ended), limit, work);
        }
        transaction(db, opts.dry_run, |db| {
            seats_kept(&mut Tx::new(db, schema, opts, ended), limit, work)
        })
    }

    /// The seat limit, read once per connection.
    fn seat_limit(&mut self) -> Result<Option<u64>> {
        if let Some(limit) = self.seat_limit {
            return Ok(limit);
        }
        let schema = layout(&self.schema, &self.unfinished)?;
        let limit = seats::limit(&mut self.db, schema)?;
        self.seat_limit = Some(limit);
        Ok(limit)
    }

    fn read(&mut self) -> Result<(&mut dyn Db, &Schema)> {
        let schema = layout(&self.schema, &self.unfinished)?;
        Ok((&mut self.db, schema))
    }
}

/// Runs a write under Directus 12's seat rule, where the database counts seats.
fn seats_kept<T>(
    tx: &mut Tx,
    limit: Option<u64>,
    work: impl FnOnce(&mut Tx) -> Result<T>,
) -> Result<T> {
    let watch = limit.map(|l| seats::SeatWatch::before(tx, l)).transpose()?;
    let done = work(tx)?;
    if let Some(watch) = watch {
        watch.after(tx)?;
    }
    Ok(done)
}

/// Creates the standalone schema inside the caller's transaction, refusing a
/// database that holds any of its tables (checked under the lock, so two
/// concurrent inits cannot both pass), unless they are what an init that stopped
/// midway left: then it makes the missing tables and seeds what is not seeded.
fn create_schema(db: &mut dyn Db) -> Result<()> {
    db.lock_key("roster:init")?;
    let mut present = Vec::new();
    for table in STANDALONE_TABLES {
        if !db.columns(table)?.is_empty() {
            present.push(table);
        }
    }
    if !present.is_empty() && !unfinished_init(db, present.len())? {
        return Err(Error::conflict(format!(
            "this database already has {}; roster init needs a database without them",
            present.join(", ")
        )));
    }
    db.create_standalone_tables()?;
    match db.query_int("SELECT count(*) FROM directus_roles", &[])? {
        0 => roles::seed_standalone(db),
        _ => Ok(()),
    }
}

/// Whether the standalone tables present are an init that stopped midway: no
/// Directus (which always has directus_migrations), directus_roles (which init
/// makes first) there, and some tables missing, or
/// all there with neither roles nor users (stopped between the tables and the seed).
fn unfinished_init(db: &mut dyn Db, present: usize) -> Result<bool> {
    if !db.columns("directus_migrations")?.is_empty()
        || !made_by_init(&db.columns("directus_roles")?)
    {
        return Ok(false);
    }
    if present < STANDALONE_TABLES.len() {
        return Ok(true);
    }
    let rows =
        "SELECT (SELECT count(*) FROM directus_roles) + (SELECT count(*) FROM directus_users)";
    Ok(db.query_int(rows, &[])? == 0)
}

/// Runs `work` in one transaction; commits, or rolls back on error or dry run.
/// Every write of the repository, `init` included, ends here.
fn transaction<T>(
    db: &mut dyn Db,
    dry_run: bool,
    work: impl FnOnce(&mut dyn Db) -> Result<T>,
) -> Result<T> {
    db.begin()?;
    // The last bulk write may still be running: its error is the work's.
    match work(&mut *db).and_then(|v| db.settle().map(|()| v)) {
        Ok(v) if dry_run => db.rollback().map(|_| v),
        Ok(v) => commit(db).map(|_| v),
        Err(e) => {
            // The first error is the one worth reporting; a failed rollback only
            // means the connection is gone, and the server discards the work then.
            let _ = db.rollback();
            Err(e)
        }
    }
}

/// Commits; a connection lost at this point leaves the outcome unknown, and says so.
fn commit(db: &mut dyn Db) -> Result<()> {
    crate::failpoint::pause("before_commit");
    if let Err(e) = db.confirm_target() {
        // The first error is the one to report; the rollback only undoes.
        let _ = db.rollback();
        return Err(e);
    }
    db.commit().map_err(|e| match e.kind() {
        Error::Unavailable(_) => e.reword(|msg| format!(
            "{msg} while committing: the change may or may not have been made (check with `roster show`)"
        )),
        _ => e,
    })
}

/// The layout every verb but `init` works with: refused when there is none, or
/// when an `init` stopped midway (exit 6 naming the tables it did not make).
fn layout<'a>(schema: &'a Option<Schema>, unfinished: &[&str]) -> Result<&'a Schema> {
    if !unfinished.is_empty() {
        return Err(Error::unavailable(format!(
            "roster's schema is incomplete: {} {} missing (a `roster init` that stopped midway)",
            unfinished.join(", "),
            if unfinished.len() == 1 { "is" } else { "are" }
        ))
        .hint("run `roster init` again: it makes the missing tables and finishes"));
    }
    schema.as_ref().ok_or_else(not_roster)
}

fn not_roster() -> Error {
    Error::unavailable(
        "this database has no directus_users table: it is neither a Directus nor a roster \
         database (run `roster init` to create roster's schema)",
    )
}

impl<D: Db> Repo for SqlRepo<D> {
    fn schema(&self) -> Result<&Schema> {
        layout(&self.schema, &self.unfinished)
    }

    fn hold(&mut self) -> Result<()> {
        self.schema.as_ref().ok_or_else(not_roster)?;
        self.db.begin()?;
        self.held = true;
        Ok(())
    }

    fn take_sessions_ended(&mut self) -> Vec<(String, u64)> {
        self.ended.take()
    }

    fn finish(&mut self, commit_it: bool) -> Result<()> {
        if !std::mem::take(&mut self.held) {
            return Ok(());
        }
        if commit_it {
            commit(&mut self.db)
        } else {
            self.db.rollback()
        }
    }

    fn init(&mut self, opts: &WriteOpts) -> Result<()> {
        // All tables there but nothing seeded is an init that stopped between
        // the two (MariaDB commits each table at once): init finishes it.
        if self.schema.is_some()
            && self.unfinished.is_empty()
            && !unfinished_init(&mut self.db, STANDALONE_TABLES.len())?
        {
            return Err(Error::conflict(
                "this database already has a directus_users table; nothing to initialise",
            ));
        }
        transaction(&mut self.db, opts.dry_run, create_schema)?;
        if !opts.dry_run {
            let found = Schema::inspect(&mut self.db)?;
            (self.schema, self.unfinished) = (found.schema, found.unfinished);
        }
        Ok(())
    }

    fn find_user(&mut self, key: &str) -> Result<Option<User>> {
        let (db, s) = self.read()?;
        users::find(db, s, key)
    }

    fn email_holder(&mut self, email: &str) -> Result<Option<User>> {
        let (db, s) = self.read()?;
        users::holder(db, s, email)
    }

    fn create_user(&mut self, new: &NewUser, opts: &WriteOpts) -> Result<Created> {
        self.write(opts, |tx| users::create(tx, new))
    }

    fn change_statuses(
        &mut self,
        keys: &[&str],
        change: Change,
        opts: &WriteOpts,
    ) -> Result<Vec<Changed>> {
        self.write(opts, |tx| {
            keys.iter()
                .map(|key| status_changes::change_status(tx, key, change))
                .collect()
        })
    }

    fn edit_user(&mut self, key: &str, edit: &Edit, opts: &WriteOpts) -> Result<Changed> {
        self.write(opts, |tx| edit::edit(tx, key, edit))
    }

    fn set_password(&mut self, key: &str, hash: &str, opts: &WriteOpts) -> Result<Changed> {
        self.write(opts, |tx| credentials::set_password(tx, key, hash))
    }

    fn set_token(&mut self, key: &str, token: Option<&str>, opts: &WriteOpts) -> Result<Changed> {
        self.write(opts, |tx| credentials::set_token(tx, key, token))
    }

    fn set_tfa_secret(
        &mut self,
        key: &str,
        secret: Option<&str>,
        opts: &WriteOpts,
    ) -> Result<Changed> {
        self.write(opts, |tx| tfa::set_secret(tx, key, secret))
    }

    fn list_users(
        &mut self,
        filter: &ListFilter,
        each: &mut dyn FnMut(User) -> Result<()>,
    ) -> Result<()> {
        let (db, s) = self.read()?;
        listing::list(db, s, filter, each)
    }

    fn import_users(
        &mut self,
        batch: &Import,
        feed: &mut dyn FnMut(&mut dyn ImportWriter) -> Result<()>,
        opts: &WriteOpts,
    ) -> Result<Vec<RowResult>> {
        self.write(opts, |tx| import::run(tx, batch, feed))
    }

    fn known_users(
        &mut self,
        emails: &std::collections::HashSet<String>,
    ) -> Result<std::collections::HashMap<String, Known>> {
        let (db, _) = self.read()?;
        existing::Existing::known(db, &|e| emails.contains(e))
    }

    fn list_sessions(&mut self, user: Option<&str>) -> Result<Vec<Session>> {
        let (db, s) = self.read()?;
        sessions::list(db, s, user)
    }

    fn revoke_sessions(&mut self, keys: &[&str], opts: &WriteOpts) -> Result<Vec<(User, u64)>> {
        self.write(opts, |tx| {
            keys.iter().map(|k| sessions::revoke(tx, k)).collect()
        })
    }

    fn forget_user(
        &mut self,
        key: &str,
        scrub_revisions: bool,
        opts: &WriteOpts,
    ) -> Result<Forgotten> {
        self.write(opts, |tx| forget::forget(tx, key, scrub_revisions))
    }

    fn count_users(&mut self, filter: &ListFilter) -> Result<u64> {
        let (db, s) = self.read()?;
        listing::count(db, s, filter)
    }

    fn export_users(
        &mut self,
        filter: &ListFilter,
        with_secrets: bool,
        each: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        let (db, s) = self.read()?;
        listing::export(db, s, filter, with_secrets, each)
    }

    fn list_roles(&mut self) -> Result<Vec<Role>> {
        let (db, s) = self.read()?;
        roles::list(db, s)
    }

    fn find_role(&mut self, key: &str) -> Result<Option<Role>> {
        let (db, s) = self.read()?;
        roles::find(db, s, key)
    }

    fn policies(&mut self) -> Result<Vec<Policy>> {
        let (db, s) = self.read()?;
        policies::list(db, s)
    }

    fn create_role(&mut self, new: &NewRole, opts: &WriteOpts) -> Result<Role> {
        self.write(opts, |tx| roles::create(tx, new))
    }

    fn rename_role(&mut self, key: &str, name: &str, opts: &WriteOpts) -> Result<Role> {
        self.write(opts, |tx| role_changes::rename(tx, key, name))
    }

    fn edit_role(
        &mut self,
        key: &str,
        edit: &RoleEdit,
        opts: &WriteOpts,
    ) -> Result<(Role, Vec<FieldChange>)> {
        self.write(opts, |tx| role_changes::edit(tx, key, edit))
    }

    fn delete_role(
        &mut self,
        key: &str,
        reassign: Option<&str>,
        opts: &WriteOpts,
    ) -> Result<(Role, u64)> {
        self.write(opts, |tx| role_changes::delete(tx, key, reassign))
    }

    fn facts(&mut self) -> Result<Facts> {
        let (db, s) = self.read()?;
        settings::facts(db, s)
    }

    fn settings(&mut self) -> Result<Settings> {
        let (db, s) = self.read()?;
        settings::read(db, s)
    }
}
