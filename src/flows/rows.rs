//! Checking the rows of a file before the database is asked: every value, every
//! field name, one email per row (spec §4a, "all or nothing").

use super::Interaction;
use crate::error::{Error, Result};
use crate::password::Secret;
use crate::policy::Policy;
use crate::profile::Profile;
use crate::repo::{Found, ImportRow, canonical_id};
use crate::rows::{Cell, FileRow, check_key};
use crate::status::Status;
use crate::{email, token};
use zeroize::Zeroizing;

/// A row whose values passed; its role is still a name, its password not hashed.
#[derive(Clone)]
pub struct Pending {
    pub row: ImportRow,
    pub role_key: Option<String>,
    pub password: Option<Secret>,
    /// Whether its email was new, live or soft-deleted when the row was planned.
    pub found: Found,
    /// `token = "generate"`: a new user gets a generated token (as `--generate-token`).
    pub generate_token: bool,
}

/// The same error with the row's place in front.
pub fn at(place: &str, e: Error) -> Error {
    e.reword(|m| format!("{place}: {m}"))
}

/// Checks one row; `allowed` are the field names this kind of file may hold.
pub fn check(fr: FileRow, place: String, allowed: &[&str]) -> Result<Pending> {
    let mut p = Pending {
        row: ImportRow {
            at: fr.at,
            place: place.clone(),
            ..ImportRow::default()
        },
        role_key: None,
        password: None,
        found: Found::New,
        generate_token: false,
    };
    let mut profile = Profile::default();
    for (key, cell) in fr.fields {
        check_key(&key, allowed, &place)?;
        field(&mut p, &mut profile, &key, cell).map_err(|e| at(&place, e))?;
    }
    p.row.profile = profile.validated().map_err(|e| at(&place, e))?;
    if p.row.email.is_empty() {
        return Err(Error::validation(format!(
            "{place}: the email field is missing"
        )));
    }
    if p.password.is_some() && p.row.password_hash.is_some() {
        return Err(Error::validation(format!(
            "{place}: give password or password_hash, not both"
        )));
    }
    if p.password.is_some() && p.row.is_sso() {
        return Err(Error::validation(format!(
            "{place}: an SSO user (provider {}) logs in through its provider: give it no password",
            p.row.profile.get("provider").unwrap_or_default()
        )));
    }
    if matches!(p.row.status, Some(Status::Draft | Status::Invited))
        && (p.password.is_some() || p.row.password_hash.is_some())
    {
        return Err(Error::validation(format!(
            "{place}: a draft or invited user has no password"
        )));
    }
    Ok(p)
}

fn field(p: &mut Pending, profile: &mut Profile, key: &str, cell: Cell) -> Result<()> {
    let text = cell.text();
    match key {
        "email" => p.row.email = email::normalize(&text)?,
        "id" => {
            p.row.id = Some(
                canonical_id(&text)
                    .ok_or_else(|| Error::validation(format!("id {text:?} is not a UUID")))?,
            )
        }
        "role" => p.role_key = Some(text.trim().to_string()),
        "status" => p.row.status = Some(status(&text)?),
        "password" | "password_env" | "password_file" => {
            if p.password.is_some() {
                return Err(Error::validation(
                    "give one of password, password_env and password_file",
                ));
            }
            p.password = Some(secret_from(key, text)?);
        }
        "token_env" => {
            let value = secret_from(key, text)?;
            token::validate(&value)?;
            p.row.token = Some(value.to_string());
        }
        "token" if text == "generate" => p.generate_token = true,
        "password_hash" => p.row.password_hash = Some(phc(&text)?),
        "token" => {
            token::validate(&text)?;
            p.row.token = Some(text);
        }
        "tfa_secret" => p.row.tfa_secret = Some(tfa(&text)?),
        "auth_data" => p.row.auth_data = Some(auth_data(&text)?),
        _ => profile.set(key, text)?,
    }
    Ok(())
}

/// A secret a row gives, or names: `*_env` a variable, `*_file` a file's first
/// line; one that is missing is exit 2 naming it (the row is named by the caller).
fn secret_from(key: &str, text: String) -> Result<Secret> {
    if key.ends_with("_env") {
        let value = std::env::var(text.trim()).map_err(|_| {
            Error::usage(format!(
                "{key}: environment variable {} is not set",
                text.trim()
            ))
        })?;
        return Ok(Zeroizing::new(value));
    }
    if key.ends_with("_file") {
        let path = std::path::Path::new(text.trim());
        let value =
            crate::password::read_file(path).map_err(|e| e.reword(|m| format!("{key}: {m}")))?;
        return Ok(Zeroizing::new(value));
    }
    Ok(Zeroizing::new(text))
}

/// A status a row may give: the five statuses of spec §3 (`archived` reads as deleted).
fn status(raw: &str) -> Result<Status> {
    match Status::from_db(&raw.trim().to_lowercase()) {
        Status::Other(other) => Err(Error::validation(format!(
            "status {other:?} must be draft, invited, active, suspended or deleted"
        ))),
        known => Ok(known),
    }
}

/// An argon2 PHC string, stored as it is once it passes [`password::check_hash`].
fn phc(raw: &str) -> Result<String> {
    crate::password::check_hash(raw)?;
    Ok(raw.to_string())
}

/// A TOTP secret as Directus stores it: base32 text.
fn tfa(raw: &str) -> Result<String> {
    let ok = !raw.is_empty()
        && raw.len() <= 255
        && raw
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b) || b == b'=');
    match ok {
        true => Ok(raw.to_string()),
        false => Err(Error::validation(
            "tfa_secret must be base32 text (A-Z, 2-7)",
        )),
    }
}

/// An SSO provider's data: any JSON, stored compact.
fn auth_data(raw: &str) -> Result<String> {
    serde_json::from_str::<serde_json::Value>(raw)
        .map(|v| v.to_string())
        .map_err(|_| {
            Error::validation("auth_data must be JSON, as export --with-secrets writes it")
        })
}

/// Checks the passwords rows give against the policy (exit 5 naming the row).
pub fn check_passwords(
    rows: &[Pending],
    policy: &Policy,
    allow_weak: bool,
    io: &dyn Interaction,
) -> Result<()> {
    let mut warned = false;
    for p in rows {
        let Some(pw) = &p.password else { continue };
        match policy.check(pw) {
            Ok(()) => {}
            Err(_) if allow_weak && !pw.is_empty() => {
                if !std::mem::replace(&mut warned, true) {
                    io.warn(
                        "warning: some passwords do not meet the password policy; accepted because of --allow-weak-password",
                    );
                }
            }
            Err(e) => return Err(at(&p.row.place, e)),
        }
    }
    Ok(())
}
