//! `roster 2fa`: enrol a user in two-factor authentication as Directus does, or disable it.

use crate::cli::{DryRun, Format};
use crate::config::encode;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::repo::{Changed, Repo, User};
use clap::{Args, Subcommand};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::Serialize;
use std::io::IsTerminal;

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

#[derive(Serialize)]
struct Outcome<'a> {
    id: &'a str,
    email: &'a str,
    action: &'static str,
    dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    otpauth_url: Option<&'a str>,
}

pub fn run(ctx: &Context, args: &TwoFaArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    match &args.command {
        TwoFaCommand::Enroll(a) => enroll(ctx, repo.as_mut(), a),
        TwoFaCommand::Disable(a) => disable(ctx, repo.as_mut(), a),
    }
}

fn enroll(ctx: &Context, repo: &mut dyn Repo, a: &TfaUser) -> Result<()> {
    let dry_run = a.dry_run.dry_run;
    if !dry_run {
        output::secret_can_be_shown()?;
    }
    let user = repo
        .find_user(&a.user)?
        .ok_or_else(|| Error::not_found(format!("no user {}", a.user.trim())))?;
    let project = repo
        .settings()?
        .project_name
        .unwrap_or_else(|| "Directus".into());
    let secret = new_secret();
    let uri = otpauth_uri(&project, &user.email, &secret);
    let opts = ctx.write_opts(repo, dry_run, false)?;
    ctx.commit_after(
        repo,
        dry_run,
        |r| r.set_tfa_secret(&user.id, Some(&secret), &opts),
        |_| show_enrolled(ctx, &user, &uri, dry_run),
    )?;
    // Said once the secret is stored: a failed commit must not be reported as done.
    if !dry_run {
        ctx.out.note(format!(
            "enrolled {} in two-factor authentication",
            user.email
        ));
    }
    Ok(())
}

/// Ten random bytes as sixteen base32 characters, as Directus (otplib) makes them.
fn new_secret() -> String {
    let mut bytes = [0u8; 10];
    OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// The URI Directus's app shows for the same secret.
pub fn otpauth_uri(project: &str, email: &str, secret: &str) -> String {
    let (p, e) = (encode(project), encode(email));
    format!("otpauth://totp/{p}:{e}?secret={secret}&period=30&digits=6&algorithm=SHA1&issuer={p}")
}

fn show_enrolled(ctx: &Context, user: &User, uri: &str, dry_run: bool) -> Result<()> {
    if dry_run {
        ctx.out.note(format!(
            "dry run: would have enrolled {} in two-factor authentication; nothing was changed",
            user.email
        ));
        return json(ctx, user, "enrolled", None, dry_run);
    }
    if ctx.format() == Format::Json {
        return json(ctx, user, "enrolled", Some(uri), dry_run);
    }
    if !ctx.global.quiet && std::io::stderr().is_terminal() {
        crate::output::safe::to_stderr(&qr(uri).to_string());
    }
    ctx.out
        .note("otpauth URI for an authenticator app (shown once):");
    output::secret(uri)
}

/// The URI as a QR code of Unicode half blocks, for a terminal.
fn qr(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::unicode::Dense1x2>()
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

fn disable(ctx: &Context, repo: &mut dyn Repo, a: &TfaUser) -> Result<()> {
    let dry_run = a.dry_run.dry_run;
    let opts = ctx.write_opts(repo, dry_run, false)?;
    let (action, user) = match repo.set_tfa_secret(&a.user, None, &opts)? {
        Changed::Done { user, .. } => ("disabled", user),
        Changed::AlreadyThere(user) => ("unchanged", user),
    };
    ctx.out.note(match (action, dry_run) {
        ("unchanged", _) => format!(
            "{} has no two-factor authentication; nothing to do",
            user.email
        ),
        (_, true) => format!(
            "dry run: would have disabled two-factor authentication for {}; nothing was changed",
            user.email
        ),
        _ => format!("disabled two-factor authentication for {}", user.email),
    });
    json(ctx, &user, action, None, dry_run)
}

fn json(
    ctx: &Context,
    user: &User,
    action: &'static str,
    uri: Option<&str>,
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
        otpauth_url: uri,
    };
    ctx.out.json(&out)
}
