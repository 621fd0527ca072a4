//! Directus 12's licence seats. Without a licence a project allows 3 active
//! users with admin or app access; past that, Directus locks it (non-admins
//! cannot log in, `/items` and `/files` answer 403) from its next restart. Every
//! write is checked as Directus checks its own: refused when it leaves more
//! seats used than allowed and uses more than before.

use super::db::{Db, Value};
use super::schema::{Flavor, Schema};
use super::tx::Tx;
use crate::error::{Error, Result};

/// The newest migration of Directus 11: a database past it counts seats.
const LAST_OF_11: &str = "20260211A";
/// The seats of Directus 12's built-in "Core" licence.
pub const CORE_SEATS: u64 = 3;

/// Users who hold a seat: active, with admin or app access through a policy of
/// their own, of their role, or of a role their role descends from.
const HOLDERS: &str = "WITH RECURSIVE seat_roles(id) AS (
      SELECT a.role FROM directus_access a JOIN directus_policies p ON p.id = a.policy
       WHERE a.role IS NOT NULL AND (p.admin_access = ? OR p.app_access = ?)
      UNION SELECT r.id FROM directus_roles r JOIN seat_roles s ON r.parent = s.id)
    SELECT u.email FROM directus_users u WHERE u.status = 'active'
      AND (u.role IN (SELECT id FROM seat_roles) OR EXISTS (SELECT 1 FROM directus_access a
           JOIN directus_policies p ON p.id = a.policy
           WHERE a.\"user\" = u.id AND (p.admin_access = ? OR p.app_access = ?)))
    ORDER BY u.email";

/// How many seats this database allows; `None` when it counts none (before
/// Directus 12, roster's own schema) or holds a licence, whose limit roster
/// cannot read.
pub fn limit(db: &mut dyn Db, s: &Schema) -> Result<Option<u64>> {
    if s.flavor != Flavor::Directus11 || !counts_seats(db)? {
        return Ok(None);
    }
    let columns = db.columns("directus_settings")?;
    if !["license_key", "license_token"]
        .iter()
        .all(|c| columns.iter().any(|k| k == c))
    {
        return Ok(None);
    }
    let row = db.query_opt(
        "SELECT license_key, license_token FROM directus_settings ORDER BY id LIMIT 1",
        &[],
    )?;
    let licensed = row.is_some_and(|r| (0..2).any(|i| r.text(i).is_some_and(|t| !t.is_empty())));
    Ok((!licensed).then_some(CORE_SEATS))
}

/// Whether Directus 12 made the database (its migrations go past 11's last).
fn counts_seats(db: &mut dyn Db) -> Result<bool> {
    let last = db.query_opt("SELECT max(version) FROM directus_migrations", &[])?;
    Ok(last.and_then(|r| r.text(0)).is_some_and(|v| counts(&v)))
}

/// Whether a database whose last migration is this one counts seats.
pub fn counts(last_migration: &str) -> bool {
    last_migration > LAST_OF_11
}

/// The emails of the users who hold a seat.
pub fn holders(db: &mut dyn Db) -> Result<Vec<String>> {
    let yes = Value::Bool(true);
    let rows = db.query(HOLDERS, &[yes.clone(), yes.clone(), yes.clone(), yes])?;
    Ok(rows.iter().map(|r| r.string(0)).collect())
}

/// The seats in use before a write, where they are counted.
pub struct SeatWatch {
    limit: u64,
    before: u64,
}

impl SeatWatch {
    /// Counts the seats in use before a write, under this limit.
    pub fn before(tx: &mut Tx, limit: u64) -> Result<SeatWatch> {
        let before = holders(tx.db)?.len() as u64;
        Ok(SeatWatch { limit, before })
    }

    /// Refuses a write that left more seats used than allowed and more than
    /// before (forced, it goes ahead with a warning).
    pub fn after(self, tx: &mut Tx) -> Result<()> {
        let holders = holders(tx.db)?;
        let used = holders.len() as u64;
        if used <= self.limit || used <= self.before {
            return Ok(());
        }
        let message = format!(
            "this would use {used} licence seats where Directus allows {} without a licence key \
             (active users with admin or app access: {})",
            self.limit,
            holders.join(", ")
        );
        if tx.opts.force {
            (tx.opts.warn)(&format!(
                "{message}; Directus will lock the project at its next restart"
            ));
            return Ok(());
        }
        Err(Error::conflict(message).hint(
            "suspend a seat holder, or take app access from a role, first; \
             --force goes ahead, and Directus then locks the project at its next restart",
        ))
    }
}
