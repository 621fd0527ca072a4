//! How settings are written down (spec §4): the config file here; in submodules
//! Directus's `.env` file, database URLs and durations, which flags, the
//! environment and files share. Which source wins is `sources`'s business.

mod duration;
mod env_file;
mod url;

pub use duration::{parse_age, parse_ttl};
pub use env_file::{from_env_file, parse_env, read_env_file};
use url::url_has_password;
pub use url::{encode, parse_url, redact};

use crate::error::{Error, Result};
use crate::policy::Rules;
use serde::Deserialize;
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
    /// Named projects (`[projects.prod]`), chosen with `--project NAME`.
    #[serde(default)]
    pub projects: std::collections::BTreeMap<String, Project>,
}

/// A named project of the config file: where its database is, and whether
/// writes to it must be confirmed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// The database's URL.
    pub database_url: Option<String>,
    /// A Directus `.env` naming the database (relative: to the config file's folder).
    pub env_file: Option<PathBuf>,
    /// Every write at a terminal asks for the project's name; unattended, `--yes`.
    #[serde(default)]
    pub protect: bool,
}

impl FileConfig {
    /// The project of this name (exit 2, naming the projects there are, if none).
    pub fn project(&self, name: &str) -> Result<&Project> {
        if name.trim().is_empty() {
            return Err(Error::usage(
                "--project is empty: name a project of the config file",
            ));
        }
        self.projects.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.projects.keys().map(String::as_str).collect();
            let known = match known.is_empty() {
                true => "it has none (add a [projects.NAME] table)".to_string(),
                false => format!("its projects: {}", known.join(", ")),
            };
            Error::usage(format!("no project {name:?} in the config file; {known}"))
        })
    }
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
    let text = crate::input::read(&path, "config file")?;
    let mut config: FileConfig = toml::from_str(&text).map_err(|e| {
        Error::usage(format!(
            "config file {} is not valid: {}",
            path.display(),
            e.message()
        ))
    })?;
    check_projects(&mut config, &path)?;
    warn_if_readable(&path, &config);
    Ok((config, Some(path)))
}

/// Each project names its database once: a URL or a `.env` (made absolute
/// from the config file's folder, wherever roster runs).
fn check_projects(config: &mut FileConfig, path: &Path) -> Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    for (name, p) in config.projects.iter_mut() {
        if p.database_url.is_some() == p.env_file.is_some() {
            return Err(Error::usage(format!(
                "config file {}: project {name:?} needs one of database_url and env_file",
                path.display()
            )));
        }
        if let Some(file) = &mut p.env_file
            && file.is_relative()
        {
            *file = folder.join(&*file);
        }
    }
    Ok(())
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
        let urls = std::iter::once(&config.database_url)
            .chain(config.projects.values().map(|p| &p.database_url));
        let has_secret = urls.flatten().any(|u| url_has_password(u));
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0);
        if has_secret && mode & 0o077 != 0 {
            crate::output::safe::to_stderr(&format!(
                "warning: {} holds a database password and others can read it (chmod 600 it)",
                path.display()
            ));
        }
        // Whoever can change it chooses the database, and the policy, roster uses.
        if mode & 0o022 != 0 {
            crate::output::safe::to_stderr(&format!(
                "warning: others can change {}, which chooses the database roster writes to (chmod 600 it)",
                path.display()
            ));
        }
    }
}

/// Where the database setting came from, for notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Named by the operator: a flag, a variable, the config file.
    Given,
    /// A Directus `.env` found in this folder or a parent.
    Found,
    Default,
}
