//! `roster invite`: a user who has been invited and has no password yet.

use super::create;
use crate::cli::{DryRun, ProfileArgs};
use crate::context::Context;
use crate::email;
use crate::error::Result;
use crate::repo::NewUser;
use crate::status::Status;
use clap::Args;

/// Invite a user without a password (or revive a soft-deleted one with that email)
#[derive(Debug, Args)]
pub struct InviteArgs {
    /// Email address (stored lower-case; compared case-insensitively)
    pub email: String,
    /// Role, by name (any case) or id; asked at a terminal when missing
    #[arg(short, long)]
    pub role: Option<String>,
    /// Exit 0, changing nothing, when a user who is not soft-deleted has this email
    #[arg(long)]
    pub if_not_exists: bool,
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &InviteArgs) -> Result<()> {
    let email = email::normalize(&args.email)?;
    let profile = create::profile_of(&args.profile)?;
    let mut repo = ctx.open()?;
    repo.schema()?.check_profile(&profile)?;
    let Some(role) = create::prepare(
        ctx,
        repo.as_mut(),
        &email,
        args.role.as_deref(),
        args.if_not_exists,
    )?
    else {
        return Ok(());
    };
    let new = NewUser {
        email,
        profile,
        role,
        status: Status::Invited,
        password_hash: None,
        if_not_exists: args.if_not_exists,
    };
    create::write(ctx, repo.as_mut(), &new, None, args.dry_run.dry_run)
}
