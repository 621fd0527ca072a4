//! The result of `import` and `apply`: counts and one entry per row, as lines
//! for people, or the documented JSON and CSV for programs.

use super::{Out, io_err};
use crate::cli::Format;
use crate::error::Result;
use crate::flows::import::Outcome;
use crate::repo::{RowAction, RowResult};
use serde::Serialize;
use std::io::Write;

/// One entry of the result.
#[derive(Serialize)]
struct Entry<'a> {
    line: Option<u64>,
    email: &'a str,
    id: &'a str,
    action: RowAction,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
}

/// The JSON result: counts, then the rows.
#[derive(Serialize, Default)]
struct Counts {
    created: u64,
    revived: u64,
    updated: u64,
    skipped: u64,
    unchanged: u64,
    soft_deleted: u64,
}

impl Counts {
    fn of(results: &[RowResult]) -> Counts {
        let mut c = Counts::default();
        for r in results {
            *match r.action {
                RowAction::Created => &mut c.created,
                RowAction::Revived => &mut c.revived,
                RowAction::Updated => &mut c.updated,
                RowAction::Skipped => &mut c.skipped,
                RowAction::Unchanged => &mut c.unchanged,
                RowAction::SoftDeleted => &mut c.soft_deleted,
            } += 1;
        }
        c
    }

    fn sentence(&self) -> String {
        format!(
            "{} created, {} revived, {} updated, {} skipped, {} unchanged, {} soft-deleted",
            self.created,
            self.revived,
            self.updated,
            self.skipped,
            self.unchanged,
            self.soft_deleted
        )
    }
}

#[derive(Serialize)]
struct ImportJson<'a> {
    #[serde(flatten)]
    counts: Counts,
    dry_run: bool,
    rows: Vec<Entry<'a>>,
}

/// The entries, with generated secrets only for rows that created or revived a user.
fn entries(o: &Outcome) -> Vec<Entry<'_>> {
    o.results
        .iter()
        .map(|r| {
            let made = matches!(r.action, RowAction::Created | RowAction::Revived) && !o.dry_run;
            let g = r.at.and_then(|at| o.generated.get(&at)).filter(|_| made);
            Entry {
                line: r.at,
                email: &r.email,
                id: &r.id,
                action: r.action,
                password: g.and_then(|g| g.password.as_deref()).map(String::as_str),
                token: g.and_then(|g| g.token.as_deref()).map(String::as_str),
            }
        })
        .collect()
}

impl Out {
    /// Prints an import's result; generated secrets go to stdout once.
    pub fn imported(&self, o: &Outcome) -> Result<()> {
        let rows = entries(o);
        if rows
            .iter()
            .any(|e| e.password.is_some() || e.token.is_some())
        {
            super::secret_can_be_shown()?;
        }
        let counts = Counts::of(&o.results);
        let said = counts.sentence();
        self.note(match o.dry_run {
            true => format!("dry run: would have {said}; nothing was changed"),
            false => said,
        });
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        match self.format {
            Format::Json => {
                let json = ImportJson {
                    counts,
                    dry_run: o.dry_run,
                    rows,
                };
                serde_json::to_writer_pretty(&mut out, &json).map_err(io_err)?;
                writeln!(out).map_err(io_err)?;
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(&mut out);
                for e in &rows {
                    w.serialize(e).map_err(io_err)?;
                }
                if rows.is_empty() {
                    w.write_record(["line", "email", "id", "action", "password", "token"])
                        .map_err(io_err)?;
                }
                w.flush().map_err(io_err)?;
            }
            Format::Table => lines(&mut out, &rows, self.quiet)?,
        }
        out.flush().map_err(io_err)
    }
}

/// One line per row: action, email, id, and any generated secret.
fn lines(out: &mut impl Write, rows: &[Entry], quiet: bool) -> Result<()> {
    for e in rows {
        let secret = e.password.is_some() || e.token.is_some();
        if quiet && !secret {
            continue;
        }
        let action = serde_json::to_value(e.action).map_err(io_err)?;
        let action = action.as_str().unwrap_or_default().replace('_', "-");
        write!(out, "{action:<13}{} {}", e.email, e.id).map_err(io_err)?;
        if let Some(pw) = e.password {
            write!(out, " password={pw}").map_err(io_err)?;
        }
        if let Some(t) = e.token {
            write!(out, " token={t}").map_err(io_err)?;
        }
        writeln!(out).map_err(io_err)?;
    }
    Ok(())
}

impl Out {
    /// Prints the plan `apply` made and carried out (or, in a dry run, would carry out).
    pub fn applied(&self, o: &Outcome, verbose: bool) -> Result<()> {
        if self.format != Format::Table {
            return self.imported(o);
        }
        let changed = !o.roles.is_empty()
            || o.results
                .iter()
                .any(|r| !matches!(r.action, RowAction::Unchanged | RowAction::Skipped));
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for role in &o.roles {
            writeln!(out, "+ role {}", role.name).map_err(io_err)?;
        }
        let generated = entries(o);
        for (r, e) in o.results.iter().zip(&generated) {
            plan_lines(&mut out, r, e, verbose)?;
        }
        out.flush().map_err(io_err)?;
        let said = match (changed, o.dry_run) {
            (false, _) => "nothing to change: the database matches the file".to_string(),
            (true, true) => "dry run: nothing was changed".to_string(),
            (true, false) => format!("applied: {}", Counts::of(&o.results).sentence()),
        };
        self.note(said);
        Ok(())
    }
}

/// The plan's lines for one user: + create, ~ field: old → new, - soft-delete, = unchanged.
fn plan_lines(out: &mut impl Write, r: &RowResult, e: &Entry, verbose: bool) -> Result<()> {
    let shown = |v: &Option<String>| match v {
        Some(v) => super::safe::clean(v).into_owned(),
        None => "(none)".into(),
    };
    match r.action {
        RowAction::Created | RowAction::Revived => {
            let how = if r.action == RowAction::Revived {
                " (revived)"
            } else {
                ""
            };
            write!(out, "+ {}{how}", r.email).map_err(io_err)?;
            if let Some(pw) = e.password {
                write!(out, " password={pw}").map_err(io_err)?;
            }
            writeln!(out).map_err(io_err)
        }
        RowAction::Updated => r.changes.iter().try_for_each(|(field, old, new)| {
            writeln!(
                out,
                "~ {} {field}: {} → {}",
                r.email,
                shown(old),
                shown(new)
            )
            .map_err(io_err)
        }),
        RowAction::SoftDeleted => writeln!(out, "- {}", r.email).map_err(io_err),
        RowAction::Unchanged | RowAction::Skipped if verbose => {
            writeln!(out, "= {}", r.email).map_err(io_err)
        }
        RowAction::Unchanged | RowAction::Skipped => Ok(()),
    }
}
