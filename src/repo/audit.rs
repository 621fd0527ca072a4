//! The audit trail: a `directus_activity` row and a `directus_revisions` row for
//! each change, as the Directus API records its own, secrets masked (spec §6).

use super::WriteOpts;
use super::db::{Db, Dialect, Value, push_json_str};
use super::schema::Schema;
use crate::error::{Error, Result};
use serde_json::Value as Json;

/// What Directus writes in place of a secret in revisions.
const MASK: &str = "**********";
/// `auth_data` holds an SSO provider's refresh token: as secret as a password.
const SECRETS: [&str; 4] = ["password", "token", "tfa_secret", "auth_data"];
/// Columns of type json: their text is a JSON value, recorded as such.
const JSON_COLUMNS: [&str; 4] = [
    "tags",
    "auth_data",
    "theme_light_overrides",
    "theme_dark_overrides",
];

/// The user agent roster records, as the API records the browser's.
pub const AGENT: &str = concat!("roster/", env!("CARGO_PKG_VERSION"));

/// The activity verb Directus uses.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// Records a change to one `directus_users` row, when auditing is on and the tables exist.
pub fn record(
    db: &mut dyn Db,
    s: &Schema,
    opts: &WriteOpts,
    action: Action,
    id: &str,
    delta: &[(&str, Value)],
) -> Result<()> {
    if !opts.audit || !s.has_activity {
        return Ok(());
    }
    let delta = to_json(delta.iter().map(|(c, v)| (*c, v)));
    let data = match action {
        Action::Create => delta.clone(),
        Action::Update | Action::Delete => full_record(db, s, id)?,
    };
    record_raw(db, s, opts, action, "directus_users", id, &data, &delta)
}

/// Records a change to any collection with the given record and delta.
#[allow(clippy::too_many_arguments)] // each argument is one column of the two audit rows
pub fn record_raw(
    db: &mut dyn Db,
    s: &Schema,
    opts: &WriteOpts,
    action: Action,
    collection: &str,
    item: &str,
    data: &Json,
    delta: &Json,
) -> Result<()> {
    if !opts.audit || !s.has_activity {
        return Ok(());
    }
    let agent = AGENT;
    let values = [
        Value::from(action.as_str()),
        Value::opt(opts.actor.as_deref()),
        Value::Time(now_ms()),
        Value::from(agent),
        Value::from(collection),
        Value::from(item),
    ];
    let activity = match db.dialect() {
        Dialect::Mysql => {
            db.execute(ACTIVITY, &values)?;
            inserted_ids(db, 1)?[0]
        }
        _ => db.query_int(&format!("{ACTIVITY} RETURNING id"), &values)?,
    };
    if s.has_revisions {
        db.execute(
            "INSERT INTO directus_revisions (activity, collection, item, data, delta) VALUES (?, ?, ?, ?, ?)",
            &[
                Value::Int(activity),
                Value::from(collection),
                Value::from(item),
                Value::Text(data.to_string()),
                Value::Text(delta.to_string()),
            ],
        )?;
    }
    Ok(())
}

/// One activity row; SQLite and PostgreSQL add `RETURNING id`.
const ACTIVITY: &str = "INSERT INTO directus_activity (action, \"user\", timestamp, user_agent, collection, item) \
     VALUES (?, ?, ?, ?, ?, ?)";

/// The ids MySQL gave the `rows` rows of the INSERT just run on this connection
/// (MySQL 8 has no `INSERT … RETURNING`): InnoDB hands a plain multi-row INSERT its
/// ids at once, from `LAST_INSERT_ID()` on, `auto_increment_increment` apart.
pub fn inserted_ids(db: &mut dyn Db, rows: usize) -> Result<Vec<i64>> {
    let row = db.query_opt("SELECT LAST_INSERT_ID(), @@auto_increment_increment", &[])?;
    let (first, step) = row
        .and_then(|r| Some((r.int(0)?, r.int(1)?)))
        .ok_or_else(|| Error::Internal("MySQL did not report the inserted ids".into()))?;
    Ok((0..rows as i64).map(|i| first + i * step).collect())
}

fn full_record(db: &mut dyn Db, s: &Schema, id: &str) -> Result<Json> {
    let cols = &s.user_columns;
    let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
    let sql = format!(
        "SELECT {} FROM directus_users WHERE id = ?",
        quoted.join(", ")
    );
    let row = db.query_opt(&sql, &[Value::from(id)])?;
    let values = row.map(|r| r.0).unwrap_or_default();
    Ok(to_json(cols.iter().map(String::as_str).zip(values.iter())))
}

/// A JSON object of columns, with secrets that are set replaced by the mask.
pub fn to_json<'a>(pairs: impl Iterator<Item = (&'a str, &'a Value)>) -> Json {
    Json::Object(
        pairs
            .map(|(c, v)| (c.to_string(), recorded(c, v).into()))
            .collect(),
    )
}

/// [`to_json`] as text, written straight from the values: a large import records
/// thousands of these, and building each as a map first cost a fifth of its time.
pub fn to_json_text<'a>(pairs: impl Iterator<Item = (&'a str, &'a Value)>) -> String {
    let mut out = String::with_capacity(256);
    out.push('{');
    for (i, (col, v)) in pairs.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, col);
        out.push(':');
        match recorded(col, v) {
            Recorded::Text(t) => push_json_str(&mut out, t),
            other => out.push_str(&Json::from(other).to_string()),
        }
    }
    out.push('}');
    out
}

/// How one column's value is recorded in a revision.
enum Recorded<'a> {
    Json(Json),
    Text(&'a str),
}

fn recorded<'a>(col: &str, v: &'a Value) -> Recorded<'a> {
    Recorded::Json(match v {
        Value::Null => Json::Null,
        _ if SECRETS.contains(&col) => Json::from(MASK),
        Value::Int(n) => Json::from(*n),
        // PostgreSQL and MySQL read timestamps as such; Directus records them as ISO text.
        Value::Time(ms) => Json::from(crate::output::iso_time(*ms)),
        Value::Text(t) if JSON_COLUMNS.contains(&col) => {
            serde_json::from_str(t).unwrap_or_else(|_| Json::from(t.as_str()))
        }
        Value::Bool(b) => Json::from(*b),
        Value::Text(t) => return Recorded::Text(t),
    })
}

impl From<Recorded<'_>> for Json {
    fn from(r: Recorded<'_>) -> Json {
        match r {
            Recorded::Json(j) => j,
            Recorded::Text(t) => Json::from(t),
        }
    }
}

/// Now, in epoch milliseconds, as Directus stores timestamps in SQLite.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_the_object_written_out() {
        let values = [
            (
                "email",
                Value::from("a\"b\n\u{1b}\\\u{8}\u{c}\t\r\u{7f}é@example.com"),
            ),
            ("password", Value::from("$argon2id$secret")),
            ("token", Value::Null),
            ("tags", Value::from("[\"x\", 1]")),
            ("auth_data", Value::from("{\"refresh\": \"r\"}")),
            ("email_notifications", Value::Bool(true)),
            ("last_access", Value::Time(0)),
            ("id", Value::Int(7)),
        ];
        let pairs = || values.iter().map(|(c, v)| (*c, v));
        assert_eq!(to_json_text(pairs()), to_json(pairs()).to_string());
        assert!(!to_json_text(pairs()).contains("secret"));
    }
}
