//! The audit trail: a `directus_activity` row and a `directus_revisions` row for
//! each change, as the Directus API records its own, secrets masked (spec §6).

use super::db::{Db, Value, push_json_str};
use super::schema::Schema;
use super::tx::Tx;
use crate::error::Result;
use crate::fields;
use serde_json::Value as Json;

/// What Directus writes in place of a secret in revisions.
const MASK: &str = "**********";

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
pub fn record(tx: &mut Tx, action: Action, id: &str, delta: &[(&str, Value)]) -> Result<()> {
    if !tx.opts.audit || !tx.schema.has_activity {
        return Ok(());
    }
    let delta = to_json(delta.iter().map(|(c, v)| (*c, v)));
    let data = match action {
        Action::Create => delta.clone(),
        Action::Update | Action::Delete => full_record(tx.db, tx.schema, id)?,
    };
    record_raw(tx, action, "directus_users", id, &data, &delta)
}

/// Records a change to any collection with the given record and delta.
pub fn record_raw(
    tx: &mut Tx,
    action: Action,
    collection: &str,
    item: &str,
    data: &Json,
    delta: &Json,
) -> Result<()> {
    if !tx.opts.audit || !tx.schema.has_activity {
        return Ok(());
    }
    let values = [
        Value::from(action.as_str()),
        Value::opt(tx.opts.actor.as_deref()),
        Value::Time(now_ms()),
        Value::from(AGENT),
        Value::from(collection),
        Value::from(item),
    ];
    let activity = tx.db.insert_id(ACTIVITY, &values)?;
    if tx.schema.has_revisions {
        tx.db.execute(
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

/// One activity row.
const ACTIVITY: &str = "INSERT INTO directus_activity (action, \"user\", timestamp, user_agent, collection, item) \
     VALUES (?, ?, ?, ?, ?, ?)";

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
        _ if fields::is_masked(col) => Json::from(MASK),
        Value::Int(n) => Json::from(*n),
        // PostgreSQL and MySQL read timestamps as such; Directus records them as ISO text.
        Value::Time(ms) => Json::from(crate::output::iso_time(*ms)),
        Value::Text(t) if fields::is_json(col) => {
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
