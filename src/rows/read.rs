//! Reading rows from a file or stdin, one at a time, in any of the four formats.

use super::{Cell, FileFormat, FileRow};
use crate::error::{Error, Result};
use indicatif::ProgressBar;
use serde::de::{Deserializer, SeqAccess, Visitor};
use std::io::{BufRead, BufReader, Read};

type Each<'a> = &'a mut dyn FnMut(FileRow) -> Result<()>;

/// Reads the rows of `input`, handing each to `each` as it is
/// parsed; `bar` counts the bytes read.
pub fn read(input: impl Read, format: FileFormat, bar: &ProgressBar, each: Each) -> Result<()> {
    let input = BufReader::with_capacity(1 << 16, bar.wrap_read(input));
    match format {
        FileFormat::Csv => csv_rows(input, each),
        FileFormat::Json => json_rows(input, each),
        FileFormat::Jsonl => jsonl_rows(input, each),
        FileFormat::Toml => toml_rows(input, each),
    }
}

fn bad(where_: String, why: impl std::fmt::Display) -> Error {
    Error::validation(format!("{where_}: {why}"))
}

fn csv_rows(input: impl Read, each: Each) -> Result<()> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad("line 1".into(), format!("not a CSV header: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut record = csv::StringRecord::new();
    loop {
        let at = r.position().line();
        match r.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                return Err(bad(
                    format!("line {}", at.max(2)),
                    format!("not valid CSV: {e}"),
                ));
            }
        }
        let at = record.position().map_or(at, |p| p.line());
        let fields = header
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), Cell::Text(v.to_string())))
            .collect();
        each(FileRow { at, fields })?;
    }
}

/// The fields of one JSON object; null means "not given".
fn json_fields(value: serde_json::Value, where_: &str) -> Result<Vec<(String, Cell)>> {
    let serde_json::Value::Object(map) = value else {
        return Err(bad(where_.into(), "a row must be an object of fields"));
    };
    let mut fields = Vec::with_capacity(map.len());
    for (k, v) in map {
        let cell = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => Cell::Text(s),
            serde_json::Value::Bool(b) => Cell::Bool(b),
            serde_json::Value::Number(n) => Cell::Text(n.to_string()),
            _ => {
                return Err(bad(
                    where_.into(),
                    format!("field {k:?} must be text or a boolean"),
                ));
            }
        };
        fields.push((k, cell));
    }
    Ok(fields)
}

fn jsonl_rows(input: impl BufRead, each: Each) -> Result<()> {
    for (i, line) in input.lines().enumerate() {
        let at = i as u64 + 1;
        let line = line.map_err(|e| bad(format!("line {at}"), e))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| bad(format!("line {at}"), format!("not valid JSON: {e}")))?;
        let fields = json_fields(value, &format!("line {at}"))?;
        each(FileRow { at, fields })?;
    }
    Ok(())
}

/// Streams the elements of a top-level JSON array, so a large file is never held whole.
struct Rows<'a, 'b> {
    each: &'a mut Each<'b>,
    failed: &'a mut Option<Error>,
}

impl<'de> Visitor<'de> for Rows<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of user objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut at = 0u64;
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            let row = json_fields(value, &format!("users[{at}]"))
                .and_then(|fields| (self.each)(FileRow { at, fields }));
            if let Err(e) = row {
                *self.failed = Some(e);
                return Err(serde::de::Error::custom("stopped"));
            }
            at += 1;
        }
        Ok(())
    }
}

fn json_rows(input: impl Read, mut each: Each) -> Result<()> {
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_reader(input);
    let visited = de.deserialize_seq(Rows {
        each: &mut each,
        failed: &mut failed,
    });
    if let Some(e) = failed {
        return Err(e);
    }
    visited.and_then(|_| de.end()).map_err(|e| {
        bad(
            "the JSON file".into(),
            format!("not a JSON array of objects: {e}"),
        )
    })
}

fn toml_rows(mut input: impl Read, each: Each) -> Result<()> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| Error::usage(format!("cannot read the TOML file: {e}")))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| bad("the TOML file".into(), format!("not valid TOML: {e}")))?;
    for (key, value) in table {
        let toml::Value::Array(users) = value.clone() else {
            return Err(bad(key.to_string(), "expected [[users]] tables"));
        };
        if key != "users" {
            return Err(bad(
                key,
                "unknown table (a file of users has [[users]] tables)",
            ));
        }
        for (i, user) in users.into_iter().enumerate() {
            let at = i as u64;
            let fields = toml_fields(user, &format!("users[{at}]"))?;
            each(FileRow { at, fields })?;
        }
    }
    Ok(())
}

/// The fields of one `[[users]]` table.
pub fn toml_fields(value: toml::Value, where_: &str) -> Result<Vec<(String, Cell)>> {
    let toml::Value::Table(t) = value else {
        return Err(bad(where_.into(), "a row must be a table of fields"));
    };
    t.into_iter()
        .map(|(k, v)| {
            let cell = match v {
                toml::Value::String(s) => Cell::Text(s),
                toml::Value::Boolean(b) => Cell::Bool(b),
                toml::Value::Integer(n) => Cell::Text(n.to_string()),
                _ => {
                    return Err(bad(
                        where_.into(),
                        format!("field {k:?} must be text or a boolean"),
                    ));
                }
            };
            Ok((k, cell))
        })
        .collect()
}
