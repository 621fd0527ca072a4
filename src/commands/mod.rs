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

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::Result;

/// Runs the chosen command.
pub fn run(cli: Cli) -> Result<()> {
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
        Command::TwoFa(a) => two_fa::run(&ctx, &a),
        Command::Completions(a) => completions::run(&a),
    }
}
