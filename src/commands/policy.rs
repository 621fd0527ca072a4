//! `roster policy`: the password policy in force, and checking a password against it.

use crate::cli::Format;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::policy::Source;
use clap::{Args, Subcommand};
use serde::Serialize;
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

#[derive(Serialize)]
struct Shown {
    source: String,
    requirements: Vec<String>,
    regex: Option<String>,
    login_attempts: Option<i64>,
}

pub fn run(ctx: &Context, args: &PolicyArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let policy = ctx.policy(repo.as_mut())?;
    match args.command {
        PolicyCommand::Check => {
            let password = read_password(ctx)?;
            policy.check(&password)?;
            ctx.out.note("the password meets the policy");
            Ok(())
        }
        PolicyCommand::Show => {
            let shown = Shown {
                source: match &policy.source {
                    Source::Config(path) => format!("config file {path}"),
                    Source::Database => "directus_settings.auth_password_policy".to_string(),
                    Source::None => "none (any non-empty password)".to_string(),
                },
                requirements: policy.requirements(),
                regex: policy.rules.regex.clone(),
                login_attempts: repo.settings()?.login_attempts,
            };
            if ctx.format() == Format::Json {
                return ctx.out.json(&shown);
            }
            output::line(format!("source:         {}", shown.source))?;
            output::line(format!("requires:       {}", shown.requirements.join(", ")))?;
            if let Some(re) = &shown.regex {
                output::line(format!("regex:          {re}"))?;
            }
            let attempts = shown
                .login_attempts
                .map_or("unlimited".to_string(), |n| n.to_string());
            output::line(format!("login attempts: {attempts}"))
        }
    }
}

/// The password to check: asked (hidden) at a terminal, else the first line of stdin.
fn read_password(ctx: &Context) -> Result<Zeroizing<String>> {
    if ctx.interactive {
        let pw = dialoguer::Password::new()
            .with_prompt("Password to check")
            .allow_empty_password(true)
            .interact()
            .map_err(|_| Error::Interrupted)?;
        return Ok(Zeroizing::new(pw));
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
