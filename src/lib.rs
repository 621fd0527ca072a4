//! roster: administer the user accounts of a Directus database directly over SQL.

pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod email;
pub mod error;
pub mod fields;
pub mod flows;
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
pub mod token;

use clap::Parser;
use std::process::ExitCode;

/// Runs roster with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let verbose = cli.global.verbose;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let err = anyhow::Error::from(e);
            report(&err, verbose);
            ExitCode::from(error::exit_code_of(&err))
        }
    }
}

/// One `error:` line (hints on their own lines), the cause chain under `-v`.
fn report(err: &anyhow::Error, verbose: bool) {
    eprintln!("error: {err}");
    if verbose {
        for cause in err.chain().skip(1) {
            eprintln!("caused by: {cause}");
        }
    }
}
