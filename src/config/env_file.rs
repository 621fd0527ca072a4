//! Directus's `.env` file: its `KEY=VALUE` lines read as dotenv reads them,
//! and the database its `DB_*` variables point at.

use super::url::encode;
use crate::error::{Error, Result};
use crate::repo::Target;
use std::collections::HashMap;
use std::path::Path;

/// The database a Directus `.env` file points at.
pub fn from_env_file(path: &Path) -> Result<Target> {
    let vars = read_env_file(path)?;
    let client = vars.get("DB_CLIENT").map(String::as_str).unwrap_or("");
    match client {
        "sqlite3" | "sqlite" => sqlite_target(path, &vars, client),
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

/// The SQLite file DB_FILENAME names.
fn sqlite_target(path: &Path, vars: &HashMap<String, String>, client: &str) -> Result<Target> {
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

/// Reads `KEY=VALUE` lines as Directus does: comments, quotes, `string:` prefixes.
pub fn read_env_file(path: &Path) -> Result<HashMap<String, String>> {
    let text = crate::input::read(path, "env file")?;
    // Node reads a leading byte-order mark as nothing; so does roster.
    Ok(parse_env(text.strip_prefix('\u{feff}').unwrap_or(&text)))
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
        let (key, value) = (key.trim(), env_value(value.trim()));
        // SECRET keeps its type prefix: how Directus reads it depends on its
        // version, which invitation.rs weighs.
        let value = match key {
            "SECRET" => value,
            _ => value.strip_prefix("string:").unwrap_or(value),
        };
        vars.insert(key.to_string(), value.to_string());
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
        // No DB_PASSWORD: no password in the URL (not an empty one), so libpq's
        // own sources apply, within the limits a found .env sets on them.
        None => format!(
            "postgres://{}{}@{}:{}/{}",
            encode(get("DB_USER").unwrap_or("postgres")),
            get("DB_PASSWORD").map_or(String::new(), |p| format!(":{}", encode(p))),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_values() {
        let vars = parse_env(
            "# c\nDB_CLIENT=\"pg\"\nDB_PASSWORD='p@ss word'\nSECRET=string:123\nKEY=string:7\n",
        );
        assert_eq!(vars["DB_CLIENT"], "pg");
        assert_eq!(vars["SECRET"], "string:123");
        assert_eq!(vars["KEY"], "7");
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
}
