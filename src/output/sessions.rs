//! Sessions, their revocation, and forgotten users, for people and programs.

use super::{Grid, Out, iso_time};
use crate::cli::Format;
use crate::error::Result;
use crate::repo::{Changed, Forgotten, Session, User};
use serde::Serialize;

#[derive(Serialize)]
struct SessionJson<'a> {
    user_id: &'a str,
    email: &'a str,
    expires: Option<String>,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    origin: Option<&'a str>,
}

#[derive(Serialize)]
struct RevokedJson<'a> {
    id: &'a str,
    email: &'a str,
    revoked: u64,
    dry_run: bool,
}

impl Out {
    /// Prints sessions: a table, or JSON and CSV with the same fields.
    pub fn sessions(&self, sessions: &[Session]) -> Result<()> {
        let rows: Vec<SessionJson> = sessions
            .iter()
            .map(|s| SessionJson {
                user_id: &s.user_id,
                email: &s.email,
                expires: s.expires.map(iso_time),
                ip: s.ip.as_deref(),
                user_agent: s.user_agent.as_deref(),
                origin: s.origin.as_deref(),
            })
            .collect();
        match self.format {
            Format::Json => self.json(&rows),
            Format::Csv | Format::Plain => self.records(
                &rows,
                &["user_id", "email", "expires", "ip", "user_agent", "origin"],
            ),
            Format::Table if rows.is_empty() => {
                self.note("no sessions");
                Ok(())
            }
            Format::Table => {
                let mut g = Grid::new(&["EMAIL", "EXPIRES", "IP", "USER AGENT", "ORIGIN"]);
                for r in &rows {
                    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
                    g.rows.push(vec![
                        r.email.to_string(),
                        r.expires.clone().unwrap_or_default(),
                        text(r.ip),
                        text(r.user_agent),
                        text(r.origin),
                    ]);
                }
                g.droppable = vec!["ORIGIN".into(), "USER AGENT".into()];
                self.grid(g)
            }
        }
    }

    /// Says whose sessions ended.
    pub fn revoked(&self, ended: &[(User, u64)], dry_run: bool) -> Result<()> {
        for (user, n) in ended {
            let said = format!("ended {} of {}", super::counted(*n, "session"), user.email);
            self.note(match dry_run {
                true => format!("dry run: would have {said}; nothing was changed"),
                false => said,
            });
        }
        let rows: Vec<RevokedJson> = ended
            .iter()
            .map(|(u, n)| RevokedJson {
                id: &u.id,
                email: &u.email,
                revoked: *n,
                dry_run,
            })
            .collect();
        match self.format {
            Format::Json => self.json(&rows),
            Format::Csv | Format::Plain => {
                self.records(&rows, &["id", "email", "revoked", "dry_run"])
            }
            Format::Table => Ok(()),
        }
    }

    /// Says what `forget` erased and what it left (revisions, activity), or
    /// that the user was already forgotten.
    pub fn forgotten(&self, f: &Forgotten, dry_run: bool) -> Result<()> {
        let user = f.changed.user();
        let done = matches!(f.changed, Changed::Done { .. });
        let erased = match f.erased.is_empty() {
            true => String::new(),
            false => format!(" ({})", f.erased.join(", ")),
        };
        let said = match (done, dry_run) {
            (false, _) => format!("{} ({}) is already forgotten", user.email, user.id),
            (true, true) => format!(
                "dry run: would have erased the personal data and credentials of {}{erased}; nothing was changed",
                user.id
            ),
            (true, false) => format!(
                "erased the personal data and credentials of {}{erased}; its email is now {}",
                user.id, user.email
            ),
        };
        self.note(said);
        self.note(left_behind(f, dry_run));
        if self.format == Format::Json {
            return self.json(&serde_json::json!({
                "id": user.id, "email": user.email, "forgotten": done, "dry_run": dry_run,
                "erased": f.erased, "revisions_scrubbed": f.revisions_scrubbed,
                "revisions_kept": f.revisions_kept,
            }));
        }
        Ok(())
    }
}

/// What forget did to the row's revisions, and what it never touches.
fn left_behind(f: &Forgotten, dry_run: bool) -> String {
    let would = if dry_run { "would have " } else { "" };
    let revisions = match (f.revisions_scrubbed, f.revisions_kept) {
        (0, 0) => "no revision of the row holds a personal value".to_string(),
        (n, 0) => format!("{would}scrubbed the personal values from {}", revisions(n)),
        (_, n) => format!(
            "{} still {} earlier personal values (--scrub-revisions erases them)",
            revisions(n),
            if n == 1 { "holds" } else { "hold" }
        ),
    };
    format!(
        "{revisions}; not erased: the activity rows of the user's own actions (IP address, \
         browser) and the files and comments they made"
    )
}

fn revisions(n: u64) -> String {
    match n {
        1 => "1 revision of the row".to_string(),
        n => format!("{n} revisions of the row"),
    }
}
