//! `roster doctor`: which database roster would use and why, and whether it is usable.

use crate::cli::Format;
use crate::config::Origin;
use crate::context::Context;
use crate::error::Result;
use crate::policy::Source;
use crate::repo::{self, Flavor, Repo, Target};
use crate::{output, sources};
use clap::Args;
use serde::Serialize;

/// Show which database roster would use and why, and whether it is usable
///
/// Every source of a database in order (-d, --env-file, ROSTER_DATABASE_URL,
/// DATABASE_URL, ./.env, the config file, the default), the one used and those
/// passed over; the connection; the schema (standalone, Directus 10 or 11 and its
/// last migration); the password policy; whether an active administrator exists.
/// Exit 0 when the database is usable, 6 when it is not.
#[derive(Debug, Args)]
pub struct DoctorArgs {}

/// What doctor found.
#[derive(Serialize, Default)]
struct Report {
    source: String,
    passed_over: Vec<String>,
    database: String,
    connected: bool,
    schema: Option<Flavor>,
    last_migration: Option<String>,
    policy: Option<String>,
    active_admins: Option<u64>,
    problems: Vec<String>,
}

pub fn run(ctx: &Context, _args: &DoctorArgs) -> Result<()> {
    let found = sources::sources(
        ctx.global.database_url.as_deref(),
        ctx.global.env_file.as_deref(),
        &ctx.config,
    )?;
    let (target, origin, ignored) = sources::choose(&found)?;
    let mut report = Report {
        source: found
            .first()
            .map_or("the default: roster.db in the current folder".into(), |s| {
                s.label.clone()
            }),
        passed_over: ignored.iter().map(|s| s.to_string()).collect(),
        database: target.describe(),
        ..Report::default()
    };
    if matches!(&target, Target::Sqlite { path, .. } if origin == Origin::Default && !path.exists())
    {
        report
            .problems
            .push("roster.db does not exist yet: the first command creates it".into());
        return print(ctx, &report);
    }
    let checked = repo::open(&target, ctx.connect_opts())
        .and_then(|mut r| inspect(ctx, r.as_mut(), &mut report));
    print(ctx, &report)?;
    checked
}

/// Connects, reads the layout, the policy and the administrators.
fn inspect(ctx: &Context, repo: &mut dyn Repo, report: &mut Report) -> Result<()> {
    report.connected = true;
    report.schema = Some(repo.schema()?.flavor);
    let facts = repo.facts()?;
    report.last_migration = facts.last_migration;
    report.active_admins = Some(facts.active_admins);
    if facts.active_admins == 0 {
        report.problems.push(
            "no active administrator: create one with `roster create EMAIL --role Administrator`"
                .into(),
        );
    }
    match ctx.policy(repo) {
        Ok(p) => {
            let from = match &p.source {
                Source::Config(path) => format!("config file {path}"),
                Source::Database => "directus_settings".to_string(),
                Source::None => "none".to_string(),
            };
            report.policy = Some(format!("{from}: {}", p.requirements().join(", ")));
        }
        Err(e) => report
            .problems
            .push(format!("the password policy cannot be used: {e}")),
    }
    Ok(())
}

fn print(ctx: &Context, r: &Report) -> Result<()> {
    if ctx.format() == Format::Json {
        return ctx.out.json(r);
    }
    let none = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    output::line(format!(
        "database:        {} (named by {})",
        r.database, r.source
    ))?;
    if !r.passed_over.is_empty() {
        output::line(format!("passed over:     {}", r.passed_over.join(", ")))?;
    }
    output::line(format!(
        "connected:       {}",
        if r.connected { "yes" } else { "no" }
    ))?;
    let schema = r.schema.map(|f| match f {
        Flavor::Directus11 => "Directus 11".to_string(),
        Flavor::Directus10 => "Directus 10".to_string(),
        Flavor::Standalone => "roster standalone".to_string(),
    });
    output::line(format!("schema:          {}", none(&schema)))?;
    output::line(format!("last migration:  {}", none(&r.last_migration)))?;
    output::line(format!("password policy: {}", none(&r.policy)))?;
    let admins = r.active_admins.map(|n| n.to_string());
    output::line(format!("active admins:   {}", none(&admins)))?;
    for p in &r.problems {
        ctx.out.note(format!("warning: {p}"));
    }
    Ok(())
}
