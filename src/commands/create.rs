//! `roster create`: an active (or draft) user with a password, or the revival
//! of a soft-deleted user with the same email.

use crate::cli::{DryRun, PasswordArgs, ProfileArgs, SeatForce};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::create::{self, Plan, Shown};
use crate::flows::password as pw;
use crate::password::{self, Chosen};
use crate::repo::{Created, NewUser};
use crate::status::Status;
use crate::{email, output};
use clap::{Args, ValueEnum};

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
    pub seats: SeatForce,
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
    let profile = args.profile.profile()?;
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
    let read = pw::read(&args.password.opts(), &ctx.terminal)?;
    let mut repo = ctx.open()?;
    let profile = args.profile.with_sets(profile)?;
    crate::custom::required_given(&profile)
        .map_err(|e| e.hint("give it with --set NAME=VALUE (doctor lists the custom fields)"))?;
    repo.schema()?.check_profile(&profile)?;
    // A password named by a flag is a value: checked before the database is asked.
    let given = pw::given(&ctx.run(), repo.as_mut(), &args.password.opts(), read)?;
    if given.is_none() && !ctx.interactive && !draft {
        return Err(password::missing());
    }
    let role = args.role.as_deref();
    let role = match create::prepare(
        &ctx.run(),
        repo.as_mut(),
        &email,
        role,
        args.if_not_exists,
        None,
    )? {
        Plan::Exists(user) => {
            let existing = Created::Existing(user);
            ctx.out.created_note(&existing, false);
            return ctx.out.created(&existing, Shown::default(), false);
        }
        Plan::Write(role) => role,
    };
    let chosen = match draft {
        true => None,
        false => Some(pw::or_prompt(
            &ctx.run(),
            repo.as_mut(),
            &args.password.opts(),
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
    let dry_run = args.dry_run.dry_run;
    let created = create::write(
        &ctx.run(),
        repo.as_mut(),
        &new,
        (dry_run, args.seats.force),
        |c| ctx.out.created(c, shown, dry_run),
    )?;
    ctx.out.created_note(&created, dry_run);
    Ok(())
}
