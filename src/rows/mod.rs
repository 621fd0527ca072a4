//! Files of users for `import`, `export` and `apply`: the portable fields (from
//! the field table, plus secrets), the four formats, and reading and writing rows.

mod read;
mod write;

pub use read::{Delimiter, read, toml_error, toml_fields};
pub use write::Writer;

use crate::error::{Error, Result};
use crate::fields::{SECRETS, all};
use clap::ValueEnum;
use std::path::Path;

/// A file format of users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    /// Comma-separated values with a header row
    Csv,
    /// One JSON array of objects
    Json,
    /// One JSON object per line
    Jsonl,
    /// `[[users]]` tables
    Toml,
}

impl FileFormat {
    /// The format a file's extension names; `None` for stdin or an unknown extension.
    pub fn of_path(path: &Path) -> Option<FileFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(FileFormat::Csv),
            "json" => Some(FileFormat::Json),
            "jsonl" | "ndjson" => Some(FileFormat::Jsonl),
            "toml" => Some(FileFormat::Toml),
            _ => None,
        }
    }

    /// The format the first bytes of a file show: `[[` TOML (`[[users]]`), `[`
    /// JSON, `{` JSON Lines, anything else CSV; `None` for nothing but blanks.
    /// A byte-order mark, blank lines and `#` comment lines come before.
    pub fn sniff(head: &[u8]) -> Option<FileFormat> {
        let text = String::from_utf8_lossy(head);
        let text = text.trim_start_matches('\u{feff}');
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))?;
        Some(match first.as_bytes() {
            [b'[', b'[', ..] => FileFormat::Toml,
            [b'[', ..] => FileFormat::Json,
            [b'{', ..] => FileFormat::Jsonl,
            _ => FileFormat::Csv,
        })
    }

    /// Whether rows are named by line (CSV, JSON Lines) or by index (JSON, TOML).
    pub fn where_is(self, n: u64) -> String {
        match self {
            FileFormat::Csv | FileFormat::Jsonl => format!("line {n}"),
            FileFormat::Json | FileFormat::Toml => format!("users[{n}]"),
        }
    }
}

/// A value in a file: text, a boolean, or an array or object (JSON and TOML
/// have them; CSV holds the last as JSON text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Bool(bool),
    Json(serde_json::Value),
}

impl Cell {
    /// The value as text (`true`/`false` for booleans, compact JSON for the rest).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Bool(b) => b.to_string(),
            Cell::Json(v) => v.to_string(),
        }
    }
}

/// One row of a file: where it is, and its non-empty fields in file order.
#[derive(Debug, Clone)]
pub struct FileRow {
    /// The line (CSV, JSON Lines) or index (JSON, TOML).
    pub at: u64,
    pub fields: Vec<(String, Cell)>,
}

/// The names `export` writes, in order: the portable fields, then the secrets.
pub fn export_names(with_secrets: bool) -> Vec<&'static str> {
    let mut names: Vec<&str> = all()
        .iter()
        .filter(|f| f.portable)
        .map(|f| f.name)
        .collect();
    if with_secrets {
        names.extend(SECRETS.iter().map(|(n, _)| *n));
    }
    names
}

/// Fields a row may give beyond the exported ones: a plain password, and where
/// to find a secret the file does not hold (so a seed can be shared and committed).
pub const IMPORT_ONLY: [&str; 4] = ["password", "password_env", "password_file", "token_env"];

/// Refuses (exit 5) a key no row may have, naming it and where it is.
pub fn check_key(key: &str, allowed: &[&str], where_: &str) -> Result<()> {
    if allowed.contains(&key) {
        return Ok(());
    }
    Err(Error::validation(format!(
        "{where_}: unknown field {key:?} (known: {})",
        allowed.join(", ")
    )))
}
