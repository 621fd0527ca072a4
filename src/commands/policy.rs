//! `roster policy`: the password policy in force, and checking a password against it.

use crate::context::Context;
use crate::error::{Error, Result};
use clap::{Args, Subcommand};
use std::io::BufRead;
use zeroize::Zeroizing;

/// Show the password policy, or check a password against it
#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

/// What to do with the policy.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Show the policy in force, where it comes from, and the login attempts allowed
    Show,
    /// Check a password against the policy (exit 5 when it is refused)
    ///
    /// The password is asked for at a terminal, else read from the first line of standard input.
    Check,
}

pub fn run(ctx: &Context, args: &PolicyArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let policy = ctx.policy(repo.as_mut())?;
    match args.command {
        PolicyCommand::Check => {
            let password = read_password(ctx)?;
            policy.check(&password)?;
            ctx.out.password_meets_policy(&policy)
        }
        PolicyCommand::Show => {
            let login_attempts = repo.settings()?.login_attempts;
            ctx.out.policy(&policy, login_attempts)
        }
    }
}

/// The password to check: asked (hidden) at a terminal, else the first line of stdin.
fn read_password(ctx: &Context) -> Result<Zeroizing<String>> {
    if ctx.interactive {
        return crate::terminal::hidden("Password to check").map(Zeroizing::new);
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::usage(format!("cannot read standard input: {e}")))?;
    Ok(Zeroizing::new(
        line.trim_end_matches(['\n', '\r']).to_string(),
    ))
}
