//! Profile fields a command may set on a user, and their validation (spec §2).

use crate::error::{Error, Result};
use crate::fields::{self, Field, Rule, Shape};
use std::str::FromStr;

/// Profile values by field name; a field not present is "not given", an empty
/// value clears it (stored as NULL, as Directus's app stores a cleared field).
/// Booleans are held as `true`/`false`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    values: Values,
}

/// A few values sorted by field name: a profile holds at most a dozen, and an
/// import holds a profile per row, where a map's node cost ten times the values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Values(Vec<(&'static str, String)>);

impl Values {
    fn find(&self, name: &str) -> std::result::Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| (*n).cmp(name))
    }

    fn insert(&mut self, name: &'static str, value: String) {
        match self.find(name) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    fn get(&self, name: &str) -> Option<&String> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    fn remove(&mut self, name: &str) -> Option<String> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Profile {
    /// A validated profile from (field name, value) pairs.
    pub fn of(pairs: &[(&str, &str)]) -> Result<Profile> {
        let mut p = Profile::default();
        for (name, value) in pairs {
            p.set(name, *value)?;
        }
        p.validated()
    }

    /// Gives a field a value; `name` must be a profile field of [`fields::FIELDS`].
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> Result<()> {
        let field = fields::profile_fields()
            .find(|f| f.name == name)
            .ok_or_else(|| Error::validation(format!("unknown field {name:?}")))?;
        self.values.insert(field.name, value.into());
        Ok(())
    }

    /// Gives a field named on the command line (`--set`) a value: any profile
    /// field, custom ones included; another name is exit 5 naming the custom
    /// fields there are.
    pub fn set_named(&mut self, name: &str, value: &str) -> Result<()> {
        if fields::profile_fields().any(|f| f.name == name) {
            return self.set(name, value);
        }
        let custom: Vec<&str> = fields::customs().iter().map(|c| c.name.as_str()).collect();
        let known = match custom.is_empty() {
            true => "this database has no custom fields".to_string(),
            false => format!("its custom fields: {}", custom.join(", ")),
        };
        Err(Error::validation(format!(
            "no field {name:?} that roster can set; {known}"
        )))
    }

    /// Holds a value read from the database, as it is stored.
    pub(crate) fn stored(&mut self, field: &'static Field, value: String) {
        self.values.insert(field.name, value);
    }

    /// The value given for a field (an empty string clears it).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether no field is given.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Trims and validates every given field, returning the values to store.
    pub fn validated(mut self) -> Result<Profile> {
        let mut out = Profile::default();
        // In the table's order, so the first bad field reported is predictable.
        for field in fields::profile_fields() {
            if let (Some(value), Some(rule)) = (self.values.remove(field.name), field.rule()) {
                out.values
                    .insert(field.name, check(field.label, rule, value)?);
            }
        }
        crate::custom::rules_pass(&out)?;
        Ok(out)
    }

    /// The fields given, with their value; `None` for one given empty (NULL).
    pub fn given(&self) -> impl Iterator<Item = (&'static Field, Option<&str>)> {
        fields::profile_fields().filter_map(|f| {
            self.values
                .get(f.name)
                .map(|v| (f, Some(v.as_str()).filter(|v| !v.is_empty())))
        })
    }

    /// The value of a boolean field, when given.
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.get(name).map(|v| v == "true")
    }
}

/// Checks one value by its rule, returning the form to store.
pub fn check(label: &str, rule: Rule, value: String) -> Result<String> {
    let v = Some(value);
    let checked = match rule {
        Rule::Text(max) => limited(label, v, max)?,
        Rule::Timezone => timezone(v)?,
        Rule::Language => language(v)?,
        Rule::Theme => appearance(v)?,
        Rule::Bool => Some(yes_or_no(label, v.as_deref().unwrap_or(""))?.to_string()),
        Rule::Multiline(max) => multiline(label, v, max)?,
        Rule::Json(shape) => json(label, v, shape)?,
        Rule::Choice(words) => choice(label, v, words)?,
        Rule::Uuid => uuid(label, v)?,
        Rule::Time => time(label, v)?,
        Rule::Custom(i) => {
            crate::custom::value::check(crate::fields::custom(i), v.as_deref().unwrap_or(""))?
        }
    };
    Ok(checked.unwrap_or_default())
}

/// A boolean field value; anything else is a bad field value (exit 5, not clap's 2).
pub fn yes_or_no(label: &str, raw: &str) -> Result<bool> {
    match raw.trim().to_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(Error::validation(format!(
            "{label} {raw:?} must be true or false"
        ))),
    }
}

fn trimmed(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string())
}

/// Trimmed, and at most `max` characters (the column's size).
fn limited(what: &str, v: Option<String>, max: usize) -> Result<Option<String>> {
    let v = trimmed(v);
    // SQLite would store a NUL that PostgreSQL refuses, and a terminal would
    // obey an escape sequence: the same refusal on every database.
    if let Some(c) = v
        .as_deref()
        .and_then(|s| s.chars().find(|c| c.is_control()))
    {
        return Err(Error::validation(format!(
            "{what} contains a control character (U+{:04X}): only printable text is stored",
            u32::from(c)
        )));
    }
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        return Err(Error::validation(format!(
            "{what} is longer than {max} characters"
        )));
    }
    Ok(v)
}

fn timezone(v: Option<String>) -> Result<Option<String>> {
    let v = limited("timezone", v, 64)?;
    if let Some(tz) = v.as_ref().filter(|t| !t.is_empty()) {
        chrono_tz::Tz::from_str(tz).map_err(|_| {
            Error::validation(format!(
                "timezone {tz:?} is not an IANA zone name such as Europe/Berlin"
            ))
        })?;
    }
    Ok(v)
}

/// A pragmatic BCP 47 check: a 2–3 letter language, then 1–8 character subtags.
fn language(v: Option<String>) -> Result<Option<String>> {
    let v = limited("language", v, 255)?;
    if let Some(tag) = v.as_ref().filter(|t| !t.is_empty()) {
        let mut parts = tag.split('-');
        let lang_ok = parts.next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic())
        });
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if !lang_ok || !rest_ok {
            return Err(Error::validation(format!(
                "language {tag:?} is not a BCP 47 tag such as en-US"
            )));
        }
    }
    Ok(v)
}

/// Text kept as written but for its ends; line breaks and tabs are allowed,
/// other control characters are not.
fn multiline(what: &str, v: Option<String>, max: usize) -> Result<Option<String>> {
    let v = trimmed(v);
    let text = v.as_deref().unwrap_or_default();
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::validation(format!(
            "{what} contains a control character (U+{:04X}): only text, tabs and line breaks are stored",
            u32::from(c)
        )));
    }
    if text.chars().count() > max {
        return Err(Error::validation(format!(
            "{what} is longer than {max} characters"
        )));
    }
    Ok(v)
}

/// JSON of the field's shape, stored compact (so a stored value and the same
/// value from a file compare equal).
fn json(what: &str, v: Option<String>, shape: Shape) -> Result<Option<String>> {
    let Some(text) = trimmed(v).filter(|t| !t.is_empty()) else {
        return Ok(Some(String::new()));
    };
    let parsed: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    let fits = match (&parsed, shape) {
        (Some(serde_json::Value::Array(items)), Shape::Strings) => {
            items.iter().all(|i| i.is_string())
        }
        (Some(serde_json::Value::Object(_)), Shape::Object) => true,
        _ => false,
    };
    match (parsed, fits) {
        (Some(value), true) => Ok(Some(value.to_string())),
        _ => Err(Error::validation(format!(
            "{what} {text:?} must be {}",
            match shape {
                Shape::Strings => "a JSON array of strings, such as [\"staff\", \"berlin\"]",
                Shape::Object => "a JSON object, such as {\"primary\": \"#6644ff\"}",
            }
        ))),
    }
}

/// One of a few words, in lower case.
fn choice(what: &str, v: Option<String>, words: &[&str]) -> Result<Option<String>> {
    let v = trimmed(v).map(|s| s.to_lowercase());
    match v.as_deref() {
        None | Some("") => Ok(v),
        Some(w) if words.contains(&w) => Ok(v),
        Some(other) => Err(Error::validation(format!(
            "{what} {other:?} must be {}",
            or_list(words)
        ))),
    }
}

/// "a, b or c".
fn or_list(words: &[&str]) -> String {
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => words.join(""),
    }
}

/// A UUID in its canonical lower-case form.
fn uuid(what: &str, v: Option<String>) -> Result<Option<String>> {
    match trimmed(v).filter(|t| !t.is_empty()) {
        None => Ok(Some(String::new())),
        Some(t) => crate::repo::canonical_id(&t)
            .map(Some)
            .ok_or_else(|| Error::validation(format!("{what} {t:?} is not a UUID"))),
    }
}

/// An instant as RFC 3339 in UTC, to the millisecond where it has them.
fn time(what: &str, v: Option<String>) -> Result<Option<String>> {
    match trimmed(v).filter(|t| !t.is_empty()) {
        None => Ok(Some(String::new())),
        Some(t) => millis(&t).map(|ms| Some(time_text(ms))).ok_or_else(|| {
            Error::validation(format!(
                "{what} {t:?} is not a time such as 2026-01-31T09:30:00Z (RFC 3339)"
            ))
        }),
    }
}

/// Whether a stored value and a given one are the same: for an instant, the
/// same to the precision the database kept (MariaDB keeps seconds, so a file's
/// milliseconds compare equal to the second they fall in).
pub fn same(rule: Option<Rule>, stored: Option<&str>, given: Option<&str>) -> bool {
    match (rule, stored.and_then(millis), given.and_then(millis)) {
        (Some(Rule::Time), Some(s), Some(g)) if s % 1000 == 0 => s == g - g.rem_euclid(1000),
        _ => stored == given,
    }
}

/// Milliseconds since the epoch of an RFC 3339 time, or of a database's
/// `YYYY-MM-DD HH:MM:SS[.fff]` in UTC.
pub fn millis(text: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis());
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

/// The text of an instant: RFC 3339 in UTC, with milliseconds only when it has some.
pub fn time_text(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_else(|| ms.to_string())
}

fn appearance(v: Option<String>) -> Result<Option<String>> {
    let v = trimmed(v).map(|s| s.to_lowercase());
    match v.as_deref() {
        None | Some("light" | "dark" | "auto") => Ok(v),
        Some(other) => Err(Error::validation(format!(
            "theme {other:?} must be light, dark or auto"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: &str, value: &str) -> Result<Profile> {
        let mut p = Profile::default();
        p.set(name, value)?;
        p.validated()
    }

    #[test]
    fn accepts_good_values() {
        assert_eq!(
            with("first_name", "  Ann ").unwrap().get("first_name"),
            Some("Ann")
        );
        assert_eq!(with("theme", "Dark").unwrap().get("theme"), Some("dark"));
        assert!(with("timezone", "Europe/Berlin").is_ok());
        assert!(with("language", "en-US").is_ok());
        assert_eq!(
            with("email_notifications", "no")
                .unwrap()
                .flag("email_notifications"),
            Some(false)
        );
    }

    #[test]
    fn refuses_bad_values() {
        assert!(with("first_name", &"x".repeat(51)).is_err());
        assert!(with("timezone", "Mars/Base").is_err());
        assert!(with("language", "english please").is_err());
        assert!(with("theme", "pink").is_err());
        assert!(with("email_notifications", "maybe").is_err());
        assert!(with("avatar", "x").is_err());
    }

    #[test]
    fn empty_means_null() {
        let p = with("title", "").unwrap();
        let given: Vec<_> = p.given().map(|(f, v)| (f.name, v)).collect();
        assert_eq!(given, vec![("title", None)]);
    }
}
