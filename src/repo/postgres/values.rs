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
        Type::DATE | Type::NUMERIC | Type::TIME => row
            .try_get::<_, Option<AsText>>(i)
            .ok()
            .flatten()
            .map(|t| Value::Text(t.0)),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .ok()
            .flatten()
            .map(|f| Value::Text(f.to_string())),
        Type::FLOAT8 => row
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

/// A `date`, `time` or `numeric` column read as the text PostgreSQL would
/// print (`2024-03-01`, `09:30:00`, `12.50`), from its binary form.
struct AsText(String);

impl<'a> postgres::types::FromSql<'a> for AsText {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        match *ty {
            Type::DATE => {
                let days = i32::from_be_bytes(raw.try_into()?);
                let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).ok_or("date")?;
                // infinity and -infinity are i32::MAX and MIN: past what a date holds.
                let date = epoch
                    .checked_add_signed(chrono::Duration::days(days.into()))
                    .ok_or("a date beyond the calendar (infinity)")?;
                Ok(AsText(date.to_string()))
            }
            Type::TIME => {
                let micros = i64::from_be_bytes(raw.try_into()?);
                let t = chrono::NaiveTime::from_num_seconds_from_midnight_opt(
                    u32::try_from(micros / 1_000_000)?,
                    u32::try_from(micros % 1_000_000 * 1000)?,
                )
                .ok_or("time")?;
                Ok(AsText(t.format("%H:%M:%S").to_string()))
            }
            _ => numeric_text(raw).map(AsText),
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::DATE | Type::NUMERIC | Type::TIME)
    }
}

/// PostgreSQL's binary `numeric`: digit count, weight, sign, scale, then
/// base-10000 digits, the first `weight + 1` of them before the point.
fn numeric_text(raw: &[u8]) -> Result<String, Box<dyn StdError + Sync + Send>> {
    let word = |i: usize| -> Result<i16, Box<dyn StdError + Sync + Send>> {
        Ok(i16::from_be_bytes(
            raw.get(i..i + 2).ok_or("numeric")?.try_into()?,
        ))
    };
    let (count, weight, sign, scale) = (word(0)?, word(2)?, word(4)? as u16, word(6)?);
    match sign {
        0xC000 => return Ok("NaN".into()),
        0xD000 => return Ok("Infinity".into()),
        0xF000 => return Ok("-Infinity".into()),
        _ => {}
    }
    let digits: Vec<i16> = (0..count as usize)
        .map(|k| word(8 + 2 * k))
        .collect::<Result<_, _>>()?;
    let mut int = String::new();
    for k in 0..=weight.max(-1) {
        let d = digits.get(k as usize).copied().unwrap_or(0);
        int.push_str(&match k {
            0 => d.to_string(),
            _ => format!("{d:04}"),
        });
    }
    let mut frac = String::new();
    for g in 0..(i32::from(scale) + 3) / 4 {
        // The g-th group after the point is digit number g + weight + 1.
        let at = g + i32::from(weight) + 1;
        let d = match usize::try_from(at) {
            Ok(at) => digits.get(at).copied().unwrap_or(0),
            Err(_) => 0,
        };
        frac.push_str(&format!("{d:04}"));
    }
    let int = if int.is_empty() { "0".to_string() } else { int };
    frac.truncate(scale.max(0) as usize);
    let minus = if sign == 0x4000 { "-" } else { "" };
    Ok(match frac.is_empty() {
        true => format!("{minus}{int}"),
        false => format!("{minus}{int}.{frac}"),
    })
}
