//! roster: administer the user accounts of a Directus database directly over SQL.

pub mod cli;
pub mod commands;
pub mod complete;
pub mod config;
pub mod context;
pub mod custom;
pub mod email;
pub mod error;
pub mod failpoint;
pub mod fields;
pub mod flows;
pub mod help;
pub mod input;
pub mod interrupt;
pub mod invitation;
pub mod mail;
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

use std::process::ExitCode;
use std::sync::OnceLock;

/// How errors are reported in this run: (under `--format json`, under `-v`).
static REPORTING: OnceLock<(bool, bool)> = OnceLock::new();

/// Runs roster with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    complete::answer_if_asked();
    use clap::FromArgMatches;
    // The bare tree parses: the examples and completers of the full one are
    // text and hooks a run does not need (spec §9, P1), and only help shows.
    let parsed = cli::parser()
        .try_get_matches()
        .and_then(|m| Ok((cli::Cli::from_arg_matches(&m)?, m)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp
                    | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            return usage_error(cli::command().try_get_matches().err().unwrap_or(e));
        }
        Err(e) => return usage_error(e),
    };
    let verbose = cli.global.verbose;
    let json = cli.global.format == cli::Format::Json;
    let _ = REPORTING.set((json, verbose));
    error::on_fatal(end_now);
    let name = matches.subcommand_name().unwrap_or_default();
    match commands::run(cli, name) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away: stop quietly, as `cat` and `ls` do.
        Err(error::Error::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(report_error(e)),
    }
}

/// A command line clap refused: help and version as clap prints them; under
/// `--format json` a usage error is the JSON object every other error is.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let asked_json = {
        // args_os: an argument that is not UTF-8 is refused by clap, not a panic here.
        let args: Vec<String> = std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        args.windows(2)
            .any(|w| w[0] == "--format" && w[1] == "json")
            || args.iter().any(|a| a == "--format=json")
    };
    if !asked_json || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit()
    }
    let text = e.render().to_string();
    // clap's message is its first paragraph ("…not provided:" and the list).
    let (first, rest) = text.split_once("\n\n").unwrap_or((&text, ""));
    let message: Vec<&str> = first.lines().map(str::trim).collect();
    let message = message.join(" ");
    let message = message.trim_start_matches("error: ");
    let hints: Vec<&str> = rest
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("Usage:") || l.starts_with("tip:"))
        .collect();
    let out = serde_json::json!({ "error": message, "exit_code": 2, "hints": hints });
    output::safe::to_stderr(&out.to_string());
    ExitCode::from(2)
}

/// Reports an error as this run reports errors, and returns its exit code.
fn report_error(e: error::Error) -> u8 {
    let (json, verbose) = REPORTING.get().copied().unwrap_or_default();
    let err = anyhow::Error::from(e);
    let code = error::exit_code_of(&err);
    match json {
        true => report_json(&err, code, verbose),
        false => report(&err, verbose),
    }
    code
}

/// Ends the run from another thread (a watchdog): the terminal given back,
/// the error reported, the process ended with its code.
fn end_now(e: error::Error) -> ! {
    interrupt::restore_terminal();
    std::process::exit(i32::from(report_error(e)))
}

/// One `error:` line (hints on their own lines), the cause chain under `-v`.
fn report(err: &anyhow::Error, verbose: bool) {
    use output::safe::{one_line, to_stderr};
    let (said, hints) = parts(err);
    let mut text = format!("error: {}", one_line(&said));
    for hint in hints {
        text.push_str("\nhint: ");
        text.push_str(&one_line(hint));
    }
    to_stderr(&text);
    if verbose {
        for cause in err.chain().skip(1) {
            to_stderr(&format!("caused by: {}", one_line(&cause.to_string())));
        }
    }
}

/// Under `--format json`, one JSON object on stderr instead of the `error:` line:
/// `{"error": …, "exit_code": N, "hints": […]}`, with `line` (or `row`) and
/// `field` where the message names them, and `causes` under `-v`.
fn report_json(err: &anyhow::Error, code: u8, verbose: bool) {
    let (message, hints) = parts(err);
    let at = output::located(&message);
    let mut out = serde_json::json!({ "error": message, "exit_code": code, "hints": hints });
    for (key, value) in [("line", at.line), ("row", at.row)] {
        if let Some(n) = value {
            out[key] = serde_json::json!(n);
        }
    }
    if let Some(field) = at.field {
        out["field"] = serde_json::json!(field);
    }
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
