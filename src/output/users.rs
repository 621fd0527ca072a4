//! Users for output: the view of a user every command prints, derived from the
//! field table, and `list`'s streaming table, JSON and CSV.

use super::grid::plain_cell;
use super::{Grid, Held, Out, io_err};
use crate::cli::Format;
use crate::error::Result;
use crate::fields::{Field, Kind, Rule, all};
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
        Kind::Profile(Rule::Custom(i)) => custom_shown(u, f, i),
        Kind::Profile(_) => Shown::Text(u.profile.get(f.name)),
        Kind::IsSet("password") => yes(u.has_password),
        Kind::IsSet("token") => yes(u.has_token),
        Kind::IsSet(_) => yes(u.tfa_enabled),
    }
}

/// A custom field as output shows it: numbers, lists and JSON as what they
/// are, a boolean as one, the rest as text.
fn custom_shown<'a>(u: &'a User, f: &Field, i: u16) -> Shown<'a> {
    use crate::custom::Type;
    let v = u.profile.get(f.name);
    match crate::fields::custom(i).kind {
        Type::Boolean => Shown::Flag(u.profile.flag(f.name)),
        // Decimals as text, as Directus returns them: every digit kept.
        Type::Integer | Type::Json | Type::Csv => Shown::Json(v),
        _ => Shown::Text(v),
    }
}

impl Serialize for UserView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("User", all().len())?;
        for f in all() {
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

/// The columns `list` shows in a table and plain lines unless `--columns` says.
pub const TABLE_COLUMNS: [&str; 5] = ["email", "name", "role", "status", "id"];

/// The columns `list --columns` takes: `name` (first and last), then every
/// field of the view.
pub fn column_names() -> impl Iterator<Item = &'static str> {
    std::iter::once("name").chain(crate::fields::names())
}

/// The columns of a `--columns` list (comma-separated), each checked (exit 2).
pub fn columns(spec: &str) -> Result<Vec<&'static str>> {
    let picked: Vec<&'static str> = spec
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            column_names()
                .find(|n| n.eq_ignore_ascii_case(c))
                .ok_or_else(|| {
                    let known: Vec<&str> = column_names().collect();
                    crate::error::Error::usage(format!(
                        "--columns: no column {c:?}; the columns are {}",
                        known.join(", ")
                    ))
                })
        })
        .collect::<Result<_>>()?;
    match picked.is_empty() {
        true => Err(crate::error::Error::usage(
            "--columns names no column (give a list such as email,role,status)",
        )),
        false => Ok(picked),
    }
}

/// A column of a user as text: `name` joined, a field as CSV shows it.
fn column_text(u: &User, column: &str) -> String {
    match all().iter().find(|f| f.name == column) {
        Some(f) => csv_text(&shown(u, f)),
        None => full_name(u),
    }
}

/// Which columns a listing shows, as the command line asked.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// `--columns`, when given.
    pub picked: Option<Vec<&'static str>>,
}

impl Columns {
    /// The columns of a table or plain lines.
    fn shown(&self) -> Vec<&'static str> {
        self.picked
            .clone()
            .unwrap_or_else(|| TABLE_COLUMNS.to_vec())
    }
}

impl Out {
    /// Prints users as they stream from the database; JSON, CSV and plain lines
    /// never hold them all.
    pub fn users(
        &self,
        columns: &Columns,
        fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        match self.format {
            Format::Table => self.users_table(columns, fill),
            Format::Json => users_json(fill),
            Format::Csv => self.users_csv(columns.picked.as_deref(), fill),
            Format::Plain => self.users_plain(&columns.shown(), fill),
        }
    }

    fn users_table(
        &self,
        columns: &Columns,
        fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let shown = columns.shown();
        let header: Vec<String> = shown.iter().map(|c| heading(c)).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut g = Grid::new(&header);
        g.status = shown.iter().position(|c| *c == "status");
        if columns.picked.is_none() {
            g.droppable = vec!["ID".into()];
        }
        fill(&mut |u| {
            g.rows
                .push(shown.iter().map(|c| table_text(&u, c)).collect());
            Ok(())
        })?;
        if g.rows.is_empty() {
            self.note("no users match");
            return Ok(());
        }
        self.grid(g)
    }

    fn users_plain(
        &self,
        shown: &[&'static str],
        fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let mut out = Held::new(std::io::BufWriter::new(std::io::stdout().lock()));
        if self.headers {
            writeln!(out, "{}", shown.join("\t")).map_err(io_err)?;
        }
        fill(&mut |u| {
            let cells: Vec<String> = shown
                .iter()
                .map(|c| plain_cell(&column_text(&u, c)))
                .collect();
            writeln!(out, "{}", cells.join("\t")).map_err(io_err)
        })?;
        out.release().map_err(io_err)
    }

    /// Prints one user: a two-column table, or the JSON object.
    pub fn user(&self, u: &User) -> Result<()> {
        let view = UserView::from(u);
        match self.format {
            Format::Json => self.json(&view),
            Format::Csv => self.users_csv(None, |each| each(u.clone())),
            Format::Plain => self
                .users_plain(&crate::fields::names().collect::<Vec<_>>(), |each| {
                    each(u.clone())
                }),
            Format::Table => {
                let mut g = Grid::new(&["FIELD", "VALUE"]);
                if let serde_json::Value::Object(map) =
                    serde_json::to_value(view).map_err(io_err)?
                {
                    for (k, v) in map {
                        g.rows.push(vec![k, super::value_text(&v)]);
                    }
                }
                self.grid(g)
            }
        }
    }

    /// Users as CSV for people and spreadsheets: every cell a spreadsheet would
    /// read as a formula is defused (OWASP's advice). `export` keeps values exact.
    fn users_csv(
        &self,
        picked: Option<&[&'static str]>,
        fill: impl FnOnce(&mut dyn FnMut(User) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let all: Vec<&'static str> = crate::fields::names().collect();
        let shown = picked.unwrap_or(&all);
        let out = Held::new(std::io::BufWriter::new(std::io::stdout().lock()));
        let mut w = csv::Writer::from_writer(out);
        if self.headers {
            w.write_record(shown).map_err(io_err)?;
        }
        fill(&mut |u| {
            let cells = shown.iter().map(|c| spreadsheet_safe(column_text(&u, c)));
            w.write_record(cells).map_err(io_err)
        })?;
        let mut out = w.into_inner().map_err(|e| io_err(e.error()))?;
        out.release().map_err(io_err)
    }
}

/// A column's heading in a table: `last_access` as LAST ACCESS.
fn heading(column: &str) -> String {
    column.replace('_', " ").to_uppercase()
}

/// A column of a user in a table: the role marked when it is an admin role.
fn table_text(u: &User, column: &str) -> String {
    match column {
        "role" if u.is_admin => format!("{} (admin)", u.role_name.as_deref().unwrap_or_default()),
        _ => column_text(u, column),
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
