//! How the config file's named projects are shown.

use super::{Grid, Out};
use crate::cli::Format;
use crate::config::{Project, redact};
use crate::error::Result;
use serde::Serialize;

/// A project as `roster projects` prints it (and its JSON).
#[derive(Debug, Serialize)]
pub struct ProjectView {
    pub name: String,
    /// Its database: the URL without its password, or the `.env` that names it.
    pub database: String,
    pub protect: bool,
    /// Whether `--project` or ROSTER_PROJECT picks it for this run.
    pub selected: bool,
}

impl ProjectView {
    pub fn of(name: &str, p: &Project, selected: bool) -> ProjectView {
        let database = match (&p.database_url, &p.env_file) {
            (Some(url), _) => redact(url),
            (None, Some(file)) => format!("env file {}", file.display()),
            (None, None) => String::new(),
        };
        ProjectView {
            name: name.to_string(),
            database,
            protect: p.protect,
            selected,
        }
    }
}

impl Out {
    /// Prints the projects: a table, JSON, CSV or plain lines.
    pub fn projects(&self, projects: &[ProjectView]) -> Result<()> {
        match self.format {
            Format::Json => self.json(&projects),
            Format::Csv | Format::Plain => {
                self.records(projects, &["name", "database", "protect", "selected"])
            }
            Format::Table if projects.is_empty() => Ok(()),
            Format::Table => {
                let mut g = Grid::new(&["NAME", "DATABASE", "PROTECT", "SELECTED"]);
                let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
                for p in projects {
                    g.rows.push(vec![
                        p.name.clone(),
                        p.database.clone(),
                        yes(p.protect),
                        yes(p.selected),
                    ]);
                }
                self.grid(g)
            }
        }
    }
}
