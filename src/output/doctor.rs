//! What `roster doctor` reports: the database, how it was chosen, and whether it is usable.

use super::{Out, line};
use crate::cli::Format;
use crate::error::Result;
use crate::repo::Flavor;
use serde::{Serialize, Serializer};
use std::fmt;

/// What doctor found.
#[derive(Serialize, Default)]
pub struct DoctorReport {
    pub source: String,
    pub passed_over: Vec<String>,
    pub database: String,
    pub connected: bool,
    pub schema: Option<Flavor>,
    /// The Directus major version that made it ("12"), from its last migration.
    pub directus_version: Option<String>,
    pub last_migration: Option<String>,
    pub policy: Option<PolicyFinding>,
    pub active_admins: Option<u64>,
    /// Directus 12's licence seats: in use, and allowed (null with a licence).
    pub seats: Option<Seats>,
    /// The columns a project added to directus_users, as roster reads them.
    pub custom_fields: &'static [crate::custom::CustomField],
    /// Custom columns whose names roster cannot write bare, which it leaves alone.
    pub custom_fields_left_alone: Vec<String>,
    pub problems: Vec<Problem>,
}

/// Licence seats in use and allowed.
#[derive(Serialize)]
pub struct Seats {
    pub used: u64,
    pub allowed: Option<u64>,
}

/// Where the password policy comes from, and what it asks.
pub struct PolicyFinding {
    pub sources: String,
    pub requirements: Vec<String>,
}

impl fmt::Display for PolicyFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.sources, self.requirements.join(", "))
    }
}

/// What makes the database unusable, or worth a look.
pub enum Problem {
    /// The default SQLite file is not there yet.
    NoDefaultFile,
    /// No active administrator could sign in to Directus.
    NoActiveAdmin,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NoDefaultFile => {
                f.write_str("roster.db does not exist yet: the first command creates it")
            }
            Problem::NoActiveAdmin => f.write_str(
                "no active administrator: create one with `roster create EMAIL --role Administrator`",
            ),
        }
    }
}

/// The JSON report holds findings as the sentences the text shows.
fn as_text<S: Serializer>(v: &impl fmt::Display, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(v)
}

impl Serialize for PolicyFinding {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        as_text(self, s)
    }
}

impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        as_text(self, s)
    }
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
        let schema = r.schema.map(|f| match (f, &r.directus_version) {
            (Flavor::Standalone, _) => "roster standalone".to_string(),
            (_, Some(v)) if v.starts_with("newer") => {
                format!("Directus, {v} (roster may not know all of it)")
            }
            (_, Some(v)) => format!("Directus {v}"),
            (_, None) => "Directus".to_string(),
        });
        line(format!("schema:          {}", none(&schema)))?;
        line(format!("last migration:  {}", none(&r.last_migration)))?;
        let policy = r.policy.as_ref().map(PolicyFinding::to_string);
        line(format!("password policy: {}", none(&policy)))?;
        let admins = r.active_admins.map(|n| n.to_string());
        line(format!("active admins:   {}", none(&admins)))?;
        if let Some(seats) = &r.seats {
            line(format!(
                "licence seats:   {}",
                match seats.allowed {
                    Some(n) => format!("{} of {n} (Directus without a licence key)", seats.used),
                    None => format!(
                        "{} in use (a licence is set: its limit is not checked)",
                        seats.used
                    ),
                }
            ))?;
        }
        for (i, f) in r.custom_fields.iter().enumerate() {
            let label = if i == 0 { "custom fields:" } else { "" };
            line(format!("{label:<17}{}: {}", f.name, f.summary()))?;
        }
        if !r.custom_fields_left_alone.is_empty() {
            line(format!(
                "left alone:      {} (names SQL needs quoted: roster does not read or write them)",
                r.custom_fields_left_alone.join(", ")
            ))?;
        }
        for p in &r.problems {
            self.note(format!("warning: {p}"));
        }
        Ok(())
    }
}
