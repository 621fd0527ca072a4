//! The small SQL surface every database offers the repository: values, rows,
//! transactions and introspection. Each dialect implements [`Db`] once.

use crate::error::{Error, Result};
use std::collections::HashMap;

/// A value bound to or read from a statement, independent of the database.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
    /// A timestamp in epoch milliseconds (SQLite stores it so; PostgreSQL as timestamptz;
    /// MySQL as a UTC timestamp in whole seconds).
    Time(i64),
}

impl Value {
    /// `Text` for `Some`, `Null` for `None`.
    pub fn opt(v: Option<&str>) -> Value {
        v.map_or(Value::Null, |s| Value::Text(s.to_string()))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

/// One result row, read by position.
#[derive(Debug, Clone)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Text at `i`, `None` when NULL (numbers are shown as text).
    pub fn text(&self, i: usize) -> Option<String> {
        match self.0.get(i) {
            Some(Value::Text(s)) => Some(s.clone()),
            Some(Value::Int(n)) | Some(Value::Time(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Text at `i`, or an empty string when NULL.
    pub fn string(&self, i: usize) -> String {
        self.text(i).unwrap_or_default()
    }

    /// A boolean however the database spelled it (true, 1, '1', 'true').
    pub fn flag(&self, i: usize) -> Option<bool> {
        match self.0.get(i)? {
            Value::Bool(b) => Some(*b),
            Value::Int(n) => Some(*n != 0),
            Value::Text(s) => Some(matches!(s.as_str(), "1" | "true" | "t")),
            _ => None,
        }
    }

    /// An integer (or timestamp in epoch ms) at `i`.
    pub fn int(&self, i: usize) -> Option<i64> {
        match self.0.get(i)? {
            Value::Int(n) | Value::Time(n) => Some(*n),
            Value::Text(s) => s.parse().ok(),
            _ => None,
        }
    }
}

/// A column as the database describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnType {
    pub name: String,
    /// The type, lower-cased, as the database spells it (`varchar(40)`,
    /// `character varying`, `tinyint(1)`, `json`).
    pub sql_type: String,
    /// The most characters a text column holds.
    pub max_length: Option<u64>,
    pub nullable: bool,
    pub has_default: bool,
}

impl ColumnType {
    fn of_row(r: &Row) -> ColumnType {
        let nullable = match r.text(3).as_deref() {
            Some("YES") | Some("yes") => true,
            Some("NO") | Some("no") => false,
            _ => !r.flag(3).unwrap_or(false),
        };
        let sql_type = r.string(1).to_lowercase();
        // SQLite keeps the length in the declared type only: varchar(40).
        let declared = (sql_type.contains("char"))
            .then(|| {
                sql_type
                    .split_once('(')?
                    .1
                    .trim_end_matches(')')
                    .trim()
                    .parse()
                    .ok()
            })
            .flatten();
        ColumnType {
            name: r.string(0),
            max_length: r.int(2).and_then(|n| u64::try_from(n).ok()).or(declared),
            sql_type,
            nullable,
            // MariaDB reports a nullable column's implicit default as the text NULL.
            has_default: r.text(4).is_some_and(|d| !d.eq_ignore_ascii_case("null")),
        }
    }
}

/// A connection to one database. Statements use `?` placeholders; the
/// PostgreSQL side numbers them and converts values to each parameter's type.
/// Where the databases differ, a method says what roster needs and each
/// database answers it: shared code never asks which database it is talking to.
pub trait Db {
    /// Starts a write transaction that serialises with other writers.
    fn begin(&mut self) -> Result<()>;
    fn commit(&mut self) -> Result<()>;
    fn rollback(&mut self) -> Result<()>;
    /// Runs a statement and returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Runs a query, handing each row to `each` as it arrives (streamed).
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()>;
    /// A table's columns with their types, in table order (empty: no such table).
    fn column_types(&mut self, table: &str) -> Result<Vec<ColumnType>> {
        let sql = self.describe_columns_sql();
        let rows = self.query(sql, &[Value::from(table)])?;
        Ok(rows.iter().map(ColumnType::of_row).collect())
    }
    /// The column names of a table, empty when the table does not exist.
    fn columns(&mut self, table: &str) -> Result<Vec<String>> {
        let mut found = self.table_columns(&[table])?;
        Ok(found.remove(table).unwrap_or_default())
    }
    /// The columns of each of these tables that exists, in table order, in one query.
    fn table_columns(&mut self, tables: &[&str]) -> Result<HashMap<String, Vec<String>>>;
    /// The query that describes a table's columns, one row each in table order:
    /// name, type as the database spells it, maximum length, nullable (text
    /// `YES`/`NO` or a flag), default (NULL for none). Its one `?` is the table.
    fn describe_columns_sql(&self) -> &'static str;
    /// Serialises writers on one key (a lower-cased email) until the transaction ends.
    fn lock_key(&mut self, key: &str) -> Result<()>;
    /// Rows of `width` columns written by one [`Db::insert_many`].
    fn batch_rows(&self, width: usize) -> usize {
        super::batch::rows_per_insert(width)
    }
    /// Serialises writers on the lock buckets of many keys at once (an import's
    /// emails), taken in one order so that two writers never wait on each other
    /// in a cycle.
    fn lock_buckets(&mut self, buckets: &std::collections::BTreeSet<u64>) -> Result<()>;
    /// The ORDER BY of a listing of `directus_users u`: byte order of the stored
    /// email whatever the collation, users without an email last, then by id, in
    /// a spelling that lets the database walk its email index where it can.
    fn user_order(&self) -> &'static str;
    /// Conditions that `u.email` folds to the (lower-cased) key bound to each of
    /// their `?`, tried in turn until one finds a user: `lower(u.email) = ?`, the
    /// last, in spellings the database serves from an index where it has one, so
    /// that a lookup by email of a user who exists does not scan the table.
    fn email_matches(&self) -> &'static [&'static str];
    /// Whether the unique index on email, through its collation, takes emails that
    /// `lower()` keeps apart (é and e, ß and s) for one.
    fn email_collation_folds(&self) -> bool;
    /// Refuses to commit when what roster opened is no longer the database the
    /// operator named (a SQLite file deleted or replaced meanwhile): the work would
    /// land in a file nobody sees.
    fn confirm_target(&mut self) -> Result<()>;
    /// Runs an INSERT of one row into a table whose id the database assigns
    /// (`directus_activity`), and returns that id.
    fn insert_id(&mut self, sql: &str, params: &[Value]) -> Result<i64>;
    /// [`Db::insert_many`] into a table whose ids the database assigns, and the id
    /// of each row by the text of its `key` column (unique among the rows).
    fn insert_ids(&mut self, rows: &InsertMany<'_>, key: &str) -> Result<HashMap<String, i64>>;
    /// Creates what is missing of roster's standalone schema (tables only; rows are
    /// added by the repository).
    fn create_standalone_tables(&mut self) -> Result<()>;
    /// Waits for a write still running (see `pipelined`) and returns its
    /// outcome; databases that never leave one running have nothing to wait for.
    fn settle(&mut self) -> Result<()> {
        Ok(())
    }

    /// All rows of a query.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut rows = Vec::new();
        self.query_each(sql, params, &mut |r| {
            rows.push(r);
            Ok(())
        })?;
        Ok(rows)
    }

    /// One INSERT of many rows that set the same columns (`values` row after row),
    /// returning the `returning` columns of every row where asked (SQLite and
    /// PostgreSQL only). `json` names the columns whose values are JSON documents.
    /// A multi-row VALUES list here; PostgreSQL sends the rows as one JSON value.
    fn insert_many(&mut self, rows: &InsertMany<'_>) -> Result<Vec<Row>>;

    /// The first row of a query, if any.
    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The first column of the first row, which must exist.
    fn query_int(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.query_opt(sql, params)?
            .and_then(|r| r.int(0))
            .ok_or_else(|| Error::Internal(format!("query returned no number: {sql}")))
    }
}

/// [`Db::insert_many`] as one multi-row `INSERT … VALUES (…), (…)`: how SQLite
/// and MySQL write a batch (PostgreSQL sends its rows as one JSON value).
pub fn insert_values<D: Db + ?Sized>(db: &mut D, rows: &InsertMany<'_>) -> Result<Vec<Row>> {
    rows.run(db, &values_sql(rows), rows.values)
}

/// The multi-row `INSERT … VALUES (?, …), (?, …)` of the rows.
pub fn values_sql(rows: &InsertMany<'_>) -> String {
    let width = rows.names.len();
    let one = format!("({})", placeholders(width));
    format!(
        "INSERT INTO {} ({}) VALUES {}",
        rows.table,
        rows.names.join(", "),
        vec![one; rows.values.len() / width.max(1)].join(", ")
    )
}

/// Rows for [`Db::insert_many`].
#[derive(Clone, Copy)]
pub struct InsertMany<'a> {
    pub table: &'a str,
    /// Column names as SQL spells them (`"user"` quoted).
    pub names: &'a [&'a str],
    pub values: &'a [Value],
    pub json: &'a [&'a str],
    pub returning: Option<&'a str>,
}

impl InsertMany<'_> {
    /// Runs an INSERT built for these rows, with RETURNING when they ask for it.
    pub fn run<D: Db + ?Sized>(&self, db: &mut D, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        match self.returning {
            Some(cols) => db.query(&format!("{sql} RETURNING {cols}"), params),
            None => db.execute(sql, params).map(|_| Vec::new()),
        }
    }
}

/// [`Db::insert_ids`] for a database with `INSERT … RETURNING`.
pub fn returned_ids<D: Db + ?Sized>(
    db: &mut D,
    rows: &InsertMany<'_>,
    key: &str,
) -> Result<HashMap<String, i64>> {
    let returning = format!("id, {key}");
    let rows = InsertMany {
        returning: Some(&returning),
        ..*rows
    };
    let returned = db.insert_many(&rows)?.into_iter();
    Ok(returned
        .filter_map(|r| Some((r.string(1), r.int(0)?)))
        .collect())
}

/// A JSON string literal, escaped as serde_json escapes it (`"`, `\\` and the
/// control characters below U+0020), without a `Value` or a buffer in between.
pub fn push_json_str(out: &mut String, t: &str) {
    out.push('"');
    if !t.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(t);
    } else {
        for c in t.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
    }
    out.push('"');
}

/// `?, ?, ?` for `n` parameters.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Groups (table, column) rows into each table's columns, keeping their order.
pub fn group_columns(rows: Vec<Row>) -> HashMap<String, Vec<String>> {
    let mut tables: HashMap<String, Vec<String>> = HashMap::new();
    for r in rows {
        tables.entry(r.string(0)).or_default().push(r.string(1));
    }
    tables
}

/// A database server's own words, as one line labelled as theirs (`PostgreSQL
/// said: "…"`, control characters escaped), so a line break in them can never
/// pass for an `error:` or `hint:` line of roster's.
pub fn server_said(server: &str, words: &str) -> String {
    let words = crate::output::safe::clean(words.trim_end());
    format!("{server} said: \"{words}\"")
}

/// DDL that makes only what is missing (`CREATE TABLE IF NOT EXISTS`, and so
/// for indexes), so `init` can finish what an interrupted one began.
pub fn if_not_exists(ddl: &str) -> String {
    ddl.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ")
        .replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ")
        .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ")
}

/// The message for a database that lacks a table or column roster needs.
pub fn missing_schema(detail: &str) -> String {
    format!(
        "the database lacks something roster needs ({detail}): is it a Directus 10/11 or roster database? \
         (`roster doctor` shows what roster found)"
    )
}
