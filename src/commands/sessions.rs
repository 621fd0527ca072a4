//! `roster sessions`: see where users are logged in, and log them out everywhere.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::Result;
use clap::{Args, Subcommand};

/// List users' Directus sessions, or end them
#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(subcommand)]
    pub command: SessionsCommand,
}

/// What to do with sessions.
#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// List the sessions of one user or of all (never their tokens)
    List(ListSessionsArgs),
    /// Log users out everywhere: delete their sessions, leaving passwords as they are
    Revoke(RevokeArgs),
}

/// Arguments of `sessions list`.
#[derive(Debug, Args)]
pub struct ListSessionsArgs {
    /// Only this user's sessions (email or id)
    #[arg(value_name = "USER")]
    pub user: Option<String>,
}

/// Arguments of `sessions revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// Users, by email or id
    #[arg(required = true, value_name = "USER")]
    pub users: Vec<String>,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &SessionsArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    match &args.command {
        SessionsCommand::List(a) => ctx.out.sessions(&repo.list_sessions(a.user.as_deref())?),
        SessionsCommand::Revoke(a) => {
            let opts = ctx.write_opts(repo.as_mut(), a.dry_run.dry_run, false)?;
            let keys: Vec<&str> = a.users.iter().map(String::as_str).collect();
            let ended = repo.revoke_sessions(&keys, &opts)?;
            ctx.out.revoked(&ended, opts.dry_run)
        }
    }
}
