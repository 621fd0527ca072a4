//! Rendering for people and for programs: views made for output (never database
//! rows) as a table, JSON or CSV on stdout; notes on stderr.

mod doctor;
mod grid;
mod held;
mod import;
mod init;
mod located;
mod outcome;
mod policy;
mod projects;
mod roles;
pub mod safe;
mod sessions;
mod token;
mod two_fa;
pub mod users;

pub use doctor::{DoctorReport, PolicyFinding, Problem, Seats};
pub use grid::{Grid, width};
pub use held::Held;
pub use located::{Located, located};
pub use projects::ProjectView;
pub use users::UserView;

use crate::cli::Format;
use crate::error::{Error, Result};
use comfy_table::{Cell, Color};
use serde::Serialize;
use std::io::Write;

/// A count and its noun: "1 user", "3 users".
pub fn counted(n: u64, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

/// Items in a sentence: "a", "a or b", "a, b or c".
pub fn listed(items: &[&str], and_or: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} {and_or} {last}", init.join(", ")),
    }
}

/// Epoch milliseconds as RFC 3339 in UTC.
pub fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| ms.to_string())
}

/// A table cell whose control characters are shown escaped.
pub(crate) fn safe_cell(s: impl std::fmt::Display) -> Cell {
    Cell::new(safe::clean(&s.to_string()))
}

/// Where and how output goes for one run.
#[derive(Debug, Clone)]
pub struct Out {
    pub format: Format,
    pub quiet: bool,
    pub color: bool,
    /// Header lines on tables, CSV and plain output (`--no-headers` leaves them out).
    pub headers: bool,
    /// The width tables fit, when output goes to a terminal or `COLUMNS` says.
    pub width: Option<usize>,
    /// The named project the run works on, which every note names.
    pub project: Option<String>,
}

/// An output failure; a reader that went away (`roster list | head`) is named as such.
pub(crate) fn io_err(e: impl std::fmt::Display) -> Error {
    let msg = e.to_string();
    if msg.contains("Broken pipe") {
        return Error::OutputClosed;
    }
    Error::Internal(format!("cannot write output: {msg}"))
}

/// Writes a secret shown once (a generated password or token, an invite link).
/// Output that goes nowhere is refused: the secret would be stored but unseen.
pub fn secret(text: &str) -> Result<()> {
    secret_can_be_shown()?;
    line(text).map_err(unseen)
}

/// Output that carries a secret (or a result not committed yet) and could not be
/// written: the change must not be made, and that is not a success.
pub fn unseen(e: Error) -> Error {
    match e {
        Error::OutputClosed => Error::usage(
            "standard output was closed before the result was written; nothing was changed",
        ),
        other => other,
    }
}

/// Refuses (exit 2) to make a secret that would be stored but never seen: stdout
/// closed or /dev/null. Commands call it before any work; [`secret`] again.
pub fn secret_can_be_shown() -> Result<()> {
    if stdout_goes_nowhere() {
        return Err(Error::usage(
            "standard output is closed or /dev/null, so the secret would be lost; nothing was changed",
        ));
    }
    Ok(())
}

/// Whether stdout is /dev/null (Rust reopens a closed stdout as /dev/null).
fn stdout_goes_nowhere() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
        return true;
    };
    let out = std::fs::File::from(fd).metadata();
    let null = std::fs::metadata("/dev/null");
    let (Ok(out), Ok(null)) = (out, null) else {
        return false;
    };
    out.rdev() == null.rdev() && out.dev() == null.dev() && out.ino() == null.ino()
}

/// Writes one line of data to stdout; a closed pipe is an error, never a panic.
pub fn line(text: impl std::fmt::Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|_| out.flush())
        .map_err(io_err)
}

impl Out {
    /// A message for the person at the terminal (stderr), unless `--quiet`.
    pub fn note(&self, msg: impl std::fmt::Display) {
        if self.quiet {
            return;
        }
        let said = safe::message(&msg.to_string());
        match &self.project {
            Some(p) => safe::to_stderr(&format!("[{}] {said}", safe::clean(p))),
            None => safe::to_stderr(&said),
        }
    }

    /// Prints any serialisable value as pretty JSON on stdout.
    pub fn json(&self, value: &impl Serialize) -> Result<()> {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value).map_err(io_err)?;
        writeln!(out).map_err(io_err)
    }

    pub(crate) fn status_cell(&self, status: &str) -> Cell {
        let cell = safe_cell(status);
        if !self.color {
            return cell;
        }
        match status {
            "active" => cell.fg(Color::Green),
            "invited" | "draft" => cell.fg(Color::Yellow),
            "suspended" => cell.fg(Color::Red),
            _ => cell.fg(Color::DarkGrey),
        }
    }

    /// Writes rows as CSV or plain lines, under this header (which an empty list
    /// prints too, unless `--no-headers`).
    pub(crate) fn records<T: Serialize>(&self, rows: &[T], header: &[&str]) -> Result<()> {
        if self.format == Format::Plain {
            let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
            let cells: Vec<Vec<String>> = rows.iter().map(text_cells).collect::<Result<_>>()?;
            return self.plain(&header, cells.iter());
        }
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(std::io::stdout().lock());
        if self.headers {
            w.write_record(header).map_err(io_err)?;
        }
        rows.iter()
            .try_for_each(|r| w.serialize(r))
            .map_err(io_err)?;
        w.flush().map_err(io_err)
    }
}

/// A record's values as text cells, in its fields' order (none: empty).
pub(crate) fn text_cells<T: Serialize>(row: &T) -> Result<Vec<String>> {
    let value = serde_json::to_value(row).map_err(io_err)?;
    let values: Vec<serde_json::Value> = match value {
        serde_json::Value::Object(map) => map.into_iter().map(|(_, v)| v).collect(),
        other => vec![other],
    };
    Ok(values.iter().map(value_text).collect())
}

/// A JSON value as a cell shows it: strings bare, none empty, the rest as JSON.
pub fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
