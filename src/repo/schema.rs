//! What a connected database holds, found by introspection, so one code path
//! serves Directus 10.x, 11.x and roster's standalone schema.

use super::db::Db;
use crate::error::{Error, Result};
use crate::fields::Field;

/// Which kind of database this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flavor {
    /// Made by Directus 11 or later: access through policies.
    Directus11,
    /// Made by Directus 10: `admin_access` on roles.
    Directus10,
    /// Made by `roster init`.
    Standalone,
}

/// The tables and columns roster found.
#[derive(Debug, Clone)]
pub struct Schema {
    pub flavor: Flavor,
    /// In table order, so a full record reads the way Directus lays it out.
    pub user_columns: Vec<String>,
    pub has_sessions: bool,
    pub has_activity: bool,
    pub has_revisions: bool,
    pub has_settings: bool,
}

impl Schema {
    /// Reads the layout (one query); `None` when there is no `directus_users` table.
    pub fn load(db: &mut dyn Db) -> Result<Option<Schema>> {
        let mut found = db.table_columns(&[
            "directus_users",
            "directus_migrations",
            "directus_policies",
            "directus_activity",
            "directus_sessions",
            "directus_revisions",
            "directus_settings",
        ])?;
        let Some(users) = found.remove("directus_users") else {
            return Ok(None);
        };
        let has = |t: &str| found.contains_key(t);
        let flavor = match (has("directus_migrations"), has("directus_policies")) {
            (false, _) => Flavor::Standalone,
            (true, true) => Flavor::Directus11,
            (true, false) => Flavor::Directus10,
        };
        Ok(Some(Schema {
            flavor,
            user_columns: users,
            has_sessions: has("directus_sessions"),
            has_activity: has("directus_activity"),
            has_revisions: has("directus_revisions"),
            has_settings: has("directus_settings"),
        }))
    }

    /// Whether `directus_users` has a column.
    pub fn has(&self, column: &str) -> bool {
        self.user_columns.iter().any(|c| c == column)
    }

    /// Whether access is granted through policies (11.x and standalone).
    pub fn uses_policies(&self) -> bool {
        self.flavor != Flavor::Directus10
    }

    /// The stored word for a soft-deleted user: Directus's app says `archived`.
    pub fn deleted_value(&self) -> &'static str {
        match self.flavor {
            Flavor::Standalone => "deleted",
            Flavor::Directus10 | Flavor::Directus11 => "archived",
        }
    }

    /// The column a field is stored in here, or a validation error naming it.
    pub fn column_for(&self, field: &Field) -> Result<&'static str> {
        let found = field.columns.iter().copied().find(|c| self.has(c));
        found.ok_or_else(|| {
            Error::validation(format!(
                "this database's directus_users table has no {} column",
                field.columns.first().copied().unwrap_or(field.name)
            ))
        })
    }

    /// A column roster needs, or a validation error naming it.
    pub fn require(&self, column: &'static str) -> Result<&'static str> {
        match self.has(column) {
            true => Ok(column),
            false => Err(Error::validation(format!(
                "this database's directus_users table has no {column} column"
            ))),
        }
    }

    /// Refuses (exit 5) a profile that names a field this database has no column for.
    pub fn check_profile(&self, p: &crate::profile::Profile) -> Result<()> {
        for (field, _) in p.given() {
            self.column_for(field)?;
        }
        Ok(())
    }

    /// A column name when present, else `NULL`, for building a SELECT list.
    /// Names come from roster's own list, never from input.
    pub fn col_or_null(&self, column: &str) -> String {
        if self.has(column) {
            format!("u.{column}")
        } else {
            "NULL".to_string()
        }
    }
}
