//! Users for output: the view of a user every command prints, derived from the
//! field table, and `list`'s streaming table, JSON and CSV.

use super::safe_cell;
use super::{Held, Out, io_err, line};
use crate::cli::Format;
use crate::error::Result;
use crate::fields::{FIELDS, Field, Kind, Rule};
use crate::repo::User;
use serde::Serialize;
use std::io::Write;

/// A user as printed by `list`, `show`, `create`, ... (the JSON shape in the
/// README): every field of [`FIELDS`], in its order.
#[derive(Debug, Clone, Copy)]
pub struct UserView<'a>(pub &'a User);

impl<'a> From<&'a User> for UserView<'a> {
    fn from(u: &'a User) -> Self {
        UserView(u)
    }
}

/// One field's value for output.
enum Shown<'a> {
    Text(Option<&'a str>),
    Flag(Option<bool>),
    /// Stored JSON, shown as the value it is (text if it does not parse).
    Json(Option<&'a str>),
}

impl Serialize for Shown<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Shown::Text(t) => t.serialize(s),
            Shown::Flag(b) => b.serialize(s),
            Shown::Json(None) => s.serialize_none(),
            Shown::Json(Some(t)) => match serde_json::from_str::<serde_json::Value>(t) {
                Ok(v) => v.serialize(s),
                Err(_) => t.serialize(s),
            },
        }
    }
}

/// A field of a user as output shows it.
fn shown<'a>(u: &'a User, f: &Field) -> Shown<'a> {
    let yes = |b: bool| Shown::Flag(Some(b));
    match f.kind {
        Kind::Id => Shown::Text(Some(&u.id)),
        Kind::Email => Shown::Text(Some(&u.email)),
        Kind::Status => Shown::Text(Some(&u.status)),
        Kind::RoleName => Shown::Text(u.role_name.as_deref()),
        Kind::RoleId => Shown::Text(u.role.as_deref()),
        Kind::Admin => yes(u.is_admin),
        Kind::Profile(Rule::Bool) => Shown::Flag(u.profile.flag(f.name)),
        Kind::Profile(Rule::Json(_)) => Shown::Json(u.profile.get(f.name)),
        Kind::Profile(_) => Shown::Text(u.profile.get(f.name)),
        Kind::IsSet("password") => yes(u.has_password),
        Kind::IsSet("token") => yes(u.has_token),
        Kind::IsSet(_) => yes(u.tfa_enabled),
    }
}

impl Serialize for UserView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("User", FIELDS.len())?;
        for f in &FIELDS {
            st.serialize_field(f.name, &shown(self.0, f))?;
        }
        st.end()
    }
}

fn full_name(u: &User) -> String {
    [u.profile.get("first_name"), u.profile.get("last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Out {
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
                safe_cell(&u.email),
                safe_cell(full_name(&u)),
                safe_cell(role),
                self.status_cell(&u.status),
                safe_cell(&u.id),
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
                    serde_json::to_value(view).map_err(io_err)?
                {
                    for (k, v) in map {
                        let shown = match v {
                            serde_json::Value::Null => String::new(),
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        t.add_row(vec![
                            safe_cell(k),
                            if shown == u.status {
                                self.status_cell(&shown)
                            } else {
                                safe_cell(shown)
                            },
                        ]);
                    }
                }
                line(t)
            }
        }
    }
}

fn users_json(fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>) -> Result<()> {
    let mut out = Held::new(std::io::BufWriter::new(std::io::stdout().lock()));
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
    out.release().map_err(io_err)
}

/// Users as CSV for people and spreadsheets: every cell a spreadsheet would read
/// as a formula is defused (OWASP's advice). `export` keeps values exact instead.
fn users_csv(fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>) -> Result<()> {
    let out = Held::new(std::io::BufWriter::new(std::io::stdout().lock()));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(crate::fields::names()).map_err(io_err)?;
    fill(&mut |u| {
        let cells = FIELDS
            .iter()
            .map(|f| spreadsheet_safe(csv_text(&shown(&u, f))));
        w.write_record(cells).map_err(io_err)
    })?;
    let mut out = w.into_inner().map_err(|e| io_err(e.error()))?;
    out.release().map_err(io_err)
}

/// A value as CSV text: empty for none, `true`/`false` for flags.
fn csv_text(v: &Shown) -> String {
    match v {
        Shown::Text(t) => t.unwrap_or_default().to_string(),
        Shown::Flag(b) => b.map(|b| b.to_string()).unwrap_or_default(),
        Shown::Json(t) => t.unwrap_or_default().to_string(),
    }
}

/// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, so a spreadsheet shows it as text instead of running it.
pub(crate) fn spreadsheet_safe(cell: String) -> String {
    match cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{cell}"),
        false => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_for_spreadsheets() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("-2+3".into()), "'-2+3");
        assert_eq!(spreadsheet_safe("Ann".into()), "Ann");
    }

    #[test]
    fn csv_header_matches_the_view() {
        let user = User::default();
        let json = serde_json::to_value(UserView::from(&user)).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let header: Vec<&str> = crate::fields::names().collect();
        assert_eq!(keys, header);
    }
}
