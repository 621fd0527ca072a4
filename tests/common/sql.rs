//! The test's own SQL on each engine: rows as text, statements, and the
//! connection details (a database name in a URL, MySQL's session settings).

use super::Backend;

/// Rows of a query on `url`, every value as text (NULL as None).
pub fn rows(backend: Backend, url: &str, sql: &str) -> Vec<Vec<Option<String>>> {
    Conn::open(backend, url).rows(sql)
}

/// A connection for several of the test's queries in a row.
pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
    Mysql(mysql::Conn),
}

impl Conn {
    pub fn open(backend: Backend, url: &str) -> Conn {
        match backend {
            Backend::Sqlite => Conn::Sqlite(rusqlite::Connection::open(url).expect("open sqlite")),
            Backend::Postgres => {
                Conn::Postgres(postgres::Client::connect(url, postgres::NoTls).expect("connect"))
            }
            Backend::Mysql => Conn::Mysql(mysql_conn(url).expect("connect")),
        }
    }

    /// Rows of a query, every value as text (NULL as None).
    pub fn rows(&mut self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self {
            Conn::Sqlite(c) => sqlite_rows(c, sql),
            Conn::Postgres(c) => pg_rows(c, sql),
            Conn::Mysql(c) => mysql_rows(c, sql),
        }
    }
}

/// Runs statements (several at once) on a connection of their own.
pub fn exec(backend: Backend, url: &str, sql: &str) {
    match backend {
        Backend::Sqlite => rusqlite::Connection::open(url)
            .expect("open sqlite")
            .execute_batch(sql)
            .expect("exec sqlite"),
        Backend::Postgres => postgres::Client::connect(url, postgres::NoTls)
            .expect("connect")
            .batch_execute(sql)
            .expect("exec postgres"),
        Backend::Mysql => {
            use mysql::prelude::Queryable;
            mysql_conn(url)
                .and_then(|mut c| c.query_drop(mysql_sql(sql)))
                .expect("exec mysql")
        }
    }
}

/// A connection for the test's own SQL, in the session roster sets up (double
/// quotes name identifiers, UTC).
pub fn mysql_conn(url: &str) -> Result<mysql::Conn, mysql::Error> {
    use mysql::prelude::Queryable;
    let mut conn = mysql::Conn::new(mysql::Opts::from_url(url)?)?;
    conn.query_drop(
        "SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES,NO_BACKSLASH_ESCAPES'), time_zone = '+00:00'",
    )?;
    Ok(conn)
}

/// The admin URL with another database name.
pub fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let prefix = match base.rfind('/') {
        Some(i) if i > base.find("://").map_or(0, |j| j + 2) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

fn sqlite_rows(conn: &rusqlite::Connection, sql: &str) -> Vec<Vec<Option<String>>> {
    use rusqlite::types::ValueRef;
    let mut stmt = conn.prepare(sql).expect("prepare");
    let width = stmt.column_count();
    let text = |v: ValueRef| match v {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    };
    let mut rows = stmt.query([]).expect("query");
    let mut out = Vec::new();
    while let Some(row) = rows.next().expect("row") {
        out.push(
            (0..width)
                .map(|i| text(row.get_ref(i).expect("value")))
                .collect(),
        );
    }
    out
}

fn pg_rows(c: &mut postgres::Client, sql: &str) -> Vec<Vec<Option<String>>> {
    c.simple_query(sql)
        .expect("query")
        .into_iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect()
}

/// The tests' SQL in MySQL's words: `CAST(x AS TEXT)` is `CAST(x AS CHAR)` there.
fn mysql_sql(sql: &str) -> String {
    sql.replace(" AS TEXT)", " AS CHAR)")
        .replace(" AS INTEGER)", " AS SIGNED)")
}

fn mysql_rows(c: &mut mysql::Conn, sql: &str) -> Vec<Vec<Option<String>>> {
    use mysql::prelude::Queryable;
    let rows: Vec<mysql::Row> = c.query(mysql_sql(sql)).expect("query");
    rows.into_iter()
        .map(|r| {
            r.unwrap()
                .into_iter()
                .map(|v| match v {
                    mysql::Value::NULL => None,
                    mysql::Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                    other => Some(other.as_sql(true).trim_matches('\'').to_string()),
                })
                .collect()
        })
        .collect()
}

/// Writing stdin to a std Command and collecting its output.
pub trait StdinBytes {
    fn stdin_bytes(&mut self, input: String) -> std::io::Result<std::process::Output>;
}

impl StdinBytes for std::process::Command {
    fn stdin_bytes(&mut self, input: String) -> std::io::Result<std::process::Output> {
        use std::io::Write;
        let mut child = self
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()?;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())?;
        child.wait_with_output()
    }
}
