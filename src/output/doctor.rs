//! What `roster doctor` reports: the database, how it was chosen, and whether it is usable.

use super::{Out, line};
use crate::cli::Format;
use crate::error::Result;
use crate::repo::Flavor;
use serde::Serialize;

/// What doctor found.
#[derive(Serialize, Default)]
pub struct DoctorReport {
    pub source: String,
    pub passed_over: Vec<String>,
    pub database: String,
    pub connected: bool,
    pub schema: Option<Flavor>,
    pub last_migration: Option<String>,
    pub policy: Option<String>,
    pub active_admins: Option<u64>,
    pub problems: Vec<String>,
}

impl Out {
    /// Prints what doctor found: the report as JSON, or a line for each finding
    /// and a warning for each problem.
    pub fn doctor(&self, r: &DoctorReport) -> Result<()> {
        if self.format == Format::Json {
            return self.json(r);
        }
        let none = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        line(format!(
            "database:        {} (named by {})",
            r.database, r.source
        ))?;
        if !r.passed_over.is_empty() {
            line(format!("passed over:     {}", r.passed_over.join(", ")))?;
        }
        line(format!(
            "connected:       {}",
            if r.connected { "yes" } else { "no" }
        ))?;
        let schema = r.schema.map(|f| match f {
            Flavor::Directus11 => "Directus 11".to_string(),
            Flavor::Directus10 => "Directus 10".to_string(),
            Flavor::Standalone => "roster standalone".to_string(),
        });
        line(format!("schema:          {}", none(&schema)))?;
        line(format!("last migration:  {}", none(&r.last_migration)))?;
        line(format!("password policy: {}", none(&r.policy)))?;
        let admins = r.active_admins.map(|n| n.to_string());
        line(format!("active admins:   {}", none(&admins)))?;
        for p in &r.problems {
            self.note(format!("warning: {p}"));
        }
        Ok(())
    }
}
