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

/// The tables `roster init` creates.
pub const STANDALONE_TABLES: [&str; 8] = [
    "directus_users",
    "directus_roles",
    "directus_policies",
    "directus_access",
    "directus_settings",
    "directus_sessions",
    "directus_activity",
    "directus_revisions",
];

/// Whether `directus_roles` has the columns `roster init` gives it (a table of
/// that name made by hand is not the start of an init).
pub fn made_by_init(role_columns: &[String]) -> bool {
    ["id", "name", "icon", "description", "parent"]
        .iter()
        .all(|c| role_columns.iter().any(|have| have == c))
}

/// What a database holds: its layout (`None` without `directus_users`), and the
/// standalone tables missing from an `init` that stopped midway (MySQL's DDL is
/// not transactional: a killed `init` leaves some tables made).
pub struct Found {
    pub schema: Option<Schema>,
    pub unfinished: Vec<&'static str>,
}

impl Schema {
    /// Reads the layout (one query); `None` when there is no `directus_users` table.
    pub fn load(db: &mut dyn Db) -> Result<Option<Schema>> {
        Ok(Schema::inspect(db)?.schema)
    }

    /// Reads the layout and whether an `init` was left unfinished (one query).
    pub fn inspect(db: &mut dyn Db) -> Result<Found> {
        let mut tables: Vec<&str> = STANDALONE_TABLES.to_vec();
        tables.push("directus_migrations");
        let mut found = db.table_columns(&tables)?;
        // Directus always has directus_migrations: without it, directus_roles (the
        // table init makes first) and some but not all of the others are an init
        // that stopped midway.
        let present = STANDALONE_TABLES.iter().filter(|t| found.contains_key(**t));
        let began = !found.contains_key("directus_migrations")
            && found.get("directus_roles").is_some_and(|c| made_by_init(c));
        let unfinished = match (began, present.count()) {
            (true, n) if n < STANDALONE_TABLES.len() => STANDALONE_TABLES
                .into_iter()
                .filter(|t| !found.contains_key(*t))
                .collect(),
            _ => Vec::new(),
        };
        let Some(users) = found.remove("directus_users") else {
            return Ok(Found {
                schema: None,
                unfinished,
            });
        };
        let has = |t: &str| found.contains_key(t);
        let flavor = match (has("directus_migrations"), has("directus_policies")) {
            (false, _) => Flavor::Standalone,
            (true, true) => Flavor::Directus11,
            (true, false) => Flavor::Directus10,
        };
        let schema = Schema {
            flavor,
            user_columns: users,
            has_sessions: has("directus_sessions"),
            has_activity: has("directus_activity"),
            has_revisions: has("directus_revisions"),
            has_settings: has("directus_settings"),
        };
        Ok(Found {
            schema: Some(schema),
            unfinished,
        })
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

    /// The column a value of the field is written to; `None` when this database
    /// lacks it and the value is the one such a database behaves as having
    /// (the field's default), so there is nothing to write.
    pub fn column_to_set(
        &self,
        field: &Field,
        value: Option<&str>,
    ) -> Result<Option<&'static str>> {
        match self.column_for(field) {
            Ok(column) => Ok(Some(column)),
            Err(_) if field.default.is_some() && value == field.default => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Refuses (exit 5) a profile that names a field this database has no column for.
    pub fn check_profile(&self, p: &crate::profile::Profile) -> Result<()> {
        for (field, value) in p.given() {
            self.column_to_set(field, value)?;
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

/// The newest migration of Directus 11 (11.17.4): a later one is Directus 12's.
const LAST_OF_11: &str = "20260211A";
/// The newest migration roster knows (Directus 12.4.1).
const NEWEST_KNOWN: &str = "20260909A";

/// The first migration of Directus 11.4, whose environment reading stopped
/// guessing the type of SECRET.
const FIRST_OF_11_4: &str = "20250224A";

/// Whether the Directus that made a database reads `.env` values by guessing
/// their type (10.x and 11.0 to 11.3): "12345" as a number, "a,b" as a list.
pub fn guesses_env_types(flavor: Flavor, last_migration: Option<&str>) -> bool {
    match flavor {
        Flavor::Standalone => false,
        Flavor::Directus10 => true,
        Flavor::Directus11 => last_migration.is_some_and(|m| m < FIRST_OF_11_4),
    }
}

/// Which Directus made a database, from its schema and its last migration:
/// "10", "11", "12", or "newer than 12.4.1" for a migration roster does not know.
pub fn directus_version(flavor: Flavor, last_migration: Option<&str>) -> Option<String> {
    let version = match (flavor, last_migration) {
        (Flavor::Standalone, _) => return None,
        (Flavor::Directus10, _) => "10",
        (Flavor::Directus11, Some(m)) if m > NEWEST_KNOWN => "newer than 12.4.1",
        (Flavor::Directus11, Some(m)) if m > LAST_OF_11 => "12",
        (Flavor::Directus11, _) => "11",
    };
    Some(version.to_string())
}
