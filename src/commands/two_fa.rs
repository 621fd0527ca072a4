//! `roster 2fa`: enrol a user in two-factor authentication as Directus does, or disable it.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::Result;
use crate::flows::two_fa::{self as flow, Enrolment};
use crate::output;
use clap::{Args, Subcommand};

/// Enrol a user in two-factor authentication (TOTP), or disable it
#[derive(Debug, Args)]
pub struct TwoFaArgs {
    #[command(subcommand)]
    pub command: TwoFaCommand,
}

/// What to do with a user's second factor.
#[derive(Debug, Subcommand)]
pub enum TwoFaCommand {
    /// Generate a TOTP secret as Directus does and print its otpauth URI once
    ///
    /// The URI (and, at a terminal, a QR code) goes into an authenticator app;
    /// Directus then asks for its 6-digit codes at login.
    Enroll(TfaUser),
    /// Remove the user's TOTP secret, so they log in with the password alone
    Disable(TfaUser),
}

/// The user a `2fa` command works on.
#[derive(Debug, Args)]
pub struct TfaUser {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &TwoFaArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let run = ctx.run();
    match &args.command {
        TwoFaCommand::Enroll(a) => {
            let dry_run = a.dry_run.dry_run;
            if !dry_run {
                output::secret_can_be_shown()?;
            }
            let show = |e: &Enrolment| ctx.out.tfa_enrolling(e, dry_run);
            let done = flow::enroll(&run, repo.as_mut(), &a.user, dry_run, show)?;
            // Said once the secret is stored: a failed commit must not be reported as done.
            if !dry_run {
                ctx.out.tfa_enrolled(&done.user);
            }
            Ok(())
        }
        TwoFaCommand::Disable(a) => {
            let dry_run = a.dry_run.dry_run;
            let (action, user) = flow::disable(&run, repo.as_mut(), &a.user, dry_run)?;
            ctx.out.tfa_disabled(action, &user, dry_run)
        }
    }
}
