//! `roster set-token`: generate, set or clear a user's static API token.

use crate::cli::{DryRun, Format};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::token;
use clap::{ArgGroup, Args};
use serde::Serialize;
use std::io::BufRead;
use zeroize::Zeroizing;

/// Generate, set or clear a user's static API token
///
/// By default a new token with over 256 bits from the operating system's random
/// source is generated and printed once; --stdin sets a given one instead (32 to 255
/// printable characters, no whitespace), and --clear removes it.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("how").multiple(false)))]
pub struct SetTokenArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    /// Read the token from the first line of standard input instead of generating one
    #[arg(long, group = "how")]
    pub stdin: bool,
    /// Remove the user's token
    #[arg(long, group = "how")]
    pub clear: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

#[derive(Serialize)]
struct Outcome<'a> {
    id: &'a str,
    email: &'a str,
    action: &'static str,
    dry_run: bool,
    token: Option<&'a str>,
}

pub fn run(ctx: &Context, args: &SetTokenArgs) -> Result<()> {
    let (token, action) = if args.clear {
        (None, "cleared")
    } else if args.stdin {
        (Some(read_stdin()?), "set")
    } else {
        (Some(token::generate()), "generated")
    };
    if let Some(t) = &token {
        token::validate(t)?;
    }
    let mut repo = ctx.open()?;
    let opts = ctx.write_opts(repo.as_mut(), args.dry_run.dry_run, false)?;
    let user = repo.set_token(&args.user, token.as_deref().map(|t| t.as_str()), &opts)?;
    let shown = token
        .as_deref()
        .filter(|_| action == "generated" && !opts.dry_run)
        .map(|t| t.as_str());
    let msg = format!("{action} the static token of {}", user.email);
    ctx.out.note(if opts.dry_run {
        format!("dry run: would have {msg}; nothing was changed")
    } else {
        msg
    });
    if ctx.format() == Format::Json {
        let out = Outcome {
            id: &user.id,
            email: &user.email,
            action,
            dry_run: opts.dry_run,
            token: shown,
        };
        return ctx.out.json(&out);
    }
    if let Some(t) = shown {
        ctx.out.note("token (shown once):");
        println!("{t}");
    }
    Ok(())
}

fn read_stdin() -> Result<Zeroizing<String>> {
    let mut line = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::usage(format!("cannot read the token from standard input: {e}")))?;
    let trimmed = line.trim_end_matches(['\n', '\r']).to_string();
    Ok(Zeroizing::new(trimmed))
}
