//! `roster set-password`: a new password under the policy; ends the user's sessions.

use crate::cli::{DryRun, PasswordArgs, SeatForce};
use crate::context::Context;
use crate::error::Result;
use crate::flows::password as pw;
use crate::{output, password};
use clap::Args;

/// Set a user's password and end their sessions (activates invited or draft users)
///
/// An SSO account (provider other than default) cannot log in with a password in
/// Directus: it is switched to local login, and roster says so.
#[derive(Debug, Args)]
pub struct SetPasswordArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub seats: SeatForce,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &SetPasswordArgs) -> Result<()> {
    if args.password.random_password && !args.dry_run.dry_run {
        output::secret_can_be_shown()?;
    }
    let read = pw::read(&args.password.opts(), &ctx.terminal)?;
    let mut repo = ctx.open()?;
    let given = pw::given(&ctx.run(), repo.as_mut(), &args.password.opts(), read)?;
    if given.is_none() && !ctx.interactive {
        return Err(password::missing());
    }
    let user = repo
        .find_user(&args.user)?
        .ok_or_else(|| crate::repo::no_user(&args.user))?;
    let chosen = pw::or_prompt(&ctx.run(), repo.as_mut(), &args.password.opts(), given)?;
    let sso = user.sso_provider().map(str::to_string);
    let dry_run = args.dry_run.dry_run;
    let how = (dry_run, args.seats.force, None);
    let changed = pw::store(&ctx.run(), repo.as_mut(), &user.id, &chosen, how, |s| {
        ctx.out.password_stored(s, dry_run, false)
    })?;
    ctx.out.password_set(&changed, dry_run);
    if let Some(provider) = sso.filter(|_| !dry_run) {
        ctx.out.left_sso(&user, &provider);
    }
    Ok(())
}
