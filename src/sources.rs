//! Which database a run works on (spec §4): every source in order of
//! precedence, the first that names a database wins, and the others are
//! reported as passed over (on stderr, and by `doctor`).

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
    /// Found by looking (a Directus `.env` here or in a parent folder), not
    /// named by the operator.
    found: bool,
}

/// The sources that name a database, in order: `-d`, `--env-file`, `--project`
/// (or `ROSTER_PROJECT`), `ROSTER_DATABASE_URL`, a Directus `.env` (one that sets `DB_CLIENT`) in this
/// folder or the nearest parent that has one, `DATABASE_URL`, the config file.
/// The `.env` ranks above `DATABASE_URL` because Directus itself never reads that
/// variable: a project's own `.env` is what its server uses. An empty value is a
/// usage error, never "not given".
pub fn sources(
    flag: Option<&str>,
    env_file: Option<&Path>,
    project: Option<&str>,
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
    if let Some(name) = project {
        found.push(project_source(name, cfg.project(name)?)?);
    }
    found.extend(environment("ROSTER_DATABASE_URL")?);
    if let Some(path) = directus_env_file() {
        let mut source = Source::env_file(env_file_label(&path), &path);
        source.found = true;
        found.push(source);
    }
    found.extend(environment("DATABASE_URL")?);
    if let Some(v) = &cfg.database_url {
        found.push(Source::url(
            "the config file's database_url",
            nonempty(v, "database_url in the config file")?,
        ));
    }
    Ok(found)
}

/// The database a named project of the config file names.
fn project_source(name: &str, p: &config::Project) -> Result<Source> {
    let label = format!("project {name}");
    match (&p.database_url, &p.env_file) {
        (Some(url), _) => {
            let what = format!("database_url of project {name}");
            Ok(Source::url(&label, nonempty(url, &what)?))
        }
        (None, Some(path)) => {
            config::read_env_file(path)?;
            Ok(Source::env_file(label, path))
        }
        (None, None) => Err(Error::usage(format!("project {name} names no database"))),
    }
}

impl Source {
    fn url(label: &str, url: &str) -> Source {
        Source {
            label: label.to_string(),
            named: Named::Url(url.to_string()),
            found: false,
        }
    }

    fn env_file(label: String, path: &Path) -> Source {
        Source {
            label,
            named: Named::EnvFile(path.to_path_buf()),
            found: false,
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

/// The environment variable `var`, when set.
fn environment(var: &str) -> Result<Option<Source>> {
    let Some(v) = std::env::var_os(var) else {
        return Ok(None);
    };
    let v = v
        .into_string()
        .map_err(|_| Error::usage(format!("{var} is not valid UTF-8")))?;
    Ok(Some(Source::url(var, nonempty(&v, var)?)))
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

/// The `.env` of the Directus project this folder is in: `./.env` when it sets
/// `DB_CLIENT` (as Directus's own CLI reads it), else the nearest parent folder's
/// that does, as git finds `.git`, so a command run in a subfolder works on the
/// project's database, never on a new `roster.db` there.
fn directus_env_file() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    here.ancestors().find_map(|dir| {
        let path = dir.join(".env");
        let vars = config::read_env_file(&path).ok()?;
        let sets_client = vars.get("DB_CLIENT").is_some_and(|c| !c.trim().is_empty());
        if !sets_client {
            return None;
        }
        if dir == here {
            return Some(PathBuf::from(".env"));
        }
        // A parent folder's .env names the database only when it is the
        // operator's own and no one else can change it (as git trusts a
        // repository): a /tmp/.env planted by another user must not win.
        if !safe_to_trust(&path) {
            crate::output::safe::to_stderr(&crate::output::safe::one_line(&format!(
                "warning: {} names a database, but it is not yours or others can change it: passed over (--env-file {} uses it)",
                path.display(),
                path.display()
            )));
            return None;
        }
        Some(path)
    })
}

/// Whether a file belongs to the user running roster and only they can write it.
fn safe_to_trust(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    meta.uid() == me && meta.mode() & 0o022 == 0
}

/// `./.env`, or a parent's `.env` by its full path.
fn env_file_label(path: &Path) -> String {
    match path == Path::new(".env") {
        true => "./.env".to_string(),
        false => format!("{} (the Directus .env of a parent folder)", path.display()),
    }
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
    let origin = match first.found {
        true => Origin::Found,
        false => Origin::Given,
    };
    Ok((target, origin, ignored))
}
