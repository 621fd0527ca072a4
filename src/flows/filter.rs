//! The users `list` and `export` select, from the flags they share.

use super::roles;
use crate::config::parse_age;
use crate::error::{Error, Result};
use crate::repo::{ListFilter, Repo};
use crate::status::Status;

/// Which users to select, as the command line gave it.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// Status names, any of which a user may have.
    pub status: Vec<String>,
    /// A role's name or id.
    pub role: Option<String>,
    /// Text the email or name contains.
    pub search: Option<String>,
    /// How long a user has not logged in, e.g. `90d`, or since when (`2026-06-01`).
    pub inactive_since: Option<String>,
    /// Soft-deleted users too.
    pub all: bool,
}

/// The values of the flags, checked before the database is asked (exit 2).
pub fn checked(args: &Wanted) -> Result<ListFilter> {
    let statuses = args
        .status
        .iter()
        .map(|s| Status::parse_filter(s))
        .collect::<Result<_>>()?;
    let inactive_before = match &args.inactive_since {
        Some(d) => Some(parse_age(d, crate::repo::now_ms())?),
        None => None,
    };
    Ok(ListFilter {
        statuses,
        search: args.search.clone().filter(|s| !s.is_empty()),
        include_deleted: args.all,
        inactive_before,
        ..ListFilter::default()
    })
}

/// The filter with its role resolved in the database (exit 3 for an unknown one).
pub fn resolved(repo: &mut dyn Repo, args: &Wanted, mut filter: ListFilter) -> Result<ListFilter> {
    if let Some(r) = &args.role {
        filter.role = Some(roles::resolve(repo, r)?.id);
    }
    Ok(filter)
}

/// A `--sort` value: a field of `show` that holds a stored value, `-` before it
/// for descending (as Directus's own `sort`); exit 2 for any other.
pub fn sort(raw: &str) -> Result<crate::repo::Sort> {
    use crate::fields::{Kind, Rule, all};
    let (descending, name) = match raw.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.trim()),
    };
    let sortable = |k: Kind| !matches!(k, Kind::Admin | Kind::Profile(Rule::Json(_)));
    let field = all()
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name) && sortable(f.kind));
    match field {
        Some(field) => Ok(crate::repo::Sort { field, descending }),
        None => {
            let names: Vec<&str> = all()
                .iter()
                .filter(|f| sortable(f.kind))
                .map(|f| f.name)
                .collect();
            Err(Error::usage(format!(
                "--sort: cannot sort by {name:?}; the fields are {}",
                names.join(", ")
            )))
        }
    }
}
