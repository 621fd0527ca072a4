//! A write in progress: the connection inside its one transaction, the layout
//! found when connecting, and how the write runs, handed around as one value.

use super::User;
use super::WriteOpts;
use super::audit::{self, Action};
use super::db::{Db, Value};
use super::schema::Schema;
use super::users;
use crate::error::Result;

/// Columns to write, with their values.
pub type Columns = Vec<(&'static str, Value)>;

/// What every write of the repository works through.
pub struct Tx<'a> {
    pub db: &'a mut dyn Db,
    pub schema: &'a Schema,
    pub opts: &'a WriteOpts,
    /// Whose sessions this write ended, and how many, for the result a command prints.
    pub ended: &'a Ended,
}

/// Whose sessions a write ended, and how many.
pub type Ended = std::cell::RefCell<Vec<(String, u64)>>;

impl<'a> Tx<'a> {
    pub fn new(
        db: &'a mut dyn Db,
        schema: &'a Schema,
        opts: &'a WriteOpts,
        ended: &'a Ended,
    ) -> Tx<'a> {
        Tx {
            db,
            schema,
            opts,
            ended,
        }
    }
    /// The same transaction with other options (an update `forget` audits itself).
    pub fn with<'b>(&'b mut self, opts: &'b WriteOpts) -> Tx<'b> {
        Tx {
            db: &mut *self.db,
            schema: self.schema,
            opts,
            ended: self.ended,
        }
    }

    /// The user this email would collide with (a collation twin included), or this id.
    pub fn holder(&mut self, key: &str) -> Result<Option<User>> {
        users::holder(self.db, self.schema, key)
    }

    /// A user that must exist.
    pub fn get(&mut self, key: &str) -> Result<User> {
        users::get(self.db, self.schema, key)
    }

    /// Serialises writers on a key until the transaction ends.
    pub fn lock(&mut self, key: &str) -> Result<()> {
        self.db.lock_key(key)
    }

    /// Updates columns of one user, ends their sessions, and records the change.
    pub fn update(&mut self, id: &str, cols: &[(&'static str, Value)]) -> Result<()> {
        self.write_row(id, cols)?;
        self.end_sessions(id).map(|_| ())
    }

    /// Updates columns of one user and records the change (sessions stay).
    pub fn write_row(&mut self, id: &str, cols: &[(&'static str, Value)]) -> Result<()> {
        let sets: Vec<String> = cols.iter().map(|(c, _)| format!("{c} = ?")).collect();
        let sql = format!("UPDATE directus_users SET {} WHERE id = ?", sets.join(", "));
        let mut values: Vec<Value> = cols.iter().map(|(_, v)| v.clone()).collect();
        values.push(Value::from(id));
        self.db.execute(&sql, &values)?;
        audit::record(self, Action::Update, id, cols)
    }

    /// Deletes the user's sessions so old refresh tokens stop working at once.
    pub fn end_sessions(&mut self, id: &str) -> Result<u64> {
        if !self.schema.has_sessions {
            return Ok(0);
        }
        let n = self.db.execute(
            "DELETE FROM directus_sessions WHERE \"user\" = ?",
            &[Value::from(id)],
        )?;
        if n > 0 {
            self.ended.borrow_mut().push((id.to_string(), n));
        }
        Ok(n)
    }
}
