//! Reading rows from a file or stdin, one at a time, in any of the four formats.

use super::{Cell, FileFormat, FileRow};
use crate::error::{Error, Result};
use indicatif::ProgressBar;
use serde::de::{Deserializer, SeqAccess, Visitor};
use std::io::{BufRead, BufReader, Read};

type Each<'a> = &'a mut dyn FnMut(FileRow) -> Result<()>;

/// How a CSV file separates its fields: given, or `None` to tell from its header
/// (a `;` from a European spreadsheet, a tab).
pub type Delimiter = Option<u8>;

/// Reads the rows of `input`, handing each to `each` as it is
/// parsed; `bar` counts the bytes read.
pub fn read(
    input: impl Read,
    format: FileFormat,
    delimiter: Delimiter,
    bar: &ProgressBar,
    each: Each,
) -> Result<()> {
    let mut input = BufReader::with_capacity(1 << 16, bar.wrap_read(input));
    // A byte-order mark (Windows tools write one) is no part of the rows.
    let head = input
        .fill_buf()
        .map_err(|e| Error::usage(format!("cannot read the file: {e}")))?;
    if head.starts_with("\u{feff}".as_bytes()) {
        input.consume(3);
    }
    match format {
        FileFormat::Csv => csv_rows(input, delimiter, each),
        FileFormat::Json => json_rows(input, each),
        FileFormat::Jsonl => jsonl_rows(input, each),
        FileFormat::Toml => toml_rows(input, each),
    }
}

/// A TOML parse error as its place and the parser's words, without the line it
/// quotes: that line may hold a password or a token.
pub fn toml_error(e: &toml::de::Error, text: &str) -> String {
    let message = e.message().trim_end();
    let Some(before) = e.span().and_then(|s| text.get(..s.start)) else {
        return message.to_string();
    };
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}: {message}")
}

/// Refuses a name given twice (exit 5): which of the two values was meant is not
/// for roster to guess.
fn refuse_repeated<'a>(
    names: impl Iterator<Item = &'a str>,
    where_: &str,
    what: &str,
) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(bad(
                where_.into(),
                format!("the {what} {name:?} is given twice"),
            ));
        }
    }
    Ok(())
}

fn bad(where_: String, why: impl std::fmt::Display) -> Error {
    Error::validation(format!("{where_}: {why}"))
}

fn csv_rows(input: impl BufRead, delimiter: Delimiter, each: Each) -> Result<()> {
    // Line endings as the csv reader counts lines: a CRLF file (Excel, Windows,
    // Python's csv module) was numbered one line too low.
    let mut input = BufReader::with_capacity(1 << 16, CrLf::new(input));
    let delimiter = match delimiter {
        Some(d) => d,
        None => delimiter_of(first_line(&mut input)?),
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(delimiter)
        .from_reader(input);
    // Header names in any case: `Email` from a spreadsheet is `email`.
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad("line 1".into(), format!("not a CSV header: {e}")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    refuse_repeated(header.iter().map(String::as_str), "line 1", "column")?;
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

/// The first line of the input, without consuming it (up to the buffer's size).
fn first_line(input: &mut impl BufRead) -> Result<&[u8]> {
    let head = input
        .fill_buf()
        .map_err(|e| Error::usage(format!("cannot read the CSV file: {e}")))?;
    Ok(head.split(|b| *b == b'\n').next().unwrap_or(head))
}

/// The separator a header line uses: the most frequent of `,`, `;` and tab
/// outside quotes; `,` when there is none (a one-column file).
pub fn delimiter_of(header: &[u8]) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            _ => counts
                .iter_mut()
                .filter(|(d, _)| d == b)
                .for_each(|(_, n)| *n += 1),
        }
    }
    // On a tie the earlier wins: `,` before `;` before tab.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

/// A reader that turns every CRLF into LF as it reads.
struct CrLf<R> {
    inner: R,
    /// A CR that ended the last read, not yet known to start a CRLF.
    held_cr: bool,
}

impl<R: BufRead> CrLf<R> {
    fn new(inner: R) -> Self {
        CrLf {
            inner,
            held_cr: false,
        }
    }
}

impl<R: BufRead> Read for CrLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n == 0 && !out.is_empty() {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                if std::mem::take(&mut self.held_cr) {
                    out[0] = b'\r';
                    n = 1;
                }
                break;
            }
            let mut used = 0;
            while used < buf.len() && n < out.len() {
                let byte = buf[used];
                // A CR held from before: dropped before an LF, given back otherwise
                // (and the byte after it looked at again).
                if std::mem::take(&mut self.held_cr) && byte != b'\n' {
                    out[n] = b'\r';
                    n += 1;
                    continue;
                }
                match byte {
                    b'\r' => self.held_cr = true,
                    _ => {
                        out[n] = byte;
                        n += 1;
                    }
                }
                used += 1;
            }
            self.inner.consume(used);
        }
        Ok(n)
    }
}

/// A JSON row as written: its fields in file order with repeated keys kept
/// (a map would keep the last without a word), or `None` when it is no object.
struct JsonRow(Option<Vec<(String, serde_json::Value)>>);

impl<'de> serde::Deserialize<'de> for JsonRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(JsonRowVisitor)
    }
}

struct JsonRowVisitor;

impl<'de> Visitor<'de> for JsonRowVisitor {
    type Value = JsonRow;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a user object")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(
        self,
        mut map: M,
    ) -> std::result::Result<JsonRow, M::Error> {
        let mut fields = Vec::new();
        while let Some(entry) = map.next_entry()? {
            fields.push(entry);
        }
        Ok(JsonRow(Some(fields)))
    }

    // Anything else is read whole and refused by [`json_fields`], naming the row.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<JsonRow, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(JsonRow(None))
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<JsonRow, E> {
        Ok(JsonRow(None))
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<JsonRow, E> {
        Ok(JsonRow(None))
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<JsonRow, E> {
        Ok(JsonRow(None))
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<JsonRow, E> {
        Ok(JsonRow(None))
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<JsonRow, E> {
        Ok(JsonRow(None))
    }
    fn visit_unit<E>(self) -> std::result::Result<JsonRow, E> {
        Ok(JsonRow(None))
    }
}

/// The fields of one JSON object; null means "not given"; a key given twice is refused.
fn json_fields(row: JsonRow, where_: &str) -> Result<Vec<(String, Cell)>> {
    let Some(map) = row.0 else {
        return Err(bad(where_.into(), "a row must be an object of fields"));
    };
    refuse_repeated(map.iter().map(|(k, _)| k.as_str()), where_, "field")?;
    let mut fields = Vec::with_capacity(map.len());
    for (k, v) in map {
        let cell = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => Cell::Text(s),
            serde_json::Value::Bool(b) => Cell::Bool(b),
            serde_json::Value::Number(n) => Cell::Text(n.to_string()),
            // Tags, theme overrides and SSO data: checked by the field's rule.
            other => Cell::Json(other),
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
        let value: JsonRow = serde_json::from_str(&line)
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
        while let Some(value) = seq.next_element::<JsonRow>()? {
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
    let table: toml::Table = text.parse().map_err(|e| {
        bad(
            "the TOML file".into(),
            format!("not valid TOML: {}", toml_error(&e, &text)),
        )
    })?;
    for (key, value) in table {
        let toml::Value::Array(users) = value.clone() else {
            return Err(bad(key.to_string(), "expected [[users]] tables"));
        };
        if key == "roles" {
            return Err(bad(key, "an import file has only [[users]] tables").hint(
                "a file that declares [[roles]] is an apply file: `roster apply FILE` reads it",
            ));
        }
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
            let cell =
                match v {
                    toml::Value::String(s) => Cell::Text(s),
                    toml::Value::Boolean(b) => Cell::Bool(b),
                    toml::Value::Integer(n) => Cell::Text(n.to_string()),
                    toml::Value::Float(n) => Cell::Text(n.to_string()),
                    toml::Value::Datetime(t) => Cell::Text(t.to_string()),
                    // Tags, theme overrides and SSO data: checked by the field's rule.
                    other => Cell::Json(serde_json::to_value(other).map_err(|e| {
                        bad(where_.into(), format!("field {k:?} cannot be read: {e}"))
                    })?),
                };
            Ok((k, cell))
        })
        .collect()
}
