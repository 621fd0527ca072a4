//! Writing users to stdout in the four formats, one at a time (export streams).

use super::{Cell, FileFormat, export_names};
use crate::error::Result;
use crate::fields::{Kind, Rule, all};
use crate::output::{Held, io_err};
use crate::repo::Record;
use std::io::Write;

/// Writes records as they come; [`Writer::finish`] closes the document.
pub struct Writer<W: Write> {
    out: Sink<Held<W>>,
    format: FileFormat,
    names: Vec<&'static str>,
    rows: u64,
}

/// A record's exported values, in [`export_names`] order (`None`: not set).
fn cells(r: &Record, names: &[&'static str]) -> Vec<Option<Cell>> {
    names
        .iter()
        .map(|name| {
            if let Some((_, v)) = r.secrets.iter().find(|(n, _)| n == name) {
                return v.clone().map(Cell::Text);
            }
            let field = all().iter().find(|f| f.name == *name)?;
            let u = &r.user;
            let text = |v: Option<&str>| v.map(|v| Cell::Text(v.to_string()));
            match field.kind {
                Kind::Id => text(Some(&u.id)),
                Kind::Email => text(Some(&u.email)),
                Kind::Status => text(Some(&u.status)),
                Kind::RoleName => text(u.role_name.as_deref()),
                Kind::Profile(Rule::Bool) => u.profile.flag(name).map(Cell::Bool),
                Kind::Profile(Rule::Json(_)) => u.profile.get(name).map(json_cell),
                Kind::Profile(Rule::Custom(i)) => custom_cell(i, u.profile.get(name)),
                Kind::Profile(_) => text(u.profile.get(name)),
                _ => None,
            }
        })
        .collect()
}

/// A custom field's value as its type gives it: a boolean, a number, a list
/// or JSON as such, the rest as text.
fn custom_cell(i: u16, kept: Option<&str>) -> Option<Cell> {
    use crate::custom::Type;
    let kept = kept?;
    Some(match crate::fields::custom(i).kind {
        Type::Boolean => Cell::Bool(kept == "true"),
        Type::Integer | Type::Json | Type::Csv => json_cell(kept),
        _ => Cell::Text(kept.to_string()),
    })
}

/// Stored JSON as the value it is (text, should it not parse).
fn json_cell(text: &str) -> Cell {
    serde_json::from_str(text).map_or_else(|_| Cell::Text(text.to_string()), Cell::Json)
}

impl<W: Write> Writer<W> {
    /// Starts a document; the CSV header is written at once (an empty export has it too).
    pub fn new(out: W, format: FileFormat, with_secrets: bool) -> Result<Self> {
        let names = export_names(with_secrets);
        let mut out = Held::new(out);
        let out = match format {
            FileFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out);
                w.write_record(&names).map_err(io_err)?;
                Sink::Csv(Box::new(w))
            }
            FileFormat::Json => {
                out.write_all(b"[").map_err(io_err)?;
                Sink::Plain(out)
            }
            _ => Sink::Plain(out),
        };
        Ok(Writer {
            out,
            format,
            names,
            rows: 0,
        })
    }

    /// Writes text before the first record (an apply file's roles and policies).
    pub fn preamble(&mut self, text: &str) -> Result<()> {
        writeln!(self.out.plain()?, "{text}").map_err(io_err)
    }

    /// Writes one record.
    pub fn write(&mut self, r: &Record) -> Result<()> {
        let cells = cells(r, &self.names);
        match self.format {
            FileFormat::Csv => self.csv(&cells),
            FileFormat::Json => {
                let sep: &[u8] = if self.rows == 0 { b"\n  " } else { b",\n  " };
                let object = self.json(&cells);
                let out = self.out.plain()?;
                out.write_all(sep).map_err(io_err)?;
                serde_json::to_writer(out, &object).map_err(io_err)
            }
            FileFormat::Jsonl => {
                let object = self.json(&cells);
                let out = self.out.plain()?;
                serde_json::to_writer(&mut *out, &object).map_err(io_err)?;
                out.write_all(b"\n").map_err(io_err)
            }
            FileFormat::Toml => self.toml(&cells),
        }?;
        self.rows += 1;
        Ok(())
    }

    fn json(&self, cells: &[Option<Cell>]) -> serde_json::Map<String, serde_json::Value> {
        self.names
            .iter()
            .zip(cells)
            .map(|(n, c)| {
                let v = match c {
                    None => serde_json::Value::Null,
                    Some(Cell::Bool(b)) => serde_json::Value::Bool(*b),
                    Some(Cell::Text(t)) => serde_json::Value::String(t.clone()),
                    Some(Cell::Json(v)) => v.clone(),
                };
                (n.to_string(), v)
            })
            .collect()
    }

    fn csv(&mut self, cells: &[Option<Cell>]) -> Result<()> {
        let Sink::Csv(w) = &mut self.out else {
            return Ok(());
        };
        w.write_record(
            cells
                .iter()
                .map(|c| c.as_ref().map(Cell::text).unwrap_or_default()),
        )
        .map_err(io_err)
    }

    fn toml(&mut self, cells: &[Option<Cell>]) -> Result<()> {
        let mut table = toml::Table::new();
        for (n, c) in self.names.iter().zip(cells) {
            match c {
                Some(Cell::Bool(b)) => table.insert(n.to_string(), toml::Value::Boolean(*b)),
                Some(Cell::Text(t)) => table.insert(n.to_string(), toml::Value::String(t.clone())),
                // TOML has no null: JSON holding one goes as its text.
                Some(c @ Cell::Json(v)) => table.insert(
                    n.to_string(),
                    toml::Value::try_from(v).unwrap_or_else(|_| toml::Value::String(c.text())),
                ),
                None => None,
            };
        }
        let mut doc = toml::Table::new();
        doc.insert(
            "users".into(),
            toml::Value::Array(vec![toml::Value::Table(table)]),
        );
        let text = toml::to_string(&doc).map_err(io_err)?;
        let sep = if self.rows == 0 { "" } else { "\n" };
        write!(self.out.plain()?, "{sep}{text}").map_err(io_err)
    }

    /// Closes the document and flushes it.
    pub fn finish(mut self) -> Result<()> {
        if self.format == FileFormat::Json {
            let end: &[u8] = if self.rows == 0 { b"]\n" } else { b"\n]\n" };
            self.out.plain()?.write_all(end).map_err(io_err)?;
        }
        let mut out = match self.out {
            Sink::Csv(w) => w.into_inner().map_err(|e| io_err(e.error()))?,
            Sink::Plain(w) => w,
        };
        out.release().map_err(io_err)
    }
}

/// Where a document goes: CSV through one csv writer for the whole document.
enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Plain(W),
}

impl<W: Write> Sink<W> {
    /// The output for formats other than CSV.
    fn plain(&mut self) -> Result<&mut W> {
        match self {
            Sink::Plain(w) => Ok(w),
            Sink::Csv(_) => Err(crate::error::Error::Internal("CSV written as text".into())),
        }
    }
}
