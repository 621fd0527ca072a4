//! Values across the wire: parameters go as text the server reads by the type it
//! infers for each placeholder (so no statement has to be prepared, and named,
//! beforehand: that is what lets roster run through transaction poolers), and
//! rows come back in binary, read by each column's type.

use super::super::db::Value;
use bytes::BytesMut;
use postgres::types::{Format, IsNull, ToSql, Type, to_sql_checked};
use std::error::Error as StdError;
use std::time::{SystemTime, UNIX_EPOCH};

/// A parameter in PostgreSQL's text format, `None` for NULL.
#[derive(Debug)]
pub struct Text(Option<String>);

impl Text {
    /// The value as PostgreSQL's input functions read it.
    pub fn of(v: &Value) -> Text {
        Text(input_text(v))
    }
}

/// A value as PostgreSQL's input functions read it; `None` for NULL.
pub fn input_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Text(s) => Some(s.clone()),
        Value::Int(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        // ISO 8601 with milliseconds, in UTC: exact for timestamptz, and the UTC
        // wall clock for a timestamp without time zone (its zone is ignored).
        Value::Time(ms) => Some(
            chrono::DateTime::from_timestamp_millis(*ms)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                .unwrap_or_else(|| ms.to_string()),
        ),
    }
}

impl ToSql for Text {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match &self.0 {
            None => Ok(IsNull::Yes),
            Some(s) => {
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
        }
    }

    /// Any type: the server parses the text with the placeholder's type.
    fn accepts(_ty: &Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &Type) -> Format {
        Format::Text
    }

    to_sql_checked!();
}

/// Reads one column into a [`Value`] by its type.
pub fn read(row: &postgres::Row, i: usize) -> Value {
    let ty = row.columns()[i].type_().clone();
    let opt = match ty {
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .ok()
            .flatten()
            .map(Value::Bool),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .ok()
            .flatten()
            .map(|n| Value::Int(n.into())),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .ok()
            .flatten()
            .map(|n| Value::Int(n.into())),
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .ok()
            .flatten()
            .map(Value::Int),
        Type::UUID => row
            .try_get::<_, Option<uuid::Uuid>>(i)
            .ok()
            .flatten()
            .map(|u| Value::Text(u.to_string())),
        Type::TIMESTAMPTZ | Type::TIMESTAMP => row
            .try_get::<_, Option<SystemTime>>(i)
            .ok()
            .flatten()
            // Before 1970 too: a negative offset, as SQLite stores it.
            .map(|t| {
                Value::Time(match t.duration_since(UNIX_EPOCH) {
                    Ok(d) => d.as_millis() as i64,
                    Err(before) => -(before.duration().as_millis() as i64),
                })
            }),
        Type::JSON | Type::JSONB => row
            .try_get::<_, Option<serde_json::Value>>(i)
            .ok()
            .flatten()
            .map(|j| Value::Text(j.to_string())),
        Type::FLOAT4 | Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)
            .ok()
            .flatten()
            .map(|f| Value::Text(f.to_string())),
        _ => row
            .try_get::<_, Option<String>>(i)
            .ok()
            .flatten()
            .map(Value::Text),
    };
    opt.unwrap_or(Value::Null)
}
