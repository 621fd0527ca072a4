//! `roster show`: every field of one user but its secrets.

use crate::context::Context;
use crate::error::Result;
use clap::Args;

/// Show one user: every field, with password and token only as set or unset
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The user, by email or id
    #[arg(value_name = "USER")]
    pub user: String,
}

pub fn run(ctx: &Context, args: &ShowArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let user = repo
        .find_user(&args.user)?
        .ok_or_else(|| crate::repo::no_user(&args.user))?;
    ctx.out.user(&user)
}
