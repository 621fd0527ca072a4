//! One module per subcommand, each with its argument struct and `run`.

pub mod activate;
pub mod apply;
pub mod completions;
pub mod create;
pub mod doctor;
pub mod edit;
pub mod export;
pub mod forget;
pub mod import;
pub mod init;
pub mod invite;
pub mod list;
pub mod policy;
pub mod projects;
pub mod reset_link;
pub mod roles;
pub mod sessions;
pub mod set_password;
pub mod set_token;
pub mod show;
pub mod soft_delete;
pub mod suspend;
pub mod two_fa;
pub mod unsuspend;

use crate::cli::{Cli, Command, Format};
use crate::context::Context;
use crate::error::{Error, Result};

/// Every command prints `table` (its text for people) and `json`.
const TEXT: &[Format] = &[Format::Table, Format::Json];
/// Commands whose output is rows print them as CSV and plain lines too.
const ROWS: &[Format] = &[Format::Table, Format::Json, Format::Csv, Format::Plain];

/// The `--format`s a command prints; any other is refused before it runs.
fn formats(cmd: &Command) -> &'static [Format] {
    use Command as C;
    match cmd {
        C::List(_) | C::Show(_) | C::Import(_) | C::Roles(_) | C::Sessions(_) => ROWS,
        C::Projects(_) => ROWS,
        C::Activate(_) | C::Suspend(_) | C::Unsuspend(_) | C::SoftDelete(_) => ROWS,
        // A file format: a table is not one, and CSV is.
        C::Export(_) => &[Format::Table, Format::Json, Format::Csv],
        // A shell script, whatever is asked.
        C::Completions(_) => &[Format::Table],
        _ => TEXT,
    }
}

/// Refuses (exit 2) a `--format` the command does not print.
fn check_format(cli: &Cli, name: &str) -> Result<()> {
    let asked = cli.global.format;
    let can = formats(&cli.command);
    if can.contains(&asked) {
        return Ok(());
    }
    let names: Vec<&str> = can.iter().map(|f| f.name()).collect();
    Err(Error::usage(format!(
        "{name} does not print --format {}; it prints {}",
        asked.name(),
        crate::output::listed(&names, "or")
    )))
}

/// Runs the chosen command.
pub fn run(cli: Cli, name: &str) -> Result<()> {
    check_format(&cli, name)?;
    if let Command::Completions(args) = &cli.command {
        return completions::run(args);
    }
    let ctx = Context::new(cli.global)?;
    match cli.command {
        Command::Init(a) => init::run(&ctx, &a),
        Command::Create(a) => create::run(&ctx, &a),
        Command::Invite(a) => invite::run(&ctx, &a),
        Command::Activate(a) => activate::run(&ctx, &a),
        Command::Suspend(a) => suspend::run(&ctx, &a),
        Command::Unsuspend(a) => unsuspend::run(&ctx, &a),
        Command::SoftDelete(a) => soft_delete::run(&ctx, &a),
        Command::Edit(a) => edit::run(&ctx, &a),
        Command::SetPassword(a) => set_password::run(&ctx, &a),
        Command::SetToken(a) => set_token::run(&ctx, &a),
        Command::ResetLink(a) => reset_link::run(&ctx, &a),
        Command::List(a) => list::run(&ctx, &a),
        Command::Show(a) => show::run(&ctx, &a),
        Command::Export(a) => export::run(&ctx, &a),
        Command::Import(a) => import::run(&ctx, &a),
        Command::Apply(a) => apply::run(&ctx, &a),
        Command::Sessions(a) => sessions::run(&ctx, &a),
        Command::Forget(a) => forget::run(&ctx, &a),
        Command::Doctor(a) => doctor::run(&ctx, &a),
        Command::Roles(a) => roles::run(&ctx, &a),
        Command::Policy(a) => policy::run(&ctx, &a),
        Command::Projects(a) => projects::run(&ctx, &a),
        Command::TwoFa(a) => two_fa::run(&ctx, &a),
        Command::Completions(a) => completions::run(&a),
    }
}
