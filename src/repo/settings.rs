//! The project settings roster reads from `directus_settings`.

use super::Settings;
use super::db::Db;
use super::schema::Schema;
use crate::error::Result;

const SETTINGS: &str = "SELECT auth_password_policy, auth_login_attempts, project_name \
                        FROM directus_settings ORDER BY id LIMIT 1";

/// The settings row, or defaults where the table or row is missing.
pub fn read(db: &mut dyn Db, s: &Schema) -> Result<Settings> {
    if !s.has_settings {
        return Ok(Settings::default());
    }
    let Some(row) = db.query_opt(SETTINGS, &[])? else {
        return Ok(Settings::default());
    };
    Ok(Settings {
        password_policy: row.text(0).filter(|p| !p.trim().is_empty()),
        login_attempts: row.int(1),
        project_name: row.text(2),
    })
}

/// What `doctor` reports about a database beyond its layout.
pub fn facts(db: &mut dyn Db, s: &Schema) -> Result<super::Facts> {
    let last_migration = match s.flavor {
        super::Flavor::Standalone => None,
        super::Flavor::Directus10 | super::Flavor::Directus11 => db
            .query_opt(
                "SELECT version FROM directus_migrations ORDER BY timestamp DESC, version DESC LIMIT 1",
                &[],
            )?
            .and_then(|r| r.text(0)),
    };
    let seats = match last_migration.as_deref().is_some_and(super::seats::counts) {
        true => Some((
            super::seats::holders(db)?.len() as u64,
            super::seats::limit(db, s)?,
        )),
        false => None,
    };
    Ok(super::Facts {
        last_migration,
        active_admins: super::roles::active_admins(db, s)?,
        seats,
    })
}
