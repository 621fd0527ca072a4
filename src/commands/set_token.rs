//! `roster set-token`: generate, set or clear a user's static API token.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::Result;
use crate::flows::Interaction;
use crate::flows::token::{self as flow, TokenAction, TokenOutcome};
use crate::repo::User;
use crate::{output, token};
use clap::{ArgGroup, Args};
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

pub fn run(ctx: &Context, args: &SetTokenArgs) -> Result<()> {
    let (token, action) = wanted(ctx, args)?;
    if let Some(t) = &token {
        token::validate(t)?;
    }
    let dry_run = args.dry_run.dry_run;
    if action == TokenAction::Generated && !dry_run {
        output::secret_can_be_shown()?;
    }
    let mut repo = ctx.open()?;
    let value = token.as_deref().map(|t| t.as_str());
    let report = |done: TokenAction, user: &User, sessions_ended: u64| {
        ctx.out.token(&TokenOutcome {
            user,
            action: done,
            shown: value.filter(|_| done == TokenAction::Generated && !dry_run),
            dry_run,
            sessions_ended,
        })
    };
    flow::write(
        &ctx.run(),
        repo.as_mut(),
        &args.user,
        (value, action),
        dry_run,
        report,
    )
    .map(|_| ())
}

/// The token the flags ask for (`None`: cleared), and what setting it is called.
fn wanted(ctx: &Context, args: &SetTokenArgs) -> Result<(Option<Zeroizing<String>>, TokenAction)> {
    if args.clear {
        return Ok((None, TokenAction::Cleared));
    }
    if args.stdin {
        let given = ctx.terminal.read_secret("Token", "the token")?;
        return Ok((Some(Zeroizing::new(given)), TokenAction::Set));
    }
    Ok((Some(token::generate()), TokenAction::Generated))
}
