//! `roster doctor`: which database roster would use and why, and whether it is usable.

use crate::config::Origin;
use crate::context::Context;
use crate::error::Result;
use crate::output::{DoctorReport, PolicyFinding, Problem, Seats};
use crate::repo::{self, Repo, Target};
use crate::sources;
use clap::Args;

/// Show which database roster would use and why, and whether it is usable
///
/// Every source of a database in order (-d, --env-file, ROSTER_DATABASE_URL, a
/// Directus .env here or in the nearest parent folder with one, DATABASE_URL, the
/// config file, the default), the one used and those
/// passed over; the connection; the schema (standalone, Directus 10 or 11 and its
/// last migration); the password policy; whether an active administrator exists.
/// Exit 0 when the database is usable, 6 when it is not, 2 when its password
/// policy cannot be used (every password command would fail).
#[derive(Debug, Args)]
pub struct DoctorArgs {}

pub fn run(ctx: &Context, _args: &DoctorArgs) -> Result<()> {
    let found = ctx.sources()?;
    let (target, origin, ignored) = sources::choose(&found)?;
    let mut report = DoctorReport {
        source: found
            .first()
            .map_or("the default: roster.db in the current folder".into(), |s| {
                s.label.clone()
            }),
        passed_over: ignored.iter().map(|s| s.to_string()).collect(),
        database: target.describe(),
        ..DoctorReport::default()
    };
    if matches!(&target, Target::Sqlite { path, .. } if origin == Origin::Default && !path.exists())
    {
        report.problems.push(Problem::NoDefaultFile);
        return ctx.out.doctor(&report);
    }
    let checked = repo::open(&target, ctx.connect_opts(origin))
        .and_then(|mut r| inspect(ctx, r.as_mut(), &mut report));
    ctx.out.doctor(&report)?;
    checked
}

/// Connects, reads the layout, the policy and the administrators.
fn inspect(ctx: &Context, repo: &mut dyn Repo, report: &mut DoctorReport) -> Result<()> {
    report.connected = true;
    report.schema = Some(repo.schema()?.flavor);
    let facts = repo.facts()?;
    report.directus_version =
        repo::schema::directus_version(repo.schema()?.flavor, facts.last_migration.as_deref());
    report.last_migration = facts.last_migration;
    report.active_admins = Some(facts.active_admins);
    report.seats = facts.seats.map(|(used, allowed)| Seats { used, allowed });
    // Found when the database was opened: the field table holds them.
    report.custom_fields = crate::fields::customs();
    report.custom_fields_left_alone = crate::custom::left_alone(&repo.schema()?.user_columns);
    if facts.active_admins == 0 {
        report.problems.push(Problem::NoActiveAdmin);
    }
    // A policy no password can be checked against fails every password command
    // with this error: doctor ends with it too, after the rest of the report.
    let p = ctx.policy(repo)?;
    report.policy = Some(PolicyFinding {
        requirements: p.requirements(),
        sources: p.sources(),
    });
    Ok(())
}
