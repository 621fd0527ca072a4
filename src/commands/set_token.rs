//! `roster set-token`: generate, set or clear a user's static API token.

use crate::cli::{DryRun, Format};
use crate::context::Context;
use crate::error::Result;
use crate::repo::User;
use crate::{output, password, token};
use clap::{ArgGroup, Args};
use serde::Serialize;
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
    if action == "generated" && !args.dry_run.dry_run {
        output::secret_can_be_shown()?;
    }
    let mut repo = ctx.open()?;
    let dry_run = args.dry_run.dry_run;
    if args.clear {
        if let Some(user) = repo.find_user(&args.user)?.filter(|u| !u.has_token) {
            // Clearing what is not there is the idempotent no-op scripts rely on.
            ctx.out
                .note(format!("{} has no static token; nothing to do", user.email));
            return show_json(ctx, &user, "unchanged", None, dry_run);
        }
    }
    let opts = ctx.write_opts(repo.as_mut(), dry_run, false)?;
    let value = token.as_deref().map(|t| t.as_str());
    let shown = value.filter(|_| action == "generated" && !dry_run);
    ctx.commit_after(
        repo.as_mut(),
        dry_run,
        |r| r.set_token(&args.user, value, &opts),
        |user| show(ctx, user, action, shown, dry_run),
    )
    .map(|_| ())
}

/// Reports the change; a generated token is printed (before it is committed).
fn show(
    ctx: &Context,
    user: &User,
    action: &'static str,
    shown: Option<&str>,
    dry_run: bool,
) -> Result<()> {
    let msg = format!("{action} the static token of {}", user.email);
    ctx.out.note(match dry_run {
        true => format!("dry run: would have {msg}; nothing was changed"),
        false => msg,
    });
    if ctx.format() == Format::Json {
        return show_json(ctx, user, action, shown, dry_run);
    }
    if let Some(t) = shown {
        ctx.out.note("token (shown once):");
        output::secret(t)?;
    }
    Ok(())
}

fn read_stdin() -> Result<Zeroizing<String>> {
    password::read_stdin_hidden("Token", "the token").map(Zeroizing::new)
}

fn show_json(
    ctx: &Context,
    user: &User,
    action: &'static str,
    token: Option<&str>,
    dry_run: bool,
) -> Result<()> {
    if ctx.format() != Format::Json {
        return Ok(());
    }
    let out = Outcome {
        id: &user.id,
        email: &user.email,
        action,
        dry_run,
        token,
    };
    ctx.out.json(&out)
}
