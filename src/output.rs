//! Rendering for people and for programs: views made for output (never database
//! rows) as a table, JSON or CSV on stdout; notes on stderr.

use crate::cli::Format;
use crate::error::{Error, Result};
use crate::repo::{Role, User};
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use serde::Serialize;
use std::io::Write;

/// A user as printed by `list`, `show`, `create`, ... (the JSON shape in the README).
#[derive(Debug, Clone, Serialize)]
pub struct UserView<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub status: &'a str,
    pub role: Option<&'a str>,
    pub role_id: Option<&'a str>,
    pub admin: bool,
    pub title: Option<&'a str>,
    pub company: Option<&'a str>,
    pub timezone: Option<&'a str>,
    pub language: Option<&'a str>,
    pub theme: Option<&'a str>,
    pub avatar: Option<&'a str>,
    pub email_notifications: Option<bool>,
    pub password_set: bool,
    pub token_set: bool,
    pub tfa_enabled: bool,
    pub provider: Option<&'a str>,
    pub last_access: Option<String>,
}

impl<'a> From<&'a User> for UserView<'a> {
    fn from(u: &'a User) -> Self {
        UserView {
            id: &u.id,
            email: &u.email,
            first_name: u.first_name.as_deref(),
            last_name: u.last_name.as_deref(),
            status: &u.status,
            role: u.role_name.as_deref(),
            role_id: u.role.as_deref(),
            admin: u.is_admin,
            title: u.title.as_deref(),
            company: u.company.as_deref(),
            timezone: u.timezone.as_deref(),
            language: u.language.as_deref(),
            theme: u.appearance.as_deref(),
            avatar: u.avatar.as_deref(),
            email_notifications: u.email_notifications,
            password_set: u.has_password,
            token_set: u.has_token,
            tfa_enabled: u.tfa_enabled,
            provider: u.provider.as_deref(),
            last_access: u.last_access.map(iso_time),
        }
    }
}

/// Epoch milliseconds as RFC 3339 in UTC.
pub fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| ms.to_string())
}

fn full_name(u: &User) -> String {
    [u.first_name.as_deref(), u.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where and how output goes for one run.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub format: Format,
    pub quiet: bool,
    pub color: bool,
}

/// An output failure; a reader that went away (`roster list | head`) is named as such.
fn io_err(e: impl std::fmt::Display) -> Error {
    let msg = e.to_string();
    if msg.contains("Broken pipe") {
        return Error::Internal("standard output was closed before roster finished writing".into());
    }
    Error::Internal(format!("cannot write output: {msg}"))
}

/// Writes a secret shown once (a generated password or token, an invite link).
/// Output that goes nowhere is refused: the secret would be stored but unseen.
pub fn secret(text: &str) -> Result<()> {
    secret_can_be_shown()?;
    line(text)
}

/// Refuses (exit 2) to make a secret that would be stored but never seen: stdout
/// closed or /dev/null. Commands call it before any work; [`secret`] again.
pub fn secret_can_be_shown() -> Result<()> {
    if stdout_goes_nowhere() {
        return Err(Error::usage(
            "standard output is closed or /dev/null, so the secret would be lost; nothing was changed",
        ));
    }
    Ok(())
}

/// Whether stdout is /dev/null (Rust reopens a closed stdout as /dev/null).
fn stdout_goes_nowhere() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
        return true;
    };
    let out = std::fs::File::from(fd).metadata();
    let null = std::fs::metadata("/dev/null");
    let (Ok(out), Ok(null)) = (out, null) else {
        return false;
    };
    out.rdev() == null.rdev() && out.dev() == null.dev() && out.ino() == null.ino()
}

/// Writes one line of data to stdout; a closed pipe is an error, never a panic.
pub fn line(text: impl std::fmt::Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|_| out.flush())
        .map_err(io_err)
}

impl Out {
    /// A message for the person at the terminal (stderr), unless `--quiet`.
    pub fn note(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// Prints any serialisable value as pretty JSON on stdout.
    pub fn json(&self, value: &impl Serialize) -> Result<()> {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value).map_err(io_err)?;
        writeln!(out).map_err(io_err)
    }

    fn table(&self, header: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .apply_modifier(comfy_table::modifiers::UTF8_ROUND_CORNERS)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header.iter().map(Cell::new));
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t
    }

    fn status_cell(&self, status: &str) -> Cell {
        let cell = Cell::new(status);
        if !self.color {
            return cell;
        }
        match status {
            "active" => cell.fg(Color::Green),
            "invited" | "draft" => cell.fg(Color::Yellow),
            "suspended" => cell.fg(Color::Red),
            _ => cell.fg(Color::DarkGrey),
        }
    }

    /// Prints users as they stream from the database; JSON and CSV never hold them all.
    pub fn users(
        &self,
        fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        match self.format {
            Format::Table => self.users_table(fill),
            Format::Json => users_json(fill),
            Format::Csv => users_csv(fill),
        }
    }

    fn users_table(
        &self,
        fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let mut t = self.table(&["EMAIL", "NAME", "ROLE", "STATUS", "ID"]);
        let mut count = 0;
        fill(&mut |u| {
            count += 1;
            let role = u.role_name.clone().unwrap_or_default();
            let role = if u.is_admin {
                format!("{role} (admin)")
            } else {
                role
            };
            t.add_row(vec![
                Cell::new(&u.email),
                Cell::new(full_name(&u)),
                Cell::new(role),
                self.status_cell(&u.status),
                Cell::new(&u.id),
            ]);
            Ok(())
        })?;
        if count == 0 {
            self.note("no users match");
            return Ok(());
        }
        line(t)
    }

    /// Prints one user: a two-column table, or the JSON object.
    pub fn user(&self, u: &User) -> Result<()> {
        let view = UserView::from(u);
        match self.format {
            Format::Json => self.json(&view),
            Format::Csv => users_csv(|each| each(u.clone())),
            Format::Table => {
                let mut t = self.table(&["FIELD", "VALUE"]);
                if let serde_json::Value::Object(map) =
                    serde_json::to_value(&view).map_err(io_err)?
                {
                    for (k, v) in map {
                        let shown = match v {
                            serde_json::Value::Null => String::new(),
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        t.add_row(vec![
                            Cell::new(k),
                            if shown == u.status {
                                self.status_cell(&shown)
                            } else {
                                Cell::new(shown)
                            },
                        ]);
                    }
                }
                line(t)
            }
        }
    }

    /// Prints roles.
    pub fn roles(&self, roles: &[Role]) -> Result<()> {
        match self.format {
            Format::Json => self.json(&roles),
            Format::Csv => {
                let mut w = csv::Writer::from_writer(std::io::stdout().lock());
                roles
                    .iter()
                    .try_for_each(|r| w.serialize(r))
                    .map_err(io_err)?;
                w.flush().map_err(io_err)
            }
            Format::Table => {
                let mut t = self.table(&["NAME", "ADMIN", "APP", "USERS", "ID"]);
                let yes = |b: bool| if b { "yes" } else { "no" };
                for r in roles {
                    t.add_row(vec![
                        r.name.clone(),
                        yes(r.admin_access).into(),
                        yes(r.app_access).into(),
                        r.users.to_string(),
                        r.id.clone(),
                    ]);
                }
                line(t)
            }
        }
    }
}

fn users_json(fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut first = true;
    out.write_all(b"[").map_err(io_err)?;
    fill(&mut |u| {
        out.write_all(if first { b"\n  " } else { b",\n  " })
            .map_err(io_err)?;
        first = false;
        serde_json::to_writer(&mut out, &UserView::from(&u)).map_err(io_err)
    })?;
    out.write_all(if first { b"]\n" } else { b"\n]\n" })
        .map_err(io_err)?;
    out.flush().map_err(io_err)
}

/// The CSV header, which an empty list prints too (serde writes it only with a row).
const USER_COLUMNS: [&str; 20] = [
    "id",
    "email",
    "first_name",
    "last_name",
    "status",
    "role",
    "role_id",
    "admin",
    "title",
    "company",
    "timezone",
    "language",
    "theme",
    "avatar",
    "email_notifications",
    "password_set",
    "token_set",
    "tfa_enabled",
    "provider",
    "last_access",
];

fn users_csv(fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>) -> Result<()> {
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(std::io::stdout().lock()));
    let mut rows = 0;
    fill(&mut |u| {
        rows += 1;
        w.serialize(UserView::from(&u)).map_err(io_err)
    })?;
    if rows == 0 {
        let header = USER_COLUMNS.iter();
        w.write_record(header).map_err(io_err)?;
    }
    w.flush().map_err(io_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_header_matches_the_view() {
        let user = User {
            id: "i".into(),
            email: "e".into(),
            first_name: None,
            last_name: None,
            status: "active".into(),
            role: None,
            role_name: None,
            title: None,
            company: None,
            timezone: None,
            language: None,
            appearance: None,
            email_notifications: None,
            avatar: None,
            provider: None,
            has_password: false,
            has_token: false,
            tfa_enabled: false,
            is_admin: false,
            last_access: None,
        };
        let json = serde_json::to_value(UserView::from(&user)).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let header: Vec<&str> = USER_COLUMNS.to_vec();
        assert_eq!(keys, header);
    }
}
