//! Reading an `apply` file: `[[roles]]`, `[[policies]]` (Directus 11 and later)
//! and `[[users]]`, each checked before the database is asked.

use super::rows::{Pending, check};
use crate::error::{Error, Result};
use crate::repo::{NewRole, Policy};
use crate::rows::{Cell, FileFormat, FileRow, IMPORT_ONLY, export_names, toml_fields};
use rayon::prelude::*;
use std::path::Path;

/// A role a file declares; `access` says whether it gives admin or app_access
/// (without, an existing role's access is left as it is: on Directus 11 an
/// export gives access through `[[policies]]` instead).
pub struct DeclaredRole {
    pub new: NewRole,
    pub access: bool,
}

/// What an apply file declares.
#[derive(Default)]
pub struct ApplyFile {
    pub roles: Vec<DeclaredRole>,
    pub policies: Vec<Policy>,
    pub users: Vec<Pending>,
}

/// Reads and checks the file.
pub fn read(path: &Path) -> Result<ApplyFile> {
    let text = crate::input::read_or_stdin(path, "apply file")?;
    let doc = match super::toml_split::parse(&text) {
        Some(doc) => doc,
        None => text.parse().map_err(|e| not_toml(path, &text, &e))?,
    };
    let mut file = ApplyFile::default();
    for (key, value) in doc {
        let toml::Value::Array(items) = value else {
            return Err(Error::validation(format!(
                "{key}: expected [[roles]], [[policies]] or [[users]] tables"
            )));
        };
        let items = items.into_iter().enumerate();
        match key.as_str() {
            "roles" => {
                file.roles = items.map(role).collect::<Result<_>>()?;
                refuse_repeated("roles", file.roles.iter().map(|r| r.new.name.as_str()))?;
            }
            "policies" => {
                file.policies = items.map(policy).collect::<Result<_>>()?;
                refuse_repeated("policies", file.policies.iter().map(|p| p.name.as_str()))?;
            }
            "users" => file.users = users(items)?,
            other => {
                return Err(Error::validation(format!(
                    "unknown table [[{other}]]: an apply file has [[roles]], [[policies]] and [[users]]"
                )));
            }
        }
    }
    Ok(file)
}

/// The error for a file TOML cannot read, with a hint when it is another format.
fn not_toml(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let refused = Error::validation(format!(
        "{} is not valid TOML: {}",
        path.display(),
        crate::rows::toml_error(e, text)
    ));
    let other = match FileFormat::sniff(text.as_bytes()) {
        Some(FileFormat::Toml) | None => return refused,
        Some(FileFormat::Csv) => "CSV",
        Some(FileFormat::Json) => "JSON",
        Some(FileFormat::Jsonl) => "JSON Lines",
    };
    refused.hint(format!(
        "it looks like {other}: `roster import FILE` reads CSV, JSON and JSON Lines"
    ))
}

/// Refuses a name declared twice (in any case, as names are compared), naming
/// both declarations: which one was meant is not for roster to guess.
fn refuse_repeated<'a>(table: &str, names: impl Iterator<Item = &'a str>) -> Result<()> {
    let names: Vec<&str> = names.collect();
    for (i, name) in names.iter().enumerate() {
        let first = names[..i]
            .iter()
            .position(|n| n.to_lowercase() == name.to_lowercase());
        if let Some(first) = first {
            let what = if table == "roles" { "role" } else { "policy" };
            return Err(Error::validation(format!(
                "{table}[{first}] and {table}[{i}] both declare the {what} {name}"
            )));
        }
    }
    Ok(())
}

fn role((i, value): (usize, toml::Value)) -> Result<DeclaredRole> {
    let place = format!("roles[{i}]");
    let mut new = NewRole {
        name: String::new(),
        admin_access: false,
        app_access: false,
        if_not_exists: false,
    };
    let mut access = false;
    for (k, cell) in toml_fields(value, &place)? {
        match (k.as_str(), cell) {
            ("name", Cell::Text(t)) => new.name = t.trim().to_string(),
            ("admin", Cell::Bool(b)) => (new.admin_access, access) = (b, true),
            ("app_access", Cell::Bool(b)) => (new.app_access, access) = (b, true),
            (other, _) => {
                return Err(Error::validation(format!(
                    "{place}: {other:?} must be name (text), admin or app_access (true or false)"
                )));
            }
        }
    }
    new.name = name(&place, "role", &new.name)?;
    // An admin role uses the app; Directus's own admin role has both.
    new.app_access |= new.admin_access;
    Ok(DeclaredRole { new, access })
}

fn policy((i, value): (usize, toml::Value)) -> Result<Policy> {
    let place = format!("policies[{i}]");
    let mut p = Policy::default();
    for (k, cell) in toml_fields(value, &place)? {
        match (k.as_str(), cell) {
            ("name", Cell::Text(t)) => p.name = t.trim().to_string(),
            ("admin", Cell::Bool(b)) => p.admin = b,
            ("app_access", Cell::Bool(b)) => p.app_access = b,
            ("enforce_tfa", Cell::Bool(b)) => p.enforce_tfa = b,
            ("roles", Cell::Json(v)) => p.roles = names(&place, "roles", v)?,
            ("users", Cell::Json(v)) => p.users = names(&place, "users", v)?,
            (other, _) => {
                return Err(Error::validation(format!(
                    "{place}: {other:?} must be name (text), admin, app_access or enforce_tfa \
                     (true or false), roles or users (lists of names and emails)"
                )));
            }
        }
    }
    p.name = name(&place, "policy", &p.name)?;
    p.app_access |= p.admin;
    Ok(p)
}

/// A list of role names or user emails.
fn names(place: &str, key: &str, v: serde_json::Value) -> Result<Vec<String>> {
    let items = match v {
        serde_json::Value::Array(items) => items,
        _ => Vec::new(),
    };
    let texts: Option<Vec<String>> = items
        .iter()
        .map(|i| i.as_str().map(|s| s.trim().to_string()))
        .collect();
    texts.ok_or_else(|| Error::validation(format!("{place}: {key} must be a list of text")))
}

/// A role's or policy's name: 1 to 100 characters once trimmed.
fn name(place: &str, what: &str, raw: &str) -> Result<String> {
    match raw.is_empty() || raw.chars().count() > 100 {
        true => Err(Error::validation(format!(
            "{place}: a {what} name needs 1 to 100 characters"
        ))),
        false => Ok(raw.to_string()),
    }
}

/// The users, checked on every core; the first bad one in the file is the error.
fn users(items: impl Iterator<Item = (usize, toml::Value)>) -> Result<Vec<Pending>> {
    let items: Vec<(usize, toml::Value)> = items.collect();
    let checked: Vec<Result<Pending>> = items.into_par_iter().map(user).collect();
    checked.into_iter().collect()
}

fn user((i, value): (usize, toml::Value)) -> Result<Pending> {
    let place = format!("users[{i}]");
    let fields = toml_fields(value, &place)?;
    let mut allowed = export_names(true);
    allowed.extend(IMPORT_ONLY);
    check(
        FileRow {
            at: i as u64,
            fields,
        },
        place,
        &allowed,
    )
}
