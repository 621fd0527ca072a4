//! `roster create`: an active (or draft) user with a password, or the revival
//! of a soft-deleted user with the same email.

use super::{roles, set_password};
use crate::cli::{DryRun, Format, PasswordArgs, ProfileArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::iso_time;
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
    /// Status of the new user (a draft user has no password and cannot log in until activated)
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
    // A draft user is still being created and has no password (spec §2).
    let draft = args.status == NewStatus::Draft;
    if draft && args.password.sources().any() {
        return Err(Error::usage(
            "a draft user has no password: leave out the password flags (roster activate sets one)",
        ));
    }
    if args.password.random_password && !args.dry_run.dry_run {
        output::secret_can_be_shown()?;
    }
    let mut repo = ctx.open()?;
    repo.schema()?.check_profile(&profile)?;
    // A password named by a flag is a value: checked before the database is asked.
    let given = set_password::given(ctx, repo.as_mut(), &args.password)?;
    if given.is_none() && !ctx.interactive && !draft {
        return Err(password::missing());
    }
    let role = args.role.as_deref();
    let none = Shown::default();
    let Some(role) = prepare(ctx, repo.as_mut(), &email, role, args.if_not_exists, none)? else {
        return Ok(());
    };
    let chosen = match draft {
        true => None,
        false => Some(set_password::or_prompt(
            ctx,
            repo.as_mut(),
            &args.password,
            given,
        )?),
    };
    let new = NewUser {
        email,
        profile,
        role,
        status: if draft { Status::Draft } else { Status::Active },
        // Hashed only now, when a row will be written: it is the costly step.
        password_hash: chosen.as_ref().map(Chosen::hash).transpose()?,
        if_not_exists: args.if_not_exists,
    };
    let shown = Shown {
        password: chosen.as_ref(),
        link: None,
    };
    write(ctx, repo.as_mut(), &new, shown, args.dry_run.dry_run)
}

/// Creates (or revives) the user and reports it; a generated password is shown
/// before the change is committed.
pub fn write(
    ctx: &Context,
    repo: &mut dyn Repo,
    new: &NewUser,
    shown: Shown,
    dry_run: bool,
) -> Result<()> {
    let opts = ctx.write_opts(repo, dry_run, false)?;
    ctx.commit_after(
        repo,
        dry_run,
        |r| r.create_user(new, &opts),
        |created| report(ctx, created, shown, dry_run),
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
        email_notifications: p
            .email_notifications
            .as_deref()
            .map(yes_or_no)
            .transpose()?,
    }
    .validated()
}

/// A boolean field value; anything else is a bad field value (exit 5, not clap's 2).
fn yes_or_no(raw: &str) -> Result<bool> {
    match raw.trim().to_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(Error::validation(format!(
            "email notifications {raw:?} must be true or false"
        ))),
    }
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
    shown: Shown,
) -> Result<Option<Option<String>>> {
    let existing = repo.find_user(email)?;
    if let Some(user) = existing.as_ref().filter(|u| u.status() != Status::Deleted) {
        if !if_not_exists {
            return Err(Error::conflict(exists_message(user)));
        }
        report(ctx, &Created::Existing(user.clone()), shown, false)?;
        return Ok(None);
    }
    // A revived row keeps its role, unless that role was deleted since: every
    // user has exactly one.
    let needs_role = existing.as_ref().is_none_or(|u| u.role.is_none());
    let role = match role {
        Some(r) => Some(roles::resolve(repo, r)?.id),
        None if needs_role => Some(roles::choose(ctx, repo)?.id),
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

/// What a create or invite shows once: a generated password, an invite link
/// (with its expiry, epoch seconds).
#[derive(Default, Clone, Copy)]
pub struct Shown<'a> {
    pub password: Option<&'a Chosen>,
    pub link: Option<(&'a str, u64)>,
}

/// The JSON printed by create and invite.
#[derive(Serialize)]
struct Outcome<'a> {
    result: &'static str,
    dry_run: bool,
    user: crate::output::UserView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_expires: Option<String>,
}

/// The JSON result word and the sentence for the operator.
fn describe(created: &Created) -> (&'static str, String) {
    let user = created.user();
    match created {
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
    }
}

/// Says what create or invite did; a generated password or an invite link goes
/// to stdout once.
pub fn report(ctx: &Context, created: &Created, shown: Shown, dry_run: bool) -> Result<()> {
    let user: &User = created.user();
    let (result, said) = describe(created);
    let wrote = result != "exists";
    ctx.out.note(match dry_run && wrote {
        true => format!("dry run: would have {said}; nothing was changed"),
        false => said,
    });
    let password = shown
        .password
        .filter(|c| c.generated && wrote && !dry_run)
        .map(|c| c.secret.as_str());
    // A link works only while the user is invited (Directus checks at acceptance).
    let link = shown
        .link
        .filter(|_| !dry_run && user.status() == Status::Invited);
    if shown.link.is_some() && link.is_none() && !dry_run {
        ctx.out.note(format!(
            "no invite link: {} is {}, and Directus accepts invitations only for invited users",
            user.email, user.status
        ));
    }
    if ctx.format() == Format::Json {
        let (link, expires) = (link.map(|l| l.0), link.map(|l| iso_time(l.1 as i64 * 1000)));
        let out = Outcome {
            result,
            dry_run,
            user: user.into(),
            password,
            link,
            link_expires: expires,
        };
        return ctx.out.json(&out);
    }
    if let Some(pw) = password {
        ctx.out.note("generated password (shown once):");
        output::secret(pw)?;
    }
    if let Some((url, exp)) = link {
        ctx.out.note(format!(
            "invite link (valid until {}):",
            iso_time(exp as i64 * 1000)
        ));
        output::secret(url)?;
    }
    Ok(())
}
