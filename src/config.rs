//! Finding the database and reading the config file: flag, environment,
//! Directus .env file, config file, then the embedded default (spec §4).

use crate::error::{Error, Result};
use crate::policy::Rules;
use crate::repo::Target;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The embedded default database, in the current folder.
pub const DEFAULT_DB: &str = "roster.db";

/// The config file's contents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Database URL, used when no flag, environment variable or .env names one.
    pub database_url: Option<String>,
    /// How long to wait for a locked SQLite database, in milliseconds.
    pub busy_timeout_ms: Option<u64>,
    /// How long to wait for a PostgreSQL server to answer, in seconds.
    pub connect_timeout_s: Option<u64>,
    /// The password policy; when present it wins over the database's.
    pub password_policy: Option<Rules>,
}

/// Loads the named config file (which must exist) or the default one (which may not).
pub fn load(explicit: Option<&Path>) -> Result<(FileConfig, Option<PathBuf>)> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match default_path() {
            Some(p) if p.exists() => p,
            _ => return Ok((FileConfig::default(), None)),
        },
    };
    let text = read_regular(&path, "config file")?;
    let config: FileConfig = toml::from_str(&text).map_err(|e| {
        Error::usage(format!(
            "config file {} is not valid: {}",
            path.display(),
            e.message()
        ))
    })?;
    warn_if_readable(&path, &config);
    Ok((config, Some(path)))
}

fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("roster").join("config.toml"))
}

/// A database password in a file others can read deserves a warning.
fn warn_if_readable(path: &Path, config: &FileConfig) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let has_secret = config.database_url.as_deref().is_some_and(url_has_password);
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0);
        if has_secret && mode & 0o077 != 0 {
            crate::output::safe::to_stderr(&format!(
                "warning: {} holds a database password and others can read it (chmod 600 it)",
                path.display()
            ));
        }
    }
}

fn url_has_password(url: &str) -> bool {
    let parts = UrlParts::of(url);
    parts.password.is_some() || parts.query_has_password
}

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

/// Where the database setting came from, for notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Given,
    Default,
}

/// Reads a database URL: `sqlite:PATH`, `sqlite://PATH`, `postgres://`, `postgresql://`,
/// `mysql://`, `mariadb://`, or a path.
pub fn parse_url(url: &str) -> Result<Target> {
    // Neither message echoes the input: it may hold a password.
    let lower = url.to_ascii_lowercase();
    if (lower.starts_with("postgres:") || lower.starts_with("postgresql:")) && !url.contains("://")
    {
        return Err(Error::usage(
            "a PostgreSQL URL starts with postgres:// or postgresql://",
        ));
    }
    if !url.contains("://")
        && ["password=", "host=", "dbname=", "user="]
            .iter()
            .any(|k| lower.contains(k))
    {
        return Err(Error::usage(
            "roster takes PostgreSQL settings as a URL (postgres://USER:PASSWORD@HOST/DB), not as key=value pairs",
        ));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres {
            url: url.to_string(),
        });
    }
    if url.starts_with("mysql://") || url.starts_with("mariadb://") {
        return Ok(Target::Mysql {
            url: url.to_string(),
        });
    }
    if (lower.starts_with("mysql:") || lower.starts_with("mariadb:")) && !url.contains("://") {
        return Err(Error::usage(
            "a MySQL URL starts with mysql:// or mariadb://",
        ));
    }
    if url.contains("://") && !url.starts_with("sqlite://") {
        let scheme = url.split("://").next().unwrap_or("");
        return Err(Error::usage(format!(
            "unsupported database URL scheme {scheme:?}: use sqlite:PATH, a file path, postgres:// or mysql://"
        )));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    Ok(Target::Sqlite {
        path: PathBuf::from(path),
        create: false,
    })
}

/// The database a Directus `.env` file points at.
pub fn from_env_file(path: &Path) -> Result<Target> {
    let vars = read_env_file(path)?;
    let client = vars.get("DB_CLIENT").map(String::as_str).unwrap_or("");
    match client {
        "sqlite3" | "sqlite" => {
            let file = vars.get("DB_FILENAME").ok_or_else(|| {
                Error::usage(format!(
                    "{} sets DB_CLIENT={client} but no DB_FILENAME",
                    path.display()
                ))
            })?;
            // Directus runs from the folder that holds .env, so a relative name is taken from there.
            let dir = path.parent().unwrap_or(Path::new("."));
            Ok(Target::Sqlite {
                path: dir.join(file),
                create: false,
            })
        }
        "pg" | "postgres" | "postgresql" => Ok(Target::Postgres {
            url: postgres_url(&vars),
        }),
        "mysql" | "mysql2" | "mariadb" => Ok(Target::Mysql {
            url: mysql_url(&vars),
        }),
        "" => Err(Error::usage(format!(
            "{} sets no DB_CLIENT (roster reads sqlite3, pg and mysql)",
            path.display()
        ))),
        other => Err(Error::usage(format!(
            "{}: DB_CLIENT={other:?} is not supported (roster reads sqlite3, pg and mysql)",
            path.display()
        ))),
    }
}

/// Reads `KEY=VALUE` lines as Directus does: comments, quotes, `string:` prefixes.
pub fn read_env_file(path: &Path) -> Result<HashMap<String, String>> {
    let text = read_regular(path, "env file")?;
    // Node reads a leading byte-order mark as nothing; so does roster.
    Ok(parse_env(text.strip_prefix('\u{feff}').unwrap_or(&text)))
}

/// A file named on the command line, read whole; a FIFO, device or folder is
/// refused (exit 2) rather than waited on for ever.
pub fn read_regular(path: &Path, what: &str) -> Result<String> {
    let cannot = |e: &dyn std::fmt::Display| {
        Error::usage(format!("cannot read {what} {}: {e}", path.display()))
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if !meta.is_file() {
        return Err(cannot(&"it is not a regular file"));
    }
    std::fs::read_to_string(path).map_err(|e| cannot(&e))
}

pub fn parse_env(text: &str) -> HashMap<String, String> {
    let mut vars = HashMap::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.trim_start_matches("export ").split_once('=') else {
            continue;
        };
        let value = env_value(value.trim());
        let value = value.strip_prefix("string:").unwrap_or(value);
        vars.insert(key.trim().to_string(), value.to_string());
    }
    vars
}

/// A value as dotenv reads it: a quoted value ends at its closing quote (a comment
/// may follow); an unquoted one ends before ` #`.
fn env_value(raw: &str) -> &str {
    for quote in ['"', '\'', '`'] {
        if let Some(rest) = raw.strip_prefix(quote) {
            if let Some(end) = rest.find(quote) {
                return &rest[..end];
            }
        }
    }
    match raw.find(" #").or_else(|| raw.find("\t#")) {
        Some(i) => raw[..i].trim_end(),
        None => raw,
    }
}

/// A postgres URL from Directus's DB_* variables, with its DB_SSL__* choices.
fn postgres_url(vars: &HashMap<String, String>) -> String {
    let get = |k: &str| vars.get(k).map(String::as_str);
    let base = match get("DB_CONNECTION_STRING") {
        Some(url) => url.to_string(),
        None => format!(
            "postgres://{}:{}@{}:{}/{}",
            encode(get("DB_USER").unwrap_or("postgres")),
            encode(get("DB_PASSWORD").unwrap_or("")),
            get("DB_HOST").unwrap_or("localhost"),
            get("DB_PORT").unwrap_or("5432"),
            encode(get("DB_DATABASE").unwrap_or("directus")),
        ),
    };
    let ssl_on = get("DB_SSL").is_some_and(|v| v != "false")
        || vars.keys().any(|k| k.starts_with("DB_SSL__"));
    let mode = match (ssl_on, get("DB_SSL__REJECT_UNAUTHORIZED")) {
        (false, _) => "disable",
        (true, Some("false")) => "require",
        (true, _) => "verify-full",
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut url = if base.contains("sslmode=") {
        base
    } else {
        format!("{base}{sep}sslmode={mode}")
    };
    // With REJECT_UNAUTHORIZED=false node-postgres checks nothing, CA file or not.
    if let Some(ca) = get("DB_SSL__CA_FILE").filter(|_| mode != "require") {
        url.push_str(&format!("&sslrootcert={ca}"));
    }
    url
}

/// A mysql URL from Directus's DB_* variables. Directus's driver (mysql2) uses TLS
/// only when DB_SSL__* options are given, and then checks the certificate and host
/// name unless DB_SSL__REJECT_UNAUTHORIZED=false.
fn mysql_url(vars: &HashMap<String, String>) -> String {
    let get = |k: &str| vars.get(k).map(String::as_str);
    if let Some(url) = get("DB_CONNECTION_STRING").filter(|u| u.starts_with("mysql://")) {
        return url.to_string();
    }
    let ssl_on = vars.keys().any(|k| k.starts_with("DB_SSL__"));
    let mode = match (ssl_on, get("DB_SSL__REJECT_UNAUTHORIZED")) {
        (false, _) => "DISABLED",
        (true, Some("false")) => "REQUIRED",
        (true, _) => "VERIFY_IDENTITY",
    };
    let mut url = format!(
        "mysql://{}:{}@{}:{}/{}?ssl-mode={mode}",
        encode(get("DB_USER").unwrap_or("root")),
        encode(get("DB_PASSWORD").unwrap_or("")),
        get("DB_HOST").unwrap_or("localhost"),
        get("DB_PORT").unwrap_or("3306"),
        encode(get("DB_DATABASE").unwrap_or("directus")),
    );
    if let Some(ca) = get("DB_SSL__CA_FILE").filter(|_| mode != "REQUIRED") {
        url.push_str(&format!("&ssl-ca={}", encode(ca)));
    }
    if let Some(socket) = get("DB_SOCKET_PATH") {
        url.push_str(&format!("&socket={}", encode(socket)));
    }
    url
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
        Some((base, query)) => {
            let masked: Vec<&str> = query
                .split('&')
                .map(|p| {
                    if p.starts_with("password=") {
                        "password=***"
                    } else {
                        p
                    }
                })
                .collect();
            format!("{base}?{}", masked.join("&"))
        }
        None => parts.rest.to_string(),
    };
    format!("{}://{userinfo}{rest}", parts.scheme)
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
    fn env_file_values() {
        let vars = parse_env("# c\nDB_CLIENT=\"pg\"\nDB_PASSWORD='p@ss word'\nSECRET=string:123\n");
        assert_eq!(vars["DB_CLIENT"], "pg");
        assert_eq!(vars["SECRET"], "123");
        let url = postgres_url(&vars);
        assert_eq!(
            url,
            "postgres://postgres:p%40ss%20word@localhost:5432/directus?sslmode=disable"
        );
    }

    #[test]
    fn mysql_env_files() {
        let vars = parse_env(
            "DB_CLIENT=mysql\nDB_HOST=db\nDB_PORT=3307\nDB_DATABASE=dx\nDB_USER=u\nDB_PASSWORD=p@ss\n",
        );
        assert_eq!(
            mysql_url(&vars),
            "mysql://u:p%40ss@db:3307/dx?ssl-mode=DISABLED"
        );
        let vars = parse_env("DB_SSL__CA_FILE=/ca.pem\nDB_SOCKET_PATH=/run/mysqld/mysqld.sock\n");
        assert_eq!(
            mysql_url(&vars),
            "mysql://root:@localhost:3306/directus?ssl-mode=VERIFY_IDENTITY&ssl-ca=%2Fca.pem&socket=%2Frun%2Fmysqld%2Fmysqld.sock"
        );
        let vars = parse_env("DB_SSL__REJECT_UNAUTHORIZED=false\n");
        assert!(mysql_url(&vars).ends_with("?ssl-mode=REQUIRED"));
    }

    #[test]
    fn ssl_variables() {
        let vars =
            parse_env("DB_SSL__REJECT_UNAUTHORIZED=false\nDB_CONNECTION_STRING=postgres://u@h/d\n");
        assert_eq!(postgres_url(&vars), "postgres://u@h/d?sslmode=require");
    }

    #[test]
    fn env_values_as_dotenv_reads_them() {
        let vars = parse_env("A=\"sqlite3\" # the client\nB=./data.db  # db\nC='x#y'\nD=p#q\n");
        assert_eq!(vars["A"], "sqlite3");
        assert_eq!(vars["B"], "./data.db");
        assert_eq!(vars["C"], "x#y");
        assert_eq!(vars["D"], "p#q");
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
