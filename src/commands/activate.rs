//! `roster activate`: an invited or draft user gets a password and becomes active;
//! a publicly registered (unverified) user is approved.

use crate::cli::{DryRun, PasswordArgs, SeatForce, SetArgs};
use crate::context::Context;
use crate::error::Result;
use crate::flows::password as pw;
use crate::flows::status as flow;
use crate::output;
use crate::repo::{Edit, Repo, User};
use crate::status::{self, Change};
use clap::Args;

/// Activate an invited or draft user with a password, or approve an unverified one
///
/// A user who registered through Directus's public registration (status
/// unverified) already chose a password: activate approves them without one.
#[derive(Debug, Args)]
pub struct ActivateArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub sets: SetArgs,
    #[command(flatten)]
    pub seats: SeatForce,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &ActivateArgs) -> Result<()> {
    if args.password.random_password && !args.dry_run.dry_run {
        output::secret_can_be_shown()?;
    }
    let read = pw::read(&args.password.opts(), &ctx.terminal)?;
    let mut repo = ctx.open()?;
    // The password given is a value: checked before the database is asked about the user.
    let given = pw::given(&ctx.run(), repo.as_mut(), &args.password.opts(), read)?;
    let user = repo
        .find_user(&args.user)?
        .ok_or_else(|| crate::repo::no_user(&args.user))?;
    let edit = fields(args)?;
    let dry_run = args.dry_run.dry_run;
    if !status::plan(&user.email, &user.status(), Change::Activate)? {
        return match &edit {
            // A re-run of a script converges: the fields are set all the same.
            Some(e) => edit_only(ctx, repo.as_mut(), &user, e, dry_run),
            None => ctx.out.already_active(&user, dry_run),
        };
    }
    let approved = user.status().is_unverified() || user.status().is_inactive_license();
    if approved && given.is_none() {
        // A publicly registered user, or one a licence had no seat for, chose a
        // password already: approving keeps it.
        let change = Change::Activate;
        let force = args.seats.force;
        let approve = |r: &mut dyn Repo| {
            if let Some(e) = &edit {
                let opts = ctx.write_opts(r, dry_run, force)?;
                r.edit_user(&user.id, e, &opts)?;
            }
            flow::change_all(
                &ctx.run(),
                r,
                std::slice::from_ref(&user),
                change,
                force,
                dry_run,
            )
        };
        let done = crate::flows::commit_after(repo.as_mut(), dry_run, approve, |_| Ok(()))?;
        return ctx.out.status_changes(change, &done);
    }
    let chosen = pw::or_prompt(&ctx.run(), repo.as_mut(), &args.password.opts(), given)?;
    let how = (dry_run, args.seats.force, edit.as_ref());
    let changed = pw::store(&ctx.run(), repo.as_mut(), &user.id, &chosen, how, |s| {
        ctx.out.password_stored(s, dry_run, true)
    })?;
    ctx.out.password_set(&changed, dry_run);
    Ok(())
}

/// The fields `--set` and `--unset` give, to write with the activation.
fn fields(args: &ActivateArgs) -> Result<Option<Edit>> {
    if !args.sets.any() {
        return Ok(None);
    }
    Ok(Some(Edit {
        profile: args.sets.applied(crate::profile::Profile::default())?,
        role: None,
        avatar: None,
        email: None,
    }))
}

/// An active user's fields set, as `edit` sets them.
fn edit_only(
    ctx: &Context,
    repo: &mut dyn Repo,
    user: &User,
    e: &Edit,
    dry_run: bool,
) -> Result<()> {
    let opts = ctx.write_opts(repo, dry_run, false)?;
    let (changed, ended) =
        crate::flows::with_sessions_ended(repo, |r| r.edit_user(&user.id, e, &opts))?;
    ctx.out.edited(&changed, Some(user), (dry_run, ended))
}
