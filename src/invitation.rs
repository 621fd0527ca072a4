//! Links the Directus app accepts, signed as Directus signs its own: invitations
//! (spec §7, PUBLIC_URL/admin/accept-invite?token=…) and password resets
//! (PUBLIC_URL/admin/reset-password?token=…), each a JWT signed with HS256 and
//! the project's SECRET.

use crate::config::{self, parse_ttl};
use crate::error::{Error, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use std::collections::HashMap;
use std::path::Path;
use zeroize::Zeroizing;

/// A `.env` file's variables.
type Vars = HashMap<String, String>;

/// Directus's default USER_INVITE_TOKEN_TTL: seven days.
const DEFAULT_TTL: u64 = 7 * 24 * 3600;
/// A password-reset link lasts a day: Directus fixes it (`expiresIn: "1d"`).
const RESET_TTL: u64 = 24 * 3600;

/// What signing a link needs: the project's secret, its public URL, a lifetime.
pub struct LinkSettings {
    secret: Zeroizing<String>,
    public_url: String,
    ttl_secs: u64,
    /// PASSWORD_RESET_URL_ALLOW_LIST: where else a reset link may point.
    reset_allow_list: Vec<String>,
}

/// The settings given on the command line; each overrides the `.env` value.
#[derive(Debug, Default)]
pub struct Given<'a> {
    pub env_file: Option<&'a Path>,
    pub public_url: Option<&'a str>,
    pub ttl: Option<&'a str>,
    pub secret_file: Option<&'a Path>,
}

impl LinkSettings {
    /// Reads SECRET, PUBLIC_URL and USER_INVITE_TOKEN_TTL from the flags or the `.env`.
    pub fn resolve(given: &Given) -> Result<LinkSettings> {
        let vars = match given.env_file {
            Some(path) => config::read_env_file(path)?,
            None => Default::default(),
        };
        let file = given.env_file.map(|p| p.display().to_string());
        Ok(LinkSettings {
            secret: secret(given, &vars, file.as_deref())?,
            public_url: public_url(given, &vars, file.as_deref())?,
            ttl_secs: ttl_secs(given, &vars, file.as_deref())?,
            reset_allow_list: vars
                .get("PASSWORD_RESET_URL_ALLOW_LIST")
                .map(|l| {
                    l.split(',')
                        .map(|u| u.trim().to_string())
                        .filter(|u| !u.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Refuses a SECRET that this Directus reads as something other than text:
    /// jsonwebtoken cannot sign with a number, a boolean, a list or an object, so
    /// Directus's own links fail, and a link roster signed would never verify.
    /// `casts` is for Directus 11.3 and before, which guess a value's type.
    pub fn check_secret(&self, casts: bool) -> Result<()> {
        let Some(kind) = typed(&self.secret, casts) else {
            return Ok(());
        };
        Err(Error::usage(format!(
            "this Directus reads SECRET as {kind}, not text, and cannot sign links with it; neither does roster"
        ))
        .hint("give SECRET a value Directus reads as text: prefix it with string:"))
    }

    /// Refuses a SECRET the Directus that made this database would not read as
    /// text (its version decides how it reads the `.env`).
    pub fn check_secret_for(&self, repo: &mut dyn crate::repo::Repo) -> Result<()> {
        let flavor = repo.schema()?.flavor;
        let last = repo.facts()?.last_migration;
        self.check_secret(crate::repo::schema::guesses_env_types(
            flavor,
            last.as_deref(),
        ))
    }

    /// The invite link for an email, issued at `now` (epoch seconds), and when it expires.
    pub fn link(&self, email: &str, now: u64) -> (String, u64) {
        let claims = serde_json::json!({ "email": email, "scope": "invite" });
        self.signed("accept-invite", claims, now, self.ttl_secs)
    }

    /// The password-reset link for a user, as Directus's "forgot password" makes
    /// it: valid a day, and only while the stored hash is `stored_hash` (its
    /// `hash` claim), so it works once: setting the password changes the hash.
    pub fn reset_link(&self, email: &str, stored_hash: Option<&str>, now: u64) -> (String, u64) {
        // Directus hashes `"" + user.password`: a NULL is the text "null".
        let hash = simple_hash(stored_hash.unwrap_or("null"));
        let claims = serde_json::json!({ "email": email, "scope": "password-reset", "hash": hash });
        self.signed("reset-password", claims, now, RESET_TTL)
    }

    /// The same link, opened at `url` instead of the app's page: Directus allows
    /// only an address of PASSWORD_RESET_URL_ALLOW_LIST (the same, or the same
    /// but for its query), and adds the token to its query.
    pub fn reset_link_at(
        &self,
        url: &str,
        email: &str,
        stored_hash: Option<&str>,
        now: u64,
    ) -> Result<(String, u64)> {
        let base = |u: &str| u.split(['?', '#']).next().unwrap_or_default().to_string();
        if !self
            .reset_allow_list
            .iter()
            .any(|a| a == url || base(a) == base(url))
        {
            return Err(Error::usage(format!(
                "{url} is not in PASSWORD_RESET_URL_ALLOW_LIST, so Directus would refuse it"
            ))
            .hint("add it to PASSWORD_RESET_URL_ALLOW_LIST in the project's .env"));
        }
        let (link, exp) = self.reset_link(email, stored_hash, now);
        let token = link.rsplit("token=").next().unwrap_or_default();
        let (address, fragment) = match url.split_once('#') {
            Some((a, f)) => (a, format!("#{f}")),
            None => (url, String::new()),
        };
        let join = if address.contains('?') { '&' } else { '?' };
        Ok((format!("{address}{join}token={token}{fragment}"), exp))
    }

    /// The app's page `page` with a token of these claims, issued at `now`.
    fn signed(
        &self,
        page: &str,
        mut claims: serde_json::Value,
        now: u64,
        ttl: u64,
    ) -> (String, u64) {
        let exp = now + ttl;
        claims["iat"] = now.into();
        claims["exp"] = exp.into();
        claims["iss"] = "directus".into();
        let secret = self.secret.strip_prefix("string:").unwrap_or(&self.secret);
        let token = sign(secret, &claims);
        let base = self.public_url.trim_end_matches('/');
        (format!("{base}/admin/{page}?token={token}"), exp)
    }
}

/// `--secret-file`'s first line, else the `.env`'s SECRET.
fn secret(given: &Given, vars: &Vars, file: Option<&str>) -> Result<Zeroizing<String>> {
    let secret = match given.secret_file {
        Some(path) => read_secret(path)?,
        None => Zeroizing::new(vars.get("SECRET").cloned().unwrap_or_default()),
    };
    if secret.is_empty() {
        return Err(Error::usage(match file {
            Some(f) if given.secret_file.is_none() => {
                format!("{f} sets no SECRET, which an invite link is signed with: add it, or give --secret-file")
            }
            _ => "an invite link needs the project's SECRET: give --env-file (Directus's .env) or --secret-file".to_string(),
        }));
    }
    Ok(secret)
}

/// What a SECRET is read as when not text: a type prefix says so on every
/// version; Directus 11.3 and before (`casts`) also take a number, `true` or
/// `false`, a comma list or JSON for what they look like ("0123" stays text).
fn typed(raw: &str, casts: bool) -> Option<&'static str> {
    let prefixes = [
        ("number:", "a number"),
        ("boolean:", "a boolean"),
        ("array:", "a list"),
        ("json:", "JSON"),
        ("regex:", "a regular expression"),
    ];
    if let Some((_, kind)) = prefixes.iter().find(|(p, _)| raw.starts_with(p)) {
        return Some(kind);
    }
    if !casts || raw.starts_with("string:") {
        return None;
    }
    let number = !raw.starts_with('0') || raw == "0" || raw.starts_with("0.");
    match raw {
        "true" | "false" => Some("a boolean"),
        _ if number && raw.parse::<f64>().is_ok_and(f64::is_finite) => Some("a number"),
        _ if raw.starts_with(['{', '['])
            && serde_json::from_str::<serde_json::Value>(raw).is_ok() =>
        {
            Some("JSON")
        }
        _ if raw.contains(',') => Some("a list"),
        _ => None,
    }
}

/// `--public-url`, else the `.env`'s PUBLIC_URL; an empty one is none.
fn public_url(given: &Given, vars: &Vars, file: Option<&str>) -> Result<String> {
    let public_url = given
        .public_url
        .map(str::to_string)
        .or_else(|| vars.get("PUBLIC_URL").cloned());
    public_url.filter(|u| !u.is_empty()).ok_or_else(|| {
        Error::usage(match file {
            Some(f) => format!("{f} sets no PUBLIC_URL, the address of the Directus app: add it, or give --public-url"),
            None => "an invite link needs Directus's PUBLIC_URL: give --public-url or --env-file".to_string(),
        })
    })
}

/// `--ttl`, else the `.env`'s USER_INVITE_TOKEN_TTL (a bad one named with the
/// file it is in), else Directus's default.
fn ttl_secs(given: &Given, vars: &Vars, file: Option<&str>) -> Result<u64> {
    match (given.ttl, vars.get("USER_INVITE_TOKEN_TTL"), file) {
        (Some(flag), _, _) => parse_ttl(flag).and_then(bounded),
        (None, Some(v), Some(f)) => parse_ttl(v).and_then(bounded).map_err(|e| match e.kind() {
            Error::Validation(_) => e.reword(|m| format!("USER_INVITE_TOKEN_TTL in {f}: {m}")),
            other => Error::usage(format!("USER_INVITE_TOKEN_TTL in {f}: {other}")),
        }),
        _ => Ok(DEFAULT_TTL),
    }
}

fn read_secret(path: &Path) -> Result<Zeroizing<String>> {
    let text = Zeroizing::new(crate::input::read(path, "secret file")?);
    Ok(Zeroizing::new(
        text.lines().next().unwrap_or("").to_string(),
    ))
}

/// Directus's `getSimpleHash`: Java's string hash over UTF-16 units, in 32-bit
/// wrapping arithmetic, its absolute value in lower-case hex.
fn simple_hash(text: &str) -> String {
    let hash = text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    });
    format!("{:x}", i64::from(hash).abs())
}

/// A compact JWS with HS256, as the `jsonwebtoken` package Directus uses writes it.
fn sign(secret: &str, payload: &serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(payload.to_string());
    let signing_input = format!("{header}.{body}");
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key");
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// The longest invite roster signs: ten years. Longer ones overflow Directus's
/// dates or never expire, which no invitation should.
const MAX_TTL: u64 = 3650 * 86_400;

/// Refuses (exit 5) a lifetime past [`MAX_TTL`].
fn bounded(secs: u64) -> Result<u64> {
    match secs <= MAX_TTL {
        true => Ok(secs),
        false => Err(Error::validation(format!(
            "an invite link can be valid for at most 3650 days, not {secs} seconds"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_hash_matches_directus() {
        for (text, want) in [
            ("", "0"),
            ("null", "33c587"),
            ("hello", "5e918d2"),
            ("polygenelubricants", "80000000"),
            ("é€😀", "ff9d86"),
        ] {
            assert_eq!(simple_hash(text), want, "{text}");
        }
    }

    #[test]
    fn signature_matches_a_known_token() {
        // jwt.io's HS256 example, signed with the secret "your-256-bit-secret".
        let payload: serde_json::Value =
            serde_json::from_str(r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#)
                .unwrap();
        assert_eq!(
            sign("your-256-bit-secret", &payload),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        );
    }
}
