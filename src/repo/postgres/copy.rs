//! Many rows at once by `COPY … FROM STDIN`, PostgreSQL's own bulk path: no
//! statement to parse or plan per batch, no JSON to decode, and it runs inside
//! roster's transaction, so transaction poolers carry it like any statement.

use super::super::db::{InsertMany, Value};
use super::values::input_text;
use crate::error::{Error, Result};
use postgres::Client;
use std::io::Write;

/// Rows encoded for one COPY, owning all they need, so that another thread can send them.
pub struct Copy {
    sql: String,
    data: String,
}

impl Copy {
    /// The rows in COPY's text format.
    pub fn of(rows: &InsertMany<'_>) -> Copy {
        Copy {
            sql: format!("COPY {} ({}) FROM STDIN", rows.table, rows.names.join(", ")),
            data: text_rows(rows.values, rows.names.len()),
        }
    }

    /// Copies the rows into their table.
    pub fn send(&self, client: &mut Client) -> Result<()> {
        let mut writer = client.copy_in(&self.sql).map_err(super::map_err)?;
        writer
            .write_all(self.data.as_bytes())
            .map_err(|e| Error::unavailable(format!("cannot send rows to PostgreSQL: {e}")))?;
        writer.finish().map_err(super::map_err).map(|_| ())
    }
}

/// The ids the next `n` rows of `table` get from its id sequence, in order; none
/// when its id has no sequence (then the database must assign them itself).
pub fn next_ids(client: &mut Client, table: &str, n: usize) -> Result<Option<Vec<i64>>> {
    // The sequence is looked up once (OFFSET 0 keeps the planner from inlining
    // the lookup into every row, where it cost more than the nextval itself).
    let sql = "SELECT nextval(q.s) FROM generate_series(1, $2), \
               (SELECT pg_get_serial_sequence($1, 'id')::regclass AS s OFFSET 0) q";
    let count = i32::try_from(n).unwrap_or(i32::MAX);
    let rows = client
        .query(sql, &[&table, &count])
        .map_err(super::map_err)?;
    let ids: Option<Vec<i64>> = rows.iter().map(|r| r.get::<_, Option<i64>>(0)).collect();
    Ok(ids.filter(|ids| ids.len() == n))
}

/// Rows of `width` values as COPY's text format: tab between fields, a newline
/// after each row, `\N` for NULL, and backslash escapes for what would break them.
fn text_rows(values: &[Value], width: usize) -> String {
    let mut out = String::with_capacity(values.len() * 24);
    for row in values.chunks(width.max(1)) {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            match v {
                Value::Null => out.push_str("\\N"),
                Value::Text(t) => push_escaped(&mut out, t),
                other => match input_text(other) {
                    Some(t) => push_escaped(&mut out, &t),
                    None => out.push_str("\\N"),
                },
            }
        }
        out.push('\n');
    }
    out
}

/// Text with what would end a field or a row escaped; most values need nothing,
/// so they are copied whole.
fn push_escaped(out: &mut String, text: &str) {
    if !text
        .bytes()
        .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rows_escape_what_would_end_a_field_or_a_row() {
        let values = [
            Value::from("a\tb\\c\nd\re"),
            Value::Null,
            Value::Int(7),
            Value::Bool(true),
            Value::from("\\N"),
            Value::Time(0),
        ];
        assert_eq!(
            text_rows(&values, 3),
            "a\\tb\\\\c\\nd\\re\t\\N\t7\ntrue\t\\\\N\t1970-01-01T00:00:00.000Z\n"
        );
    }
}
