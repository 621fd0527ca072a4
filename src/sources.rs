//! Which database a run works on (spec §4): every source in order of
//! precedence, the first that names a database wins, and the others are
//! reported as passed over (under `-v`, and by `doctor`).

use crate::config::{self, FileConfig, Origin};
use crate::error::{Error, Result};
use crate::repo::Target;
use std::path::{Path, PathBuf};

/// What a source names.
#[derive(Debug, Clone)]
enum Named {
    Url(String),
    EnvFile(PathBuf),
}

/// A source that names a database, and how to call it in messages.
#[derive(Debug, Clone)]
pub struct Source {
    pub label: String,
    named: Named,
}

/// The sources that name a database, in order: `-d`, `--env-file`,
/// `ROSTER_DATABASE_URL`, `DATABASE_URL`, `./.env` when it sets `DB_CLIENT`, the
/// config file. An empty value is a usage error, never "not given".
pub fn sources(
    flag: Option<&str>,
    env_file: Option<&Path>,
    cfg: &FileConfig,
) -> Result<Vec<Source>> {
    let mut found = Vec::new();
    if let Some(v) = flag {
        warn_if_shown(v);
        found.push(Source::url("-d", nonempty(v, "-d/--database-url")?));
    }
    if let Some(path) = env_file {
        // A file named on the command line must be readable: a typo never passes.
        config::read_env_file(path)?;
        found.push(Source::env_file(
            format!("--env-file {}", path.display()),
            path,
        ));
    }
    found.extend(environment()?);
    if let Some(path) = local_env_file() {
        found.push(Source::env_file("./.env".to_string(), &path));
    }
    if let Some(v) = &cfg.database_url {
        found.push(Source::url(
            "the config file's database_url",
            nonempty(v, "database_url in the config file")?,
        ));
    }
    Ok(found)
}

impl Source {
    fn url(label: &str, url: &str) -> Source {
        Source {
            label: label.to_string(),
            named: Named::Url(url.to_string()),
        }
    }

    fn env_file(label: String, path: &Path) -> Source {
        Source {
            label,
            named: Named::EnvFile(path.to_path_buf()),
        }
    }
}

/// A password in `-d` shows in the process list; the warning names the
/// alternatives the URL's database reads.
fn warn_if_shown(url: &str) {
    if !holds_password(url) {
        return;
    }
    // PGPASSWORD and ~/.pgpass are libpq's: a MySQL URL has only the environment.
    let mysql = url.starts_with("mysql://") || url.starts_with("mariadb://");
    crate::output::safe::to_stderr(match mysql {
        true => {
            "warning: the password in -d shows in the process list; prefer DATABASE_URL or ROSTER_DATABASE_URL"
        }
        false => {
            "warning: the password in -d shows in the process list; prefer DATABASE_URL, PGPASSWORD or ~/.pgpass"
        }
    });
}

/// `ROSTER_DATABASE_URL` then `DATABASE_URL`, each when set.
fn environment() -> Result<Vec<Source>> {
    let mut found = Vec::new();
    for var in ["ROSTER_DATABASE_URL", "DATABASE_URL"] {
        if let Some(v) = std::env::var_os(var) {
            let v = v
                .into_string()
                .map_err(|_| Error::usage(format!("{var} is not valid UTF-8")))?;
            found.push(Source::url(var, nonempty(&v, var)?));
        }
    }
    Ok(found)
}

/// Whether a URL carries a password (`user:password@` or `password=`).
fn holds_password(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let userinfo = authority.rsplit_once('@').map(|(u, _)| u);
    userinfo.is_some_and(|u| u.contains(':')) || url.contains("password=")
}

fn nonempty<'a>(v: &'a str, what: &str) -> Result<&'a str> {
    match v.trim().is_empty() {
        true => Err(Error::usage(format!(
            "{what} is empty: name a database (sqlite:PATH, a file path, postgres://... or mysql://...)"
        ))),
        false => Ok(v),
    }
}

/// `./.env` when it is a Directus `.env` that sets `DB_CLIENT`, as Directus's own CLI reads it.
fn local_env_file() -> Option<PathBuf> {
    let path = PathBuf::from(".env");
    let vars = config::read_env_file(&path).ok()?;
    vars.get("DB_CLIENT")
        .filter(|c| !c.trim().is_empty())
        .map(|_| path)
}

/// The database the first source names (or the default `roster.db`), and the
/// sources passed over.
pub fn choose(found: &[Source]) -> Result<(Target, Origin, Vec<&str>)> {
    let Some(first) = found.first() else {
        let path = PathBuf::from(config::DEFAULT_DB);
        return Ok((
            Target::Sqlite { path, create: true },
            Origin::Default,
            vec![],
        ));
    };
    let target = match &first.named {
        Named::Url(url) => config::parse_url(url)?,
        Named::EnvFile(path) => config::from_env_file(path)?,
    };
    let ignored = found[1..].iter().map(|s| s.label.as_str()).collect();
    Ok((target, Origin::Given, ignored))
}
