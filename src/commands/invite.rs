//! `roster invite`: a user who has been invited and has no password yet, with an
//! optional link the Directus app accepts to set one.

use crate::cli::{DryRun, ProfileArgs};
use crate::context::Context;
use crate::error::Result;
use crate::flows::create::{self, Plan, Shown};
use crate::invitation::{Given, LinkSettings};
use crate::mail::{self, Mailer};
use crate::repo::{Created, NewUser};
use crate::status::Status;
use crate::{email, output};
use clap::Args;
use std::path::PathBuf;

/// Invite a user without a password (or revive a soft-deleted one with that email)
///
/// With --link, roster also prints a link the person opens in the Directus app to
/// choose a password: a token signed with the project's SECRET, as Directus signs
/// its own invitations, valid once and only while the user is invited. SECRET,
/// PUBLIC_URL and USER_INVITE_TOKEN_TTL come from --env-file or the flags below.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("linking").args(["link", "send"]).multiple(true)))]
pub struct InviteArgs {
    /// Email address (stored lower-case; compared case-insensitively)
    pub email: String,
    /// Role, by name (any case) or id; asked at a terminal when missing
    #[arg(short, long)]
    pub role: Option<String>,
    /// Exit 0, changing nothing, when a user who is not soft-deleted has this email
    /// (an invited one is always a no-op)
    #[arg(long)]
    pub if_not_exists: bool,
    /// Print a Directus invite link for the user, shown once (for a user already
    /// invited, a new one: the earlier link stays valid until it expires)
    #[arg(long, visible_alias = "resend-link")]
    pub link: bool,
    /// Mail the link to the user, as Directus mails invitations, through the
    /// project's mail settings (EMAIL_* in --env-file), once the user is stored
    #[arg(long)]
    pub send: bool,
    /// Directus's public URL for the link [default: PUBLIC_URL from --env-file]
    #[arg(long, value_name = "URL", requires = "linking")]
    pub public_url: Option<String>,
    /// How long the link is valid, e.g. 7d, 24h, 3600 [default: USER_INVITE_TOKEN_TTL, else 7d]
    #[arg(long, value_name = "DURATION", requires = "linking")]
    pub invite_ttl: Option<String>,
    /// Read the project's SECRET from the first line of a file [default: SECRET from --env-file]
    #[arg(long, value_name = "PATH", requires = "linking")]
    pub secret_file: Option<PathBuf>,
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &InviteArgs) -> Result<()> {
    let email = email::normalize(&args.email)?;
    let profile = args.profile.profile()?;
    // The link is a value: its settings are checked before the database is opened.
    let link_settings = match args.link || args.send {
        true => Some(link_for(ctx, args, &email)?),
        false => None,
    };
    let link = link_settings.as_ref().map(|(_, link)| link.clone());
    if args.link && !args.dry_run.dry_run {
        output::secret_can_be_shown()?;
    }
    let shown = Shown {
        password: None,
        link: link
            .as_ref()
            .filter(|_| args.link)
            .map(|(l, exp)| (l.as_str(), *exp)),
    };
    let mut repo = ctx.open()?;
    let profile = args.profile.with_sets(profile)?;
    crate::custom::required_given(&profile)
        .map_err(|e| e.hint("give it with --set NAME=VALUE (doctor lists the custom fields)"))?;
    repo.schema()?.check_profile(&profile)?;
    // Mail settings are checked before anything is written.
    let project = match args.send {
        true => repo.settings()?.project_name,
        false => None,
    };
    let mailer = match args.send {
        true => Some(Mailer::for_project(
            ctx.global.env_file.as_deref(),
            project.as_deref(),
        )?),
        false => None,
    };
    let project = project.unwrap_or_else(|| "Directus".into());
    if let Some((settings, _)) = &link_settings {
        settings.check_secret_for(repo.as_mut())?;
    }
    let role = args.role.as_deref();
    let invited = Some(Status::Invited);
    let plan = create::prepare(
        &ctx.run(),
        repo.as_mut(),
        &email,
        role,
        args.if_not_exists,
        invited,
    )?;
    let role = match plan {
        Plan::Exists(user) => {
            let existing = Created::Existing(user);
            ctx.out.created_note(&existing, false);
            ctx.out.created(&existing, shown, false)?;
            return send(ctx, mailer, existing.user(), &project, link.as_ref());
        }
        Plan::Write(role) => role,
    };
    let new = NewUser {
        email,
        profile,
        role,
        status: Status::Invited,
        password_hash: None,
        if_not_exists: args.if_not_exists,
    };
    let dry_run = args.dry_run.dry_run;
    let created = create::write(&ctx.run(), repo.as_mut(), &new, (dry_run, false), |c| {
        ctx.out.created(c, shown, dry_run)
    })?;
    ctx.out.created_note(&created, dry_run);
    match dry_run {
        true => Ok(()),
        false => send(ctx, mailer, created.user(), &project, link.as_ref()),
    }
}

/// Mails the link to an invited user, after the commit; should it not go, the
/// link is printed so nothing is lost, and the exit code says so (7).
fn send(
    ctx: &Context,
    mailer: Option<Mailer>,
    user: &crate::repo::User,
    project: &str,
    link: Option<&(String, u64)>,
) -> Result<()> {
    let (Some(mailer), Some((link, _))) = (mailer, link) else {
        return Ok(());
    };
    if user.status() != Status::Invited {
        return Ok(());
    }
    match mailer.send(&mail::invitation(&user.email, project, link)) {
        Ok(()) => {
            ctx.out
                .note(format!("mailed the invitation to {}", user.email));
            Ok(())
        }
        Err(e) => {
            output::secret(link)?;
            Err(e.hint("the user is stored; the link above was not mailed: pass it on, or run invite --send again"))
        }
    }
}

/// The link settings, and the signed link for `email` with its expiry (epoch seconds).
fn link_for(
    ctx: &Context,
    args: &InviteArgs,
    email: &str,
) -> Result<(LinkSettings, (String, u64))> {
    let settings = LinkSettings::resolve(&Given {
        env_file: ctx.global.env_file.as_deref(),
        public_url: args.public_url.as_deref(),
        ttl: args.invite_ttl.as_deref(),
        secret_file: args.secret_file.as_deref(),
    })?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let link = settings.link(email, now);
    Ok((settings, link))
}
