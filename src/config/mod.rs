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
