//! roster: administer the user accounts of a Directus database directly over SQL.

pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod email;
pub mod error;
pub mod failpoint;
pub mod fields;
pub mod flows;
pub mod input;
pub mod interrupt;
pub mod invitation;
pub mod man;
pub mod output;
pub mod password;
pub mod policy;
pub mod profile;
pub mod repo;
pub mod rows;
pub mod sources;
pub mod status;
pub mod terminal;
pub mod token;

use clap::Parser;
use std::process::ExitCode;

/// Runs roster with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let verbose = cli.global.verbose;
    let json = cli.global.format == cli::Format::Json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away: stop quietly, as `cat` and `ls` do.
        Err(error::Error::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            let err = anyhow::Error::from(e);
            let code = error::exit_code_of(&err);
            match json {
                true => report_json(&err, code, verbose),
                false => report(&err, verbose),
            }
            ExitCode::from(code)
        }
    }
}

/// One `error:` line (hints on their own lines), the cause chain under `-v`.
fn report(err: &anyhow::Error, verbose: bool) {
    use output::safe::{message, to_stderr};
    let (said, hints) = parts(err);
    let mut text = format!("error: {}", message(&said));
    for hint in hints {
        text.push('\n');
        text.push_str(&message(&format!("hint: {hint}")));
    }
    to_stderr(&text);
    if verbose {
        for cause in err.chain().skip(1) {
            to_stderr(&format!("caused by: {}", message(&cause.to_string())));
        }
    }
}

/// Under `--format json`, one JSON object on stderr instead of the `error:` line:
/// `{"error": …, "exit_code": N, "hints": […]}` (and `causes` under `-v`).
fn report_json(err: &anyhow::Error, code: u8, verbose: bool) {
    let (message, hints) = parts(err);
    let mut out = serde_json::json!({ "error": message, "exit_code": code, "hints": hints });
    if verbose {
        let causes: Vec<String> = err.chain().skip(1).map(|c| c.to_string()).collect();
        out["causes"] = serde_json::json!(causes);
    }
    output::safe::to_stderr(&out.to_string());
}

/// An error's message and its hints, kept apart by the error itself.
fn parts(err: &anyhow::Error) -> (String, Vec<&str>) {
    match err.downcast_ref::<error::Error>() {
        Some(e) => (e.message(), e.hints()),
        None => (err.to_string(), Vec::new()),
    }
}
