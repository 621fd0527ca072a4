//! A custom field's value: checked for its type, its length and its dropdown,
//! kept in one text form (JSON for lists and objects), and turned into what
//! the database stores and what output shows.

use super::{CustomField, Type};
use crate::error::{Error, Result};
use serde_json::Value as Json;

/// The value to keep, from what a command line or a file gave; `None` for an
/// empty one (NULL). Refused (exit 5, naming the field) when it does not fit.
pub fn check(f: &CustomField, raw: &str) -> Result<Option<String>> {
    if raw.is_empty() {
        return match f.nullable {
            true => Ok(None),
            false => Err(Error::validation(format!(
                "{} cannot be empty: its column is NOT NULL",
                f.name
            ))),
        };
    }
    let bad = |why: String| Error::validation(format!("{} {raw:?} {why}", f.name));
    let kept = match f.kind {
        Type::Text => raw.to_string(),
        Type::Integer => raw
            .trim()
            .parse::<i64>()
            .map_err(|_| bad("is not a whole number".into()))?
            .to_string(),
        Type::Decimal => {
            let t = raw.trim();
            t.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| bad("is not a number".into()))?;
            decimal(t)
        }
        Type::Boolean => crate::profile::yes_or_no(&f.name, raw)?.to_string(),
        Type::Date => chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| bad("is not a date such as 2024-03-01".into()))?
            .to_string(),
        // One form for an instant, so a re-run compares equal: RFC 3339 in
        // UTC (a time without a zone is taken as UTC).
        Type::Datetime => {
            let t = raw.trim();
            let local = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                .map(|l| l.and_utc().timestamp_millis());
            let ms = crate::profile::millis(t)
                .or(local.ok())
                .ok_or_else(|| bad("is not a date and time such as 2024-03-01T09:30:00Z".into()))?;
            crate::profile::time_text(ms)
        }
        Type::Time => {
            let t = raw.trim();
            let parsed = ["%H:%M:%S%.f", "%H:%M"]
                .iter()
                .find_map(|f| chrono::NaiveTime::parse_from_str(t, f).ok());
            let parsed = parsed.ok_or_else(|| bad("is not a time of day such as 09:30".into()))?;
            parsed.format("%H:%M:%S").to_string()
        }
        Type::Uuid => uuid::Uuid::parse_str(raw.trim())
            .map_err(|_| bad("is not a UUID".into()))?
            .to_string(),
        Type::Json => serde_json::from_str::<Json>(raw)
            .map_err(|e| bad(format!("is not valid JSON ({e})")))?
            .to_string(),
        Type::Csv => csv_list(raw).map_err(bad)?,
    };
    if let Some(max) = f.max_length.filter(|_| f.kind == Type::Text) {
        let n = kept.chars().count() as u64;
        if n > max {
            return Err(bad(format!("is longer than {max} characters")));
        }
    }
    if let Some(choices) = &f.choices {
        // A list (checkboxes, a multiple dropdown) holds choices, each checked.
        let items = match typed(f, &kept) {
            Json::Array(items) => items,
            one => vec![one],
        };
        let text = crate::output::value_text;
        let among = |v: &Json| choices.iter().any(|c| c == v || text(c) == text(v));
        if !items.iter().all(among) {
            let shown: Vec<String> = choices.iter().map(crate::output::value_text).collect();
            return Err(bad(format!(
                "is not one of its choices: {}",
                shown.join(", ")
            )));
        }
    }
    Ok(Some(kept))
}

/// A decimal in one form, so `12.50` read back equals `12.5` given: no
/// trailing zeros after the point, no point without digits after it.
fn decimal(t: &str) -> String {
    let t = t.strip_prefix('+').unwrap_or(t);
    match t.contains('.') {
        true => t.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => t.to_string(),
    }
}

/// A csv field's list as JSON text: given as a JSON array of texts or as text
/// split at commas (Directus stores it joined by commas, so no item holds one).
fn csv_list(raw: &str) -> std::result::Result<String, String> {
    let items: Vec<String> = match raw.trim_start().starts_with('[') {
        true => serde_json::from_str(raw).map_err(|_| "is not a list of texts".to_string())?,
        false => raw.split(',').map(|s| s.trim().to_string()).collect(),
    };
    if items.iter().any(|i| i.contains(',')) {
        return Err(
            "has an item with a comma, which Directus's comma-joined list cannot keep".into(),
        );
    }
    Ok(Json::from(items).to_string())
}

/// A kept value as the JSON value output and validation rules see.
pub fn typed(f: &CustomField, kept: &str) -> Json {
    match f.kind {
        Type::Integer | Type::Json | Type::Csv => {
            serde_json::from_str(kept).unwrap_or_else(|_| Json::from(kept))
        }
        // Directus returns decimals as text, which keeps every digit.
        Type::Decimal => Json::from(kept),
        Type::Boolean => Json::Bool(kept == "true"),
        _ => Json::from(kept),
    }
}

/// A kept value as the database stores it: numbers and booleans as such, a
/// date as an instant (SQLite keeps it in epoch milliseconds, as Directus
/// does), a csv list joined by commas.
pub fn stored(f: &CustomField, kept: &str) -> crate::repo::db::Value {
    use crate::repo::db::Value;
    match f.kind {
        Type::Integer => kept.parse().map_or(Value::from(kept), Value::Int),
        Type::Boolean => Value::Bool(kept == "true"),
        Type::Date => crate::profile::millis(&format!("{kept}T00:00:00Z"))
            .map_or(Value::from(kept), Value::Time),
        // An instant each database stores its own way, as roster stores last_access.
        Type::Datetime => crate::profile::millis(kept).map_or(Value::from(kept), Value::Time),
        Type::Csv => {
            let items: Vec<String> = serde_json::from_str(kept).unwrap_or_default();
            Value::Text(items.join(","))
        }
        _ => Value::from(kept),
    }
}

/// A stored value as a kept one: what the database returned, by the field's
/// type (a date SQLite holds in epoch milliseconds, a csv list split).
pub fn read(
    f: &CustomField,
    text: Option<String>,
    int: Option<i64>,
    flag: Option<bool>,
) -> Option<String> {
    match f.kind {
        Type::Boolean => flag.map(|b| b.to_string()),
        Type::Integer => int.map(|n| n.to_string()).or(text),
        Type::Date => match int {
            Some(ms) => {
                chrono::DateTime::from_timestamp_millis(ms).map(|t| t.date_naive().to_string())
            }
            None => text.map(|t| t.chars().take(10).collect()),
        },
        // PostgreSQL and MySQL hand back an instant; SQLite the text stored.
        Type::Datetime => match (int, text.as_deref()) {
            (Some(ms), Some(t)) if t.parse::<i64>().is_ok() => Some(crate::profile::time_text(ms)),
            (_, Some(t)) => Some(check(f, t).ok().flatten().unwrap_or_else(|| t.to_string())),
            _ => None,
        },
        Type::Decimal => text.map(|t| decimal(&t)),
        Type::Time => text.map(|t| t.chars().take(8).collect()),
        Type::Csv => text.map(|t| {
            let items: Vec<&str> = t.split(',').filter(|s| !s.is_empty()).collect();
            Json::from(items).to_string()
        }),
        Type::Json => text.map(|t| serde_json::from_str::<Json>(&t).map_or(t, |j| j.to_string())),
        _ => text,
    }
}
