//! The result of `import` and `apply`: counts and one entry per row, as lines
//! for people, or the documented JSON and CSV for programs.

use super::{Out, io_err};
use crate::cli::Format;
use crate::error::{Error, Result};
use crate::flows::import::{Generated, Outcome, RolesDone, Sink};
use crate::flows::roles::PolicyChange;
use crate::repo::{RowAction, RowResult};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};

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
#[derive(Serialize, Default, Clone)]
struct Counts {
    created: u64,
    revived: u64,
    updated: u64,
    skipped: u64,
    unchanged: u64,
    soft_deleted: u64,
    /// Sessions the changes ended (would have, in a dry run).
    sessions_ended: u64,
}

impl Counts {
    fn of(results: &[RowResult]) -> Counts {
        let mut c = Counts::default();
        results.iter().for_each(|r| c.add(r.action));
        c
    }

    fn add(&mut self, action: RowAction) {
        *match action {
            RowAction::Created => &mut self.created,
            RowAction::Revived => &mut self.revived,
            RowAction::Updated => &mut self.updated,
            RowAction::Skipped => &mut self.skipped,
            RowAction::Unchanged => &mut self.unchanged,
            RowAction::SoftDeleted => &mut self.soft_deleted,
        } += 1;
    }

    fn sentence(&self) -> String {
        let ended = match self.sessions_ended {
            0 => String::new(),
            n => format!("; ended {}", super::counted(n, "session")),
        };
        format!(
            "{} created, {} revived, {} updated, {} skipped, {} unchanged, {} soft-deleted{ended}",
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
struct ImportJson {
    #[serde(flatten)]
    counts: Counts,
    dry_run: bool,
    rows: [(); 0],
}

/// An entry as a CSV record: every column on every line, empty when not made.
#[derive(Serialize)]
struct CsvEntry<'a> {
    line: Option<u64>,
    email: &'a str,
    id: &'a str,
    action: RowAction,
    password: Option<&'a str>,
    token: Option<&'a str>,
}

/// The entry of one row, with its generated secrets only when it created or
/// revived a user for real.
fn entry<'a>(r: &'a RowResult, made: Option<&'a Generated>, dry_run: bool) -> Entry<'a> {
    let shown = matches!(r.action, RowAction::Created | RowAction::Revived) && !dry_run;
    let g = made.filter(|_| shown);
    Entry {
        line: r.at,
        email: &r.email,
        id: &r.id,
        action: r.action,
        password: g.and_then(|g| g.password.as_deref()).map(String::as_str),
        token: g.and_then(|g| g.token.as_deref()).map(String::as_str),
    }
}

/// An import's result, rendered a row at a time into a private temporary file
/// as the rows are written and shown whole at the end: a file of any size is
/// never held in memory, and nothing reaches stdout before every row is written.
pub struct Report<'o> {
    out: &'o Out,
    dry_run: bool,
    counts: Counts,
    spool: BufWriter<File>,
    rows: u64,
}

impl Out {
    /// Says, at a terminal, that `-` means typing the rows: nothing seems to
    /// happen otherwise, and Ctrl-D is how it ends.
    pub fn reading_from(&self, path: &std::path::Path) {
        use std::io::IsTerminal;
        if path == std::path::Path::new("-") && std::io::stdin().is_terminal() {
            self.note("reading users from standard input; end with Ctrl-D on a line of its own");
        }
    }

    /// The result of an import about to run.
    pub fn import_report(&self, dry_run: bool) -> Result<Report<'_>> {
        let spool = tempfile::tempfile().map_err(|e| {
            Error::Internal(format!("cannot make a temporary file for the result: {e}"))
        })?;
        Ok(Report {
            out: self,
            dry_run,
            counts: Counts::default(),
            spool: BufWriter::new(spool),
            rows: 0,
        })
    }

    /// Prints a whole import's result.
    pub fn imported(&self, o: &Outcome) -> Result<()> {
        let mut report = self.import_report(o.dry_run)?;
        report.counts.sessions_ended = o.roles.sessions_ended;
        for r in &o.results {
            let made = r.at.and_then(|at| o.generated.get(&at));
            report.add(r, made)?;
        }
        report.show()
    }
}

impl Report<'_> {
    /// Renders one row's entry into the spool.
    pub fn add(&mut self, r: &RowResult, made: Option<&Generated>) -> Result<()> {
        let e = entry(r, made, self.dry_run);
        let secret = e.password.is_some() || e.token.is_some();
        if secret {
            super::secret_can_be_shown()?;
        }
        self.counts.add(r.action);
        let w = &mut self.spool;
        match self.out.format {
            Format::Json => {
                let text = serde_json::to_string_pretty(&e).map_err(io_err)?;
                let sep = if self.rows == 0 { "" } else { ",\n" };
                write!(w, "{sep}    {}", text.replace('\n', "\n    ")).map_err(io_err)?;
            }
            Format::Csv => {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut *w);
                csv.serialize(csv_entry(&e)).map_err(io_err)?;
                csv.flush().map_err(io_err)?;
            }
            Format::Plain => {
                let cells = super::text_cells(&csv_entry(&e))?;
                let cells: Vec<String> = cells.iter().map(|c| super::grid::plain_cell(c)).collect();
                writeln!(w, "{}", cells.join("\t")).map_err(io_err)?;
            }
            // Rows are data: --quiet drops notes, never them.
            Format::Table => line(w, &e)?,
        }
        self.rows += 1;
        Ok(())
    }

    /// Prints the counts, then the spooled entries.
    pub fn show(&mut self) -> Result<()> {
        let said = self.counts.sentence();
        self.out.note(match self.dry_run {
            true => format!("dry run: would have {said}; nothing was changed"),
            false => said,
        });
        self.spool.flush().map_err(io_err)?;
        let spool = self.spool.get_mut();
        spool.seek(SeekFrom::Start(0)).map_err(io_err)?;
        let mut out = BufWriter::new(std::io::stdout().lock());
        match self.out.format {
            Format::Json => {
                let head = ImportJson {
                    counts: self.counts.clone(),
                    dry_run: self.dry_run,
                    rows: [],
                };
                let text = serde_json::to_string_pretty(&head).map_err(io_err)?;
                let text = text.strip_suffix("[]\n}").unwrap_or(&text);
                match self.rows {
                    0 => writeln!(out, "{text}[]\n}}").map_err(io_err)?,
                    _ => {
                        writeln!(out, "{text}[").map_err(io_err)?;
                        std::io::copy(spool, &mut out).map_err(io_err)?;
                        writeln!(out, "\n  ]\n}}").map_err(io_err)?;
                    }
                }
            }
            Format::Csv | Format::Plain => {
                if self.out.headers {
                    let header = ENTRY_HEADER.join(sep(self.out.format));
                    writeln!(out, "{header}").map_err(io_err)?;
                }
                std::io::copy(spool, &mut out).map_err(io_err)?;
            }
            Format::Table => {
                std::io::copy(spool, &mut out).map_err(io_err)?;
            }
        }
        out.flush().map_err(io_err)
    }
}

/// The columns of an import's CSV and plain rows.
const ENTRY_HEADER: [&str; 6] = ["line", "email", "id", "action", "password", "token"];

/// What separates cells in this format's lines.
fn sep(format: Format) -> &'static str {
    match format {
        Format::Plain => "\t",
        _ => ",",
    }
}

fn csv_entry<'a>(e: &Entry<'a>) -> CsvEntry<'a> {
    CsvEntry {
        line: e.line,
        email: e.email,
        id: e.id,
        action: e.action,
        password: e.password,
        token: e.token,
    }
}

/// The sink of `import`: every row's entry spooled, shown at the end.
impl Sink for Report<'_> {
    fn row(&mut self, result: RowResult, made: Option<Generated>) -> Result<()> {
        self.add(&result, made.as_ref())
    }

    fn finish(&mut self, roles: &RolesDone, _dry_run: bool) -> Result<()> {
        self.counts.sessions_ended = roles.sessions_ended;
        self.show()
    }
}

/// One line of an entry: action, email, id, and any generated secret.
fn line(out: &mut impl Write, e: &Entry) -> Result<()> {
    let action = serde_json::to_value(e.action).map_err(io_err)?;
    let action = action.as_str().unwrap_or_default().replace('_', "-");
    write!(out, "{action:<13}{} {}", e.email, e.id).map_err(io_err)?;
    if let Some(pw) = e.password {
        write!(out, " password={pw}").map_err(io_err)?;
    }
    if let Some(t) = e.token {
        write!(out, " token={t}").map_err(io_err)?;
    }
    writeln!(out).map_err(io_err)
}

/// The sink of `apply`: its files are small, so the plan is gathered whole and
/// shown as one.
pub struct Applied<'o> {
    out: &'o Out,
    verbose: bool,
    outcome: Outcome,
}

impl Sink for Applied<'_> {
    fn row(&mut self, result: RowResult, made: Option<Generated>) -> Result<()> {
        self.outcome.add(result, made);
        Ok(())
    }

    fn finish(&mut self, roles: &RolesDone, dry_run: bool) -> Result<()> {
        self.outcome.roles = roles.clone();
        self.outcome.dry_run = dry_run;
        self.out.applied(&self.outcome, self.verbose)
    }
}

impl Out {
    /// The result of an `apply` about to run.
    pub fn apply_report(&self, verbose: bool) -> Applied<'_> {
        Applied {
            out: self,
            verbose,
            outcome: Outcome::default(),
        }
    }

    /// Prints the plan `apply` made and carried out (or, in a dry run, would carry out).
    pub fn applied(&self, o: &Outcome, verbose: bool) -> Result<()> {
        if self.format != Format::Table {
            return self.imported(o);
        }
        let changed = !o.roles.made.is_empty()
            || !o.roles.changed.is_empty()
            || !o.roles.policies.is_empty()
            || o.results
                .iter()
                .any(|r| !matches!(r.action, RowAction::Unchanged | RowAction::Skipped));
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for role in &o.roles.made {
            writeln!(out, "+ role {}", role.name).map_err(io_err)?;
        }
        for (role, changes) in &o.roles.changed {
            for (field, old, new) in changes {
                let (old, new) = (old.as_deref().unwrap_or(""), new.as_deref().unwrap_or(""));
                writeln!(out, "~ role {role} {field}: {old} → {new}").map_err(io_err)?;
            }
        }
        for r in &o.results {
            let made = r.at.and_then(|at| o.generated.get(&at));
            plan_lines(&mut out, r, &entry(r, made, o.dry_run), verbose)?;
        }
        for change in &o.roles.policies {
            policy_line(&mut out, change)?;
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

/// The plan's line for a change to a policy (written after the users, which
/// it may be attached to).
fn policy_line(out: &mut impl Write, change: &PolicyChange) -> Result<()> {
    match change {
        PolicyChange::Made(name) => writeln!(out, "+ policy {name}"),
        PolicyChange::Changed(name, flags) => flags.iter().try_for_each(|(f, old, new)| {
            let (old, new) = (old.as_deref().unwrap_or(""), new.as_deref().unwrap_or(""));
            writeln!(out, "~ policy {name} {f}: {old} → {new}")
        }),
        PolicyChange::Attached(name, holder) => writeln!(out, "+ policy {name} → {holder}"),
    }
    .map_err(io_err)
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
