//! Profile fields a command may set on a user, and their validation (spec §2).

use crate::error::{Error, Result};
use std::str::FromStr;

/// Optional profile values; `None` leaves the stored value as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub timezone: Option<String>,
    pub language: Option<String>,
    pub appearance: Option<String>,
    pub email_notifications: Option<bool>,
}

impl Profile {
    /// Trims and validates every given field, returning the values to store.
    pub fn validated(self) -> Result<Profile> {
        Ok(Profile {
            first_name: short_text("first name", self.first_name)?,
            last_name: short_text("last name", self.last_name)?,
            title: short_text("title", self.title)?,
            company: limited("company", self.company, 255)?,
            timezone: timezone(self.timezone)?,
            language: language(self.language)?,
            appearance: appearance(self.appearance)?,
            email_notifications: self.email_notifications,
        })
    }

    /// The (column, value) pairs of the fields given; `None` for one given empty.
    pub fn text_fields(&self) -> Vec<(&'static str, Option<&str>)> {
        let fields = [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("title", &self.title),
            ("company", &self.company),
            ("timezone", &self.timezone),
            ("language", &self.language),
            ("appearance", &self.appearance),
        ];
        // An empty value means "none" (NULL), as Directus's app stores a cleared field.
        fields
            .into_iter()
            .filter_map(|(col, v)| {
                v.as_deref()
                    .map(|v| (col, Some(v).filter(|v| !v.is_empty())))
            })
            .collect()
    }
}

fn trimmed(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string())
}

fn short_text(what: &str, v: Option<String>) -> Result<Option<String>> {
    limited(what, v, 50)
}

/// Trimmed, and at most `max` characters (the column's size).
fn limited(what: &str, v: Option<String>, max: usize) -> Result<Option<String>> {
    let v = trimmed(v);
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

    fn with(f: impl FnOnce(&mut Profile)) -> Result<Profile> {
        let mut p = Profile::default();
        f(&mut p);
        p.validated()
    }

    #[test]
    fn accepts_good_values() {
        let p = with(|p| {
            p.first_name = Some("  Ann ".into());
            p.timezone = Some("Europe/Berlin".into());
            p.language = Some("en-US".into());
            p.appearance = Some("Dark".into());
        })
        .unwrap();
        assert_eq!(p.first_name.as_deref(), Some("Ann"));
        assert_eq!(p.appearance.as_deref(), Some("dark"));
    }

    #[test]
    fn refuses_bad_values() {
        assert!(with(|p| p.first_name = Some("x".repeat(51))).is_err());
        assert!(with(|p| p.timezone = Some("Mars/Base".into())).is_err());
        assert!(with(|p| p.language = Some("english please".into())).is_err());
        assert!(with(|p| p.appearance = Some("pink".into())).is_err());
    }
}
