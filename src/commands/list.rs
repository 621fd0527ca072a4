//! `roster list`: find users by status, role, text or inactivity, as a table, JSON or CSV.

use crate::cli::FilterArgs;
use crate::context::Context;
use crate::error::Result;
use crate::flows::filter;
use crate::output::users::Columns;
use clap::Args;

/// List users by email (soft-deleted ones only with --all or --status deleted)
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print at most this many users
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = count)]
    pub limit: Option<u64>,
    /// Skip this many users first
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = count)]
    pub offset: Option<u64>,
    /// Print only the number of users selected
    #[arg(long)]
    pub count: bool,
    /// The columns of the table, CSV or plain lines, comma-separated, from:
    /// name, then the fields of `show` (id, email, first_name, role, status,
    /// last_access, ...) [default: email,name,role,status,id; CSV: every field]
    #[arg(long, value_name = "LIST")]
    pub columns: Option<String>,
    /// Sort by this field of `show` instead of email (`-` before it: descending,
    /// as Directus's `sort` parameter); users without a value come last
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    pub sort: Option<String>,
}

/// A number of users: 0 or more (a negative one gets this message, not clap's
/// "unexpected argument").
fn count(raw: &str) -> std::result::Result<u64, String> {
    raw.trim()
        .parse()
        .map_err(|_| format!("{raw:?} is not a number of users (0 or more)"))
}

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let asked = args.filter.wanted();
    let mut wanted = filter::checked(&asked)?;
    wanted.limit = args.limit;
    wanted.offset = args.offset;
    wanted.sort = args.sort.as_deref().map(filter::sort).transpose()?;
    let mut repo = ctx.open()?;
    let wanted = filter::resolved(repo.as_mut(), &asked, wanted)?;
    if args.count {
        return crate::output::line(repo.count_users(&wanted)?);
    }
    // Checked once the database is open: its custom fields are columns too.
    let columns = Columns {
        picked: args
            .columns
            .as_deref()
            .map(crate::output::users::columns)
            .transpose()?,
    };
    ctx.out
        .users(&columns, |each| repo.list_users(&wanted, each))
}
