//! `roster edit`: change a user's profile fields, role, email, avatar or email notifications.

use crate::cli::{DryRun, ProfileArgs};
use crate::context::Context;
use crate::email;
use crate::error::{Error, Result};
use crate::flows::roles;
use crate::repo::{Edit, canonical_id};
use clap::Args;

/// Change a user's profile, role, email, avatar or email notifications
///
/// Only the fields given change; an empty value (--title "") clears a field. The
/// user's sessions stay. Changing the role of the last active administrator to a
/// role without admin access is refused unless --force is given.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    /// New role, by name (any case) or id
    #[arg(short, long)]
    pub role: Option<String>,
    /// New email address (unique in any case; the user's sessions end)
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Avatar: the id of an existing file in directus_files, or `none` to remove it
    #[arg(long, value_name = "FILE_ID")]
    pub avatar: Option<String>,
    /// Allow taking admin access from the last active administrator
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &EditArgs) -> Result<()> {
    let mut edit = requested(args)?;
    let mut repo = ctx.open()?;
    edit.profile = args.profile.with_sets(edit.profile)?;
    repo.schema()?.check_profile(&edit.profile)?;
    if let Some(r) = &args.role {
        edit.role = Some(roles::resolve(repo.as_mut(), r)?.id);
    }
    let opts = ctx.write_opts(repo.as_mut(), args.dry_run.dry_run, args.force)?;
    let before = repo.find_user(&args.user)?;
    let (changed, ended) = crate::flows::with_sessions_ended(repo.as_mut(), |r| {
        r.edit_user(&args.user, &edit, &opts)
    })?;
    ctx.out
        .edited(&changed, before.as_ref(), (opts.dry_run, ended))
}

/// The validated values asked for (the role is resolved later, in the database);
/// a usage error when nothing is.
fn requested(args: &EditArgs) -> Result<Edit> {
    let profile = args.profile.profile()?;
    let avatar = args.avatar.as_deref().map(|a| a.trim().to_lowercase());
    let avatar = avatar.map(|a| Some(a).filter(|a| a != "none" && !a.is_empty()));
    if let Some(Some(id)) = &avatar {
        // A value, checked before the database is asked about the user.
        canonical_id(id)
            .ok_or_else(|| Error::validation(format!("avatar {id:?} is not a file id (a UUID)")))?;
    }
    let email = args.email.as_deref().map(email::normalize).transpose()?;
    let nothing = profile.is_empty() && !args.profile.sets_any();
    if nothing && args.role.is_none() && avatar.is_none() && email.is_none() {
        return Err(Error::usage(
            "nothing to change: give a field to edit (see roster edit --help)",
        ));
    }
    Ok(Edit {
        profile,
        role: None,
        avatar,
        email,
    })
}
