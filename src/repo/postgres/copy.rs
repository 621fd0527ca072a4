//! Many rows at once by `COPY … FROM STDIN`, PostgreSQL's own bulk path: no
//! statement to parse or plan per batch, no JSON to decode, and it runs inside
//! roster's transaction, so transaction poolers carry it like any statement.

use super::super::db::InsertMany;
use super::super::tsv;
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
            data: tsv::rows(rows.values, rows.names.len(), input_text),
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

#[cfg(test)]
mod tests {
    use super::super::super::db::Value;
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
            tsv::rows(&values, 3, input_text),
            "a\\tb\\\\c\\nd\\re\t\\N\t7\ntrue\t\\\\N\t1970-01-01T00:00:00.000Z\n"
        );
    }
}
