//! `roster init`: create roster's standalone schema in an empty database.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::Result;
use crate::repo::{Target, WriteOpts};
use clap::Args;

/// Create roster's standalone schema with an Administrator role
///
/// The tables have the Directus 11 layout, plus company and timezone columns on
/// directus_users.
///
/// Makes the SQLite file when it does not exist. Refuses (exit 4) a database that
/// already has a directus_users table.
#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &InitArgs) -> Result<()> {
    let dry_run = args.dry_run.dry_run;
    let (target, _) = ctx.target()?;
    let place = match &target {
        Target::Sqlite { path, .. } => path.display().to_string(),
        Target::Postgres { url } | Target::Mysql { url } => crate::config::redact(url),
    };
    if dry_run && matches!(&target, Target::Sqlite { path, .. } if !path.exists()) {
        return ctx.out.init_would_create_file(&place);
    }
    ctx.run().guard(dry_run)?;
    let (mut repo, _) = ctx.open_for_init()?;
    // No --actor here: the users table it would name does not exist yet.
    let opts = WriteOpts {
        dry_run,
        ..WriteOpts::default()
    };
    repo.init(&opts)?;
    // The next step names the database only when the operator named one.
    let named = match dry_run {
        true => false,
        false => ctx.target()?.1 == crate::config::Origin::Given,
    };
    ctx.out.initialised(&place, named, dry_run)
}
