//! The repository over any [`Db`]: transactions, dry runs and the dispatch of
//! every [`Repo`] verb to the module that carries it out.

use super::db::Db;
use super::schema::Schema;
use super::{
    Changed, Created, Edit, ListFilter, NewRole, NewUser, Repo, Role, Settings, User, WriteOpts,
    edit, roles, settings, users,
};
use crate::error::{Error, Result};
use crate::status::Change;

/// A repository on one connection, with the layout read when it opened.
pub struct SqlRepo<D: Db> {
    db: D,
    schema: Option<Schema>,
}

impl<D: Db> SqlRepo<D> {
    /// Wraps a connection and reads its layout.
    pub fn new(mut db: D) -> Result<Self> {
        let schema = Schema::load(&mut db)?;
        Ok(SqlRepo { db, schema })
    }

    /// Runs `work` in one transaction; commits, or rolls back on error or dry run.
    fn write<T>(
        &mut self,
        opts: &WriteOpts,
        work: impl FnOnce(&mut dyn Db, &Schema) -> Result<T>,
    ) -> Result<T> {
        let schema = self.schema.as_ref().ok_or_else(not_roster)?;
        self.db.begin()?;
        match work(&mut self.db, schema) {
            Ok(v) if opts.dry_run => self.db.rollback().map(|_| v),
            Ok(v) => self.db.commit().map(|_| v),
            Err(e) => {
                // The first error is the one worth reporting; a failed rollback only
                // means the connection is gone, and the server discards the work then.
                let _ = self.db.rollback();
                Err(e)
            }
        }
    }

    fn read(&mut self) -> Result<(&mut dyn Db, &Schema)> {
        let schema = self.schema.as_ref().ok_or_else(not_roster)?;
        Ok((&mut self.db, schema))
    }
}

/// The tables `roster init` creates.
const STANDALONE_TABLES: [&str; 8] = [
    "directus_users",
    "directus_roles",
    "directus_policies",
    "directus_access",
    "directus_settings",
    "directus_sessions",
    "directus_activity",
    "directus_revisions",
];

fn not_roster() -> Error {
    Error::unavailable(
        "this database has no directus_users table: it is neither a Directus nor a roster \
         database (run `roster init` to create roster's schema)",
    )
}

impl<D: Db> Repo for SqlRepo<D> {
    fn schema(&self) -> Result<&Schema> {
        self.schema.as_ref().ok_or_else(not_roster)
    }

    fn init(&mut self, opts: &WriteOpts) -> Result<()> {
        if self.schema.is_some() {
            return Err(Error::conflict(
                "this database already has a directus_users table; nothing to initialise",
            ));
        }
        let mut present = Vec::new();
        for table in STANDALONE_TABLES {
            if !self.db.columns(table)?.is_empty() {
                present.push(table);
            }
        }
        if !present.is_empty() {
            return Err(Error::conflict(format!(
                "this database already has {}; roster init needs a database without them",
                present.join(", ")
            )));
        }
        self.db.begin()?;
        let result = self
            .db
            .create_standalone_tables()
            .and_then(|_| roles::seed_standalone(&mut self.db));
        match result {
            Ok(()) if opts.dry_run => self.db.rollback(),
            Ok(()) => {
                self.db.commit()?;
                self.schema = Schema::load(&mut self.db)?;
                Ok(())
            }
            Err(e) => {
                let _ = self.db.rollback();
                Err(e)
            }
        }
    }

    fn find_user(&mut self, key: &str) -> Result<Option<User>> {
        let (db, s) = self.read()?;
        users::find(db, s, key)
    }

    fn create_user(&mut self, new: &NewUser, opts: &WriteOpts) -> Result<Created> {
        self.write(opts, |db, s| users::create(db, s, new, opts))
    }

    fn change_statuses(
        &mut self,
        keys: &[&str],
        change: Change,
        opts: &WriteOpts,
    ) -> Result<Vec<Changed>> {
        self.write(opts, |db, s| {
            // The status lock is taken once for the whole batch.
            keys.iter()
                .map(|key| users::change_status(db, s, key, change, opts))
                .collect()
        })
    }

    fn edit_user(&mut self, key: &str, edit: &Edit, opts: &WriteOpts) -> Result<Changed> {
        self.write(opts, |db, s| edit::edit(db, s, key, edit, opts))
    }

    fn set_password(&mut self, key: &str, hash: &str, opts: &WriteOpts) -> Result<Changed> {
        self.write(opts, |db, s| users::set_password(db, s, key, hash, opts))
    }

    fn set_token(&mut self, key: &str, token: Option<&str>, opts: &WriteOpts) -> Result<User> {
        self.write(opts, |db, s| users::set_token(db, s, key, token, opts))
    }

    fn list_users(
        &mut self,
        filter: &ListFilter,
        each: &mut dyn FnMut(User) -> Result<()>,
    ) -> Result<()> {
        let (db, s) = self.read()?;
        users::list(db, s, filter, each)
    }

    fn list_roles(&mut self) -> Result<Vec<Role>> {
        let (db, s) = self.read()?;
        roles::list(db, s)
    }

    fn find_role(&mut self, key: &str) -> Result<Option<Role>> {
        let (db, s) = self.read()?;
        roles::find(db, s, key)
    }

    fn create_role(&mut self, new: &NewRole, opts: &WriteOpts) -> Result<Role> {
        self.write(opts, |db, s| roles::create(db, s, new, opts))
    }

    fn settings(&mut self) -> Result<Settings> {
        let (db, s) = self.read()?;
        settings::read(db, s)
    }
}
