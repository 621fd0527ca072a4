//! Database URLs: which database a URL names, and the password it may carry
//! (spotted for warnings, masked for messages, encoded when roster builds one).

use crate::error::{Error, Result};
use crate::repo::Target;
use std::path::PathBuf;

/// The pieces of a database URL that may hold a password.
struct UrlParts<'a> {
    scheme: &'a str,
    user: Option<&'a str>,
    password: Option<&'a str>,
    /// Host, port, path and query: everything after the user information.
    rest: &'a str,
    query_has_password: bool,
}

impl<'a> UrlParts<'a> {
    /// Splits `scheme://user:password@host/...`; the user information ends at the
    /// last `@` before the path, so an unencoded `@` in a password stays in it.
    fn of(url: &'a str) -> UrlParts<'a> {
        let (scheme, after) = url.split_once("://").unwrap_or(("", url));
        let authority_end = after.find(['/', '?']).unwrap_or(after.len());
        let (userinfo, rest) = match after[..authority_end].rfind('@') {
            Some(at) => (Some(&after[..at]), &after[at + 1..]),
            None => (None, after),
        };
        let (user, password) = match userinfo.map(|u| u.split_once(':')) {
            Some(Some((u, p))) => (Some(u), Some(p)),
            Some(None) => (userinfo, None),
            None => (None, None),
        };
        let query = rest.split_once('?').map_or("", |(_, q)| q);
        let query_has_password = query.split('&').any(|p| p.starts_with("password="));
        UrlParts {
            scheme,
            user,
            password,
            rest,
            query_has_password,
        }
    }
}

/// Whether a URL carries a password, in its user information or its query.
pub(crate) fn url_has_password(url: &str) -> bool {
    let parts = UrlParts::of(url);
    parts.password.is_some() || parts.query_has_password
}

/// Reads a database URL: `sqlite:PATH`, `sqlite://PATH`, `postgres://`, `postgresql://`,
/// `mysql://`, `mariadb://`, or a path.
pub fn parse_url(url: &str) -> Result<Target> {
    match url.split_once("://") {
        Some((scheme, rest)) => with_scheme(url, scheme, rest),
        None => without_scheme(url),
    }
}

fn with_scheme(url: &str, scheme: &str, rest: &str) -> Result<Target> {
    let url = url.to_string();
    match scheme {
        "postgres" | "postgresql" => Ok(Target::Postgres { url }),
        "mysql" | "mariadb" => Ok(Target::Mysql { url }),
        "sqlite" => Ok(sqlite(rest)),
        _ => Err(Error::usage(format!(
            "unsupported database URL scheme {scheme:?}: use sqlite:PATH, a file path, postgres:// or mysql://"
        ))),
    }
}

/// A path or `sqlite:PATH`; a server's URL missing its `//`, or libpq's
/// `key=value` settings, are refused without echoing what may be a password.
fn without_scheme(url: &str) -> Result<Target> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("postgres:") || lower.starts_with("postgresql:") {
        return Err(Error::usage(
            "a PostgreSQL URL starts with postgres:// or postgresql://",
        ));
    }
    if ["password=", "host=", "dbname=", "user="]
        .iter()
        .any(|k| lower.contains(k))
    {
        return Err(Error::usage(
            "roster takes PostgreSQL settings as a URL (postgres://USER:PASSWORD@HOST/DB), not as key=value pairs",
        ));
    }
    if lower.starts_with("mysql:") || lower.starts_with("mariadb:") {
        return Err(Error::usage(
            "a MySQL URL starts with mysql:// or mariadb://",
        ));
    }
    Ok(sqlite(url.strip_prefix("sqlite:").unwrap_or(url)))
}

fn sqlite(path: &str) -> Target {
    Target::Sqlite {
        path: PathBuf::from(path),
        create: false,
    }
}

/// Percent-encodes a URL part (user names and passwords may hold any character).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A URL with any password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    let parts = UrlParts::of(url);
    if !url.contains("://") {
        return url.to_string();
    }
    let userinfo = match (parts.user, parts.password) {
        (Some(u), Some(_)) => format!("{u}:***@"),
        (Some(u), None) => format!("{u}@"),
        _ => String::new(),
    };
    let rest = match parts.rest.split_once('?') {
        Some((base, query)) => format!("{base}?{}", mask_query(query)),
        None => parts.rest.to_string(),
    };
    format!("{}://{userinfo}{rest}", parts.scheme)
}

/// A query string with each `password=` value replaced by `***`.
fn mask_query(query: &str) -> String {
    let masked: Vec<&str> = query
        .split('&')
        .map(|p| match p.starts_with("password=") {
            true => "password=***",
            false => p,
        })
        .collect();
    masked.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let sqlite = |p: &str| Target::Sqlite {
            path: PathBuf::from(p),
            create: false,
        };
        assert_eq!(parse_url("sqlite:a.db").unwrap(), sqlite("a.db"));
        assert_eq!(
            parse_url("sqlite:///tmp/a.db").unwrap(),
            sqlite("/tmp/a.db")
        );
        assert_eq!(parse_url("dir/a.db").unwrap(), sqlite("dir/a.db"));
        assert!(matches!(
            parse_url("postgresql://h/db").unwrap(),
            Target::Postgres { .. }
        ));
        for url in ["mysql://h/db", "mariadb://u:p@h:3307/db?ssl-mode=REQUIRED"] {
            assert_eq!(parse_url(url).unwrap(), Target::Mysql { url: url.into() });
        }
        assert_eq!(parse_url("mysql:h/db").unwrap_err().exit_code(), 2);
        assert_eq!(parse_url("oracle://h/db").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn conninfo_strings_and_bad_schemes_are_refused_without_echo() {
        for bad in [
            "postgres:/u:S3cret@h/db",
            "host=db user=u password=S3cret dbname=d",
        ] {
            let err = parse_url(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(!err.to_string().contains("S3cret"), "{err}");
        }
    }

    #[test]
    fn redaction_of_awkward_passwords() {
        assert_eq!(redact("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("postgres://u@h/db?sslmode=disable&password=TopSecret1"),
            "postgres://u@h/db?sslmode=disable&password=***"
        );
        assert!(url_has_password("postgres://u@h/db?password=x"));
        assert!(url_has_password("postgres://u:x@h/db"));
        assert!(!url_has_password("postgres://u@h/db"));
    }

    #[test]
    fn redaction() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
