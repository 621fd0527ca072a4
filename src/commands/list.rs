//! `roster list`: find users by status, role or text, as a table, JSON or CSV.

use crate::context::Context;
use crate::error::Result;
use crate::flows::roles;
use crate::repo::ListFilter;
use crate::status::Status;
use clap::Args;

/// List users by email (soft-deleted ones only with --all or --status deleted)
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only users with this status (draft, invited, active, suspended, deleted, or any
    /// other stored value); repeat for several
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// Only users of this role (name or id)
    #[arg(short, long)]
    pub role: Option<String>,
    /// Only users whose email or name contains this text (any case)
    #[arg(short, long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Include soft-deleted users too
    #[arg(short, long)]
    pub all: bool,
    /// Print at most this many users
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Skip this many users first
    #[arg(long, value_name = "N")]
    pub offset: Option<u64>,
}

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let mut repo = ctx.open()?;
    let role = match &args.role {
        Some(r) => Some(roles::resolve(repo.as_mut(), r)?.id),
        None => None,
    };
    let filter = ListFilter {
        statuses: args
            .status
            .iter()
            .map(|s| Status::from_db(&s.trim().to_lowercase()))
            .collect(),
        role,
        search: args.search.clone().filter(|s| !s.is_empty()),
        include_deleted: args.all,
        limit: args.limit,
        offset: args.offset,
    };
    ctx.out.users(|each| repo.list_users(&filter, each))
}
