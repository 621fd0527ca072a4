//! What `roster init` says: the schema it created, and the next step.

use super::Out;
use super::outcome::dry;
use crate::cli::Format;
use crate::error::Result;

impl Out {
    /// Says a dry run would have created the SQLite file itself.
    pub fn init_would_create_file(&self, place: &str) -> Result<()> {
        self.note(dry(true, format!("created {place} with roster's schema")));
        self.init_json(place, true)
    }

    /// Under JSON, the result: `{"database", "schema", "dry_run"}`.
    fn init_json(&self, place: &str, dry_run: bool) -> Result<()> {
        match self.format {
            Format::Json => self.json(&serde_json::json!({
                "database": place, "schema": "standalone", "dry_run": dry_run,
            })),
            _ => Ok(()),
        }
    }

    /// Says the schema was created in `place` (named on the command line when
    /// `named`), and what to do next.
    pub fn initialised(&self, place: &str, named: bool, dry_run: bool) -> Result<()> {
        if dry_run {
            self.note(dry(true, format!("created roster's schema in {place}")));
            return self.init_json(place, true);
        }
        self.note(format!(
            "created roster's schema in {place} with an Administrator role"
        ));
        let db = match named {
            true => format!("-d {place} "),
            false => String::new(),
        };
        self.note(format!(
            "next: roster {db}create EMAIL --role Administrator --random-password"
        ));
        self.init_json(place, false)
    }
}
