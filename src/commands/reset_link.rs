//! `roster reset-link`: a link the Directus app accepts to set a new password,
//! made as Directus's own "forgot password" makes it.

use crate::context::Context;
use crate::error::{Error, Result};
use crate::invitation::{Given, LinkSettings};
use crate::mail::{self, Mailer};
use crate::output;
use crate::status::Status;
use clap::Args;
use std::collections::HashSet;
use std::path::PathBuf;

/// Print a link an active user opens in the Directus app to choose a new password
///
/// The person opens it in the Directus app and chooses a new password; the
/// operator never learns it. Like Directus's own, the link is a token signed
/// with the project's SECRET, valid for a day and only once: setting the
/// password changes the hash it is bound to. Only an active user who logs in
/// with a password (provider default) can have one. SECRET and PUBLIC_URL come
/// from --env-file or the flags below.
#[derive(Debug, Args)]
pub struct ResetLinkArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    /// Directus's public URL for the link [default: PUBLIC_URL from --env-file]
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Read the project's SECRET from the first line of a file [default: SECRET from --env-file]
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// Open the link at this address instead of the Directus app's page (it must
    /// be in PASSWORD_RESET_URL_ALLOW_LIST, as Directus requires)
    #[arg(long, value_name = "URL")]
    pub reset_url: Option<String>,
    /// Mail the link to the user, as Directus mails password resets, through the
    /// project's mail settings (EMAIL_* in --env-file), instead of printing it
    #[arg(long)]
    pub send: bool,
}

pub fn run(ctx: &Context, args: &ResetLinkArgs) -> Result<()> {
    // The settings are values: checked before the database is asked.
    let settings = LinkSettings::resolve(&Given {
        env_file: ctx.global.env_file.as_deref(),
        public_url: args.public_url.as_deref(),
        ttl: None,
        secret_file: args.secret_file.as_deref(),
    })?;
    if !args.send {
        output::secret_can_be_shown()?;
    }
    let mut repo = ctx.open()?;
    let project = repo.settings()?.project_name;
    let mailer = match args.send {
        true => Some(Mailer::for_project(
            ctx.global.env_file.as_deref(),
            project.as_deref(),
        )?),
        false => None,
    };
    settings.check_secret_for(repo.as_mut())?;
    let user = repo
        .find_user(&args.user)?
        .ok_or_else(|| crate::repo::no_user(&args.user))?;
    refuse_unless_resettable(&user)?;
    let emails = HashSet::from([user.email.to_lowercase()]);
    let known = repo.known_users(&emails)?;
    let hash = known.values().next().and_then(|k| k.password_hash.clone());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (link, expires) = match &args.reset_url {
        Some(url) => settings.reset_link_at(url, &user.email, hash.as_deref(), now)?,
        None => settings.reset_link(&user.email, hash.as_deref(), now),
    };
    let Some(mailer) = mailer else {
        return ctx.out.reset_link(&user, &link, expires);
    };
    let project = project.as_deref().unwrap_or("Directus");
    match mailer.send(&mail::password_reset(&user.email, project, &link)) {
        Ok(()) => {
            ctx.out
                .note(format!("mailed a password reset link to {}", user.email));
            Ok(())
        }
        Err(e) => {
            ctx.out.reset_link(&user, &link, expires)?;
            Err(e.hint("the link above was not mailed: pass it on, or run reset-link --send again"))
        }
    }
}

/// Directus makes reset links for active users who log in with a password only.
fn refuse_unless_resettable(user: &crate::repo::User) -> Result<()> {
    if user.status() != Status::Active {
        return Err(Error::conflict(format!(
            "{} is {}: Directus resets the password of active users only",
            user.email, user.status
        ))
        .hint("`roster invite --link` gives an invited user a link to choose a password"));
    }
    if let Some(provider) = user.sso_provider() {
        return Err(Error::conflict(format!(
            "{} logs in through {provider}: Directus resets passwords of local accounts only",
            user.email
        )));
    }
    Ok(())
}
