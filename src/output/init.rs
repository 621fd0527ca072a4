//! What `roster init` says: the schema it created, and the next step.

use super::Out;
use super::outcome::dry;

impl Out {
    /// Says a dry run would have created the SQLite file itself.
    pub fn init_would_create_file(&self, place: &str) {
        self.note(dry(true, format!("created {place} with roster's schema")));
    }

    /// Says the schema was created in `place` (named on the command line when
    /// `named`), and what to do next.
    pub fn initialised(&self, place: &str, named: bool, dry_run: bool) {
        if dry_run {
            self.note(dry(true, format!("created roster's schema in {place}")));
            return;
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
    }
}
