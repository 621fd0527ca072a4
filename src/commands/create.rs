//! `roster create`: an active (or draft) user with a password, or the revival
//! of a soft-deleted user with the same email.

use super::roles;
use crate::cli::{DryRun, Format, PasswordArgs, ProfileArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::password::{self, Chosen};
use crate::repo::{Created, NewUser, Repo, User};
use crate::status::Status;
use crate::{email, output, profile::Profile};
use clap::{Args, ValueEnum};
use serde::Serialize;

/// Create a user who can log in (or revive a soft-deleted one with that email)
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Email address (stored lower-case; compared case-insensitively)
    pub email: String,
    /// Role, by name (any case) or id; asked at a terminal when missing
    #[arg(short, long)]
    pub role: Option<String>,
    /// Status of the new user (a draft user cannot log in)
    #[arg(long, value_enum, default_value_t = NewStatus::Active)]
    pub status: NewStatus,
    /// Exit 0, changing nothing, when a user who is not soft-deleted has this email
    #[arg(long)]
    pub if_not_exists: bool,
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub dry_run: DryRun,
}

/// The statuses `create` can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewStatus {
    Active,
    Draft,
}

pub fn run(ctx: &Context, args: &CreateArgs) -> Result<()> {
    let email = email::normalize(&args.email)?;
    let profile = profile_of(&args.profile)?;
    let mut repo = ctx.open()?;
    repo.schema()?.check_profile(&profile)?;
    let policy = ctx.policy(repo.as_mut())?;
    let sources = args.password.sources();
    let allow_weak = args.password.allow_weak_password;
    let mut chosen = password::choose(&sources, false, &policy, allow_weak)?;
    if chosen.is_none() && !ctx.interactive {
        return Err(password::missing());
    }
    let Some(role) = prepare(
        ctx,
        repo.as_mut(),
        &email,
        args.role.as_deref(),
        args.if_not_exists,
    )?
    else {
        return Ok(());
    };
    if chosen.is_none() {
        chosen = password::choose(&sources, true, &policy, allow_weak)?;
    }
    let chosen = chosen.ok_or_else(password::missing)?;
    let status = match args.status {
        NewStatus::Draft => Status::Draft,
        NewStatus::Active => Status::Active,
    };
    let new = NewUser {
        email,
        profile,
        role,
        status,
        // Hashed only now, when a row will be written: it is the costly step.
        password_hash: Some(chosen.hash()?),
        if_not_exists: args.if_not_exists,
    };
    let dry_run = args.dry_run.dry_run;
    let opts = ctx.write_opts(repo.as_mut(), dry_run, false)?;
    ctx.commit_after(
        repo.as_mut(),
        dry_run,
        |r| r.create_user(&new, &opts),
        |created| report(ctx, created, Some(&chosen), dry_run),
    )
    .map(|_| ())
}

/// Validates the profile flags.
pub fn profile_of(p: &ProfileArgs) -> Result<Profile> {
    Profile {
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        title: p.title.clone(),
        company: p.company.clone(),
        timezone: p.timezone.clone(),
        language: p.language.clone(),
        appearance: p.theme.clone(),
        email_notifications: p.email_notifications,
    }
    .validated()
}

/// The database checks of create and invite, in the documented order: an existing
/// user (4, or a quiet 0 with --if-not-exists, whatever role is named), the role
/// named (3), then a role for a new row (asked at a terminal, else 2).
/// `None` means: nothing to do.
pub fn prepare(
    ctx: &Context,
    repo: &mut dyn Repo,
    email: &str,
    role: Option<&str>,
    if_not_exists: bool,
) -> Result<Option<Option<String>>> {
    let existing = repo.find_user(email)?;
    if let Some(user) = existing.as_ref().filter(|u| u.status() != Status::Deleted) {
        if !if_not_exists {
            return Err(Error::conflict(exists_message(user)));
        }
        report(ctx, &Created::Existing(user.clone()), None, false)?;
        return Ok(None);
    }
    let role = match role {
        Some(r) => Some(roles::resolve(repo, r)?.id),
        None if existing.is_none() => Some(roles::choose(ctx, repo)?.id),
        None => None,
    };
    Ok(Some(role))
}

fn exists_message(user: &User) -> String {
    format!(
        "a user with email {} already exists (status {})",
        user.email, user.status
    )
}

/// The JSON printed by create and invite.
#[derive(Serialize)]
struct Outcome<'a> {
    result: &'static str,
    dry_run: bool,
    user: crate::output::UserView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
}

/// Says what create or invite did; a generated password goes to stdout once.
pub fn report(
    ctx: &Context,
    created: &Created,
    chosen: Option<&Chosen>,
    dry_run: bool,
) -> Result<()> {
    let user: &User = created.user();
    let (result, said) = match created {
        Created::Inserted(_) => (
            "created",
            format!("created {} user {} ({})", user.status, user.email, user.id),
        ),
        Created::Revived(_) => (
            "restored",
            format!(
                "restored soft-deleted user {} ({}) as {}, keeping its earlier details",
                user.email, user.id, user.status
            ),
        ),
        Created::Existing(_) => (
            "exists",
            format!("{}; nothing changed", exists_message(user)),
        ),
    };
    let generated = chosen
        .filter(|c| c.generated && result != "exists")
        .map(|c| c.secret.as_str());
    if dry_run && result != "exists" {
        ctx.out
            .note(format!("dry run: would have {said}; nothing was changed"));
    } else {
        ctx.out.note(said);
    }
    let generated = generated.filter(|_| !dry_run);
    if ctx.format() == Format::Json {
        let out = Outcome {
            result,
            dry_run,
            user: user.into(),
            password: generated,
        };
        return ctx.out.json(&out);
    }
    if let Some(pw) = generated {
        ctx.out.note("generated password (shown once):");
        output::line(pw)?;
    }
    Ok(())
}
