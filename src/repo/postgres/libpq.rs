//! libpq's conventions for what a PostgreSQL URL leaves out: the `PG*`
//! environment variables every PostgreSQL tool reads, the password file
//! (`~/.pgpass`), and `application_name=roster`, so roster connects where psql
//! would and a DBA sees it in `pg_stat_activity`.

use super::pgpass;
use crate::error::{Error, Result};
use postgres::Config;
use postgres::config::Host;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// Reads one environment variable; a parameter so that tests need not touch the process's.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process's environment, empty values counting as unset (as libpq reads them).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Everything needed to connect, once the URL and the environment are combined.
pub struct Settings {
    pub config: Config,
    pub sslmode: String,
    pub rootcert: Option<String>,
    /// The password in use, wherever it came from, to scrub from every message.
    pub password: Option<String>,
    /// How long the whole set-up may take per host; `None` waits forever (0, as libpq).
    pub timeout: Option<Duration>,
    /// Why the password file was passed over, told when the login fails.
    pub pgpass_note: Option<String>,
}

/// The parts of a URL roster handles itself, because the driver does not know them.
struct Url {
    config: Config,
    sslmode: Option<String>,
    rootcert: Option<String>,
}

/// Parses the URL, then fills what it leaves out from the environment and the
/// password file; `fallback` is the connect timeout from roster's config.
#[cfg(test)]
pub fn settings(url: &str, fallback: Option<Duration>, env: Env) -> Result<Settings> {
    settings_with(url, fallback, env, false)
}

/// [`settings`], with ambient passwords only for the host they name when
/// `host_bound` (a URL roster found in a `.env`, not one the operator gave):
/// `PGPASSWORD` when `PGHOST` is one of the URL's hosts, and password-file lines
/// whose host is not a wildcard.
pub fn settings_with(
    url: &str,
    fallback: Option<Duration>,
    env: Env,
    host_bound: bool,
) -> Result<Settings> {
    let Url {
        mut config,
        sslmode,
        rootcert,
    } = parse(&with_env_ports(url, env)?)?;
    fill_endpoints(&mut config, env)?;
    fill_identity(&mut config, env);
    let timeout = timeout(&config, fallback, env)?;
    if let Some(t) = timeout {
        // The driver's own timeout covers the TCP connect to each host.
        config.connect_timeout(t);
    }
    let mut s = Settings {
        config,
        sslmode: sslmode
            .or_else(|| env("PGSSLMODE"))
            .unwrap_or("prefer".into()),
        rootcert: rootcert.or_else(|| env("PGSSLROOTCERT")),
        password: None,
        timeout,
        pgpass_note: None,
    };
    fill_password(&mut s, env, host_bound);
    Ok(s)
}

fn parse(url: &str) -> Result<Url> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let authority = base.split_once("://").map_or(base, |(_, a)| a);
    let authority = authority.split('/').next().unwrap_or("");
    if authority.matches('@').count() > 1 {
        // The driver would split at the first @ and take the rest of the password for
        // the host (and look it up in DNS); never echo the URL, it holds the password.
        return Err(Error::usage(
            "the PostgreSQL URL has more than one @ before the host: write @ in a user name or password as %40",
        ));
    }
    let (mut sslmode, mut rootcert, mut rest) = (None, None, Vec::new());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", v)) => sslmode = Some(v.to_string()),
            Some(("sslrootcert", v)) => rootcert = Some(v.to_string()),
            _ => rest.push(pair),
        }
    }
    let clean = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    let config = Config::from_str(&clean)
        .map_err(|_| Error::usage("the PostgreSQL URL is not valid (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)"))?;
    Ok(Url {
        config,
        sslmode,
        rootcert,
    })
}

/// The URL with `PGPORT` written into each host that names no port: the
/// driver's parser gives such a host 5432 at once, before the environment is read.
fn with_env_ports(url: &str, env: Env) -> Result<String> {
    let Some(ports) = env("PGPORT") else {
        return Ok(url.to_string());
    };
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hosts) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    let query = tail.split_once('?').map_or("", |(_, q)| q);
    if hosts.is_empty() || query.split('&').any(|p| p.starts_with("port=")) {
        return Ok(url.to_string());
    }
    let list = port_list(&ports)?;
    let chunks: Vec<String> = hosts
        .split(',')
        .enumerate()
        .map(|(i, h)| {
            let has_port = h
                .rsplit_once(']')
                .map_or(h, |(_, after)| after)
                .contains(':');
            match list.get(i).or(list.first()) {
                Some(p) if !has_port => format!("{h}:{p}"),
                _ => h.to_string(),
            }
        })
        .collect();
    Ok(format!("{scheme}://{userinfo}{}{tail}", chunks.join(",")))
}

fn port_list(ports: &str) -> Result<Vec<u16>> {
    ports
        .split(',')
        .map(|p| {
            p.trim().parse::<u16>().map_err(|_| {
                Error::usage(format!(
                    "PGPORT={ports} is not a port number (or a list of them)"
                ))
            })
        })
        .collect()
}

/// Hosts and ports: the URL's, else `PGHOST`/`PGPORT` (comma-separated lists, a
/// host starting with `/` being a socket folder), else libpq's defaults.
fn fill_endpoints(config: &mut Config, env: Env) -> Result<()> {
    if config.get_ports().is_empty() {
        if let Some(ports) = env("PGPORT") {
            port_list(&ports)?.into_iter().for_each(|p| {
                config.port(p);
            });
        }
    }
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(hosts) => hosts
                .split(',')
                .map(str::trim)
                .for_each(|h| add_host(config, h)),
            None => default_host(config),
        }
    }
    Ok(())
}

fn add_host(config: &mut Config, host: &str) {
    if host.starts_with('/') {
        config.host_path(host);
    } else {
        config.host(host);
    }
}

/// The TCP host names of the URL.
fn tcp_hosts(config: &Config) -> impl Iterator<Item = &str> {
    config.get_hosts().iter().filter_map(|h| match h {
        Host::Tcp(name) => Some(name.as_str()),
        #[cfg(unix)]
        Host::Unix(_) => None,
    })
}

/// libpq's default: the local server's Unix socket where one is listening, else localhost.
fn default_host(config: &mut Config) {
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let socket = ["/var/run/postgresql", "/tmp"]
        .into_iter()
        .find(|dir| Path::new(dir).join(format!(".s.PGSQL.{port}")).exists());
    match socket {
        Some(dir) => config.host_path(dir),
        None => config.host("localhost"),
    };
}

/// User, database and application name: the URL's, else `PGUSER`, `PGDATABASE`,
/// `PGAPPNAME`; the application name defaults to roster.
fn fill_identity(config: &mut Config, env: Env) {
    if config.get_user().is_none() {
        if let Some(user) = env("PGUSER") {
            config.user(&user);
        }
    }
    if config.get_dbname().is_none() {
        if let Some(db) = env("PGDATABASE") {
            config.dbname(&db);
        }
    }
    if config.get_application_name().is_none() {
        config.application_name(env("PGAPPNAME").as_deref().unwrap_or("roster"));
    }
}

/// The URL's `connect_timeout`, else `PGCONNECT_TIMEOUT`, else roster's config;
/// zero waits forever, as libpq, and libpq's minimum of 2 s applies to the variable.
fn timeout(config: &Config, fallback: Option<Duration>, env: Env) -> Result<Option<Duration>> {
    if let Some(t) = config.get_connect_timeout() {
        return Ok(Some(*t));
    }
    let Some(v) = env("PGCONNECT_TIMEOUT") else {
        return Ok(fallback.filter(|t| !t.is_zero()));
    };
    let secs = v
        .trim()
        .parse::<i64>()
        .map_err(|_| Error::usage(format!("PGCONNECT_TIMEOUT={v} is not a number of seconds")))?;
    Ok((secs > 0).then(|| Duration::from_secs(secs.max(2) as u64)))
}

/// The URL's password, else `PGPASSWORD`, else the first matching line of the
/// password file for any of the hosts (see [`settings_with`] for `host_bound`).
fn fill_password(s: &mut Settings, env: Env, host_bound: bool) {
    if let Some(p) = s.config.get_password() {
        s.password = Some(String::from_utf8_lossy(p).into_owned());
        return;
    }
    let named_host = || env("PGHOST").is_some_and(|h| tcp_hosts(&s.config).any(|t| t == h));
    if let Some(p) = env("PGPASSWORD").filter(|_| !host_bound || named_host()) {
        s.config.password(p.as_str());
        s.password = Some(p);
        return;
    }
    let Some(path) = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")))
    else {
        return;
    };
    match pgpass::read(&path) {
        Ok(Some(text)) => {
            if let Some(p) = pgpass::lookup(&text, &s.config, env, host_bound) {
                s.config.password(p.as_str());
                s.password = Some(p);
            }
        }
        Ok(None) => {}
        Err(note) => s.pgpass_note = Some(note),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn hosts(c: &Config) -> Vec<String> {
        c.get_hosts()
            .iter()
            .map(|h| match h {
                Host::Tcp(h) => h.clone(),
                Host::Unix(p) => p.display().to_string(),
            })
            .collect()
    }

    #[test]
    fn the_environment_fills_only_what_the_url_leaves_out() {
        let env = env_of(&[
            ("PGHOST", "db1,db2"),
            ("PGPORT", "6432"),
            ("PGUSER", "envuser"),
            ("PGDATABASE", "envdb"),
            ("PGPASSWORD", "envpw"),
            ("PGSSLMODE", "require"),
            ("PGAPPNAME", "ops"),
            ("PGCONNECT_TIMEOUT", "1"),
        ]);
        let s = settings("postgres://", None, &env).expect("settings");
        assert_eq!(hosts(&s.config), ["db1", "db2"]);
        assert_eq!(s.config.get_ports(), [6432]);
        assert_eq!(s.config.get_user(), Some("envuser"));
        assert_eq!(s.config.get_dbname(), Some("envdb"));
        assert_eq!(s.password.as_deref(), Some("envpw"));
        assert_eq!(s.sslmode, "require");
        assert_eq!(s.config.get_application_name(), Some("ops"));
        assert_eq!(s.timeout, Some(Duration::from_secs(2)), "libpq's minimum");

        let s = settings(
            "postgres://u:pw@h:5433/d?sslmode=disable&application_name=x&connect_timeout=7",
            None,
            &env,
        )
        .expect("settings");
        assert_eq!(hosts(&s.config), ["h"]);
        assert_eq!(s.config.get_ports(), [5433]);
        assert_eq!(s.config.get_user(), Some("u"));
        assert_eq!(s.config.get_dbname(), Some("d"));
        assert_eq!(s.password.as_deref(), Some("pw"));
        assert_eq!(s.sslmode, "disable");
        assert_eq!(s.config.get_application_name(), Some("x"));
        assert_eq!(s.timeout, Some(Duration::from_secs(7)));
    }

    #[test]
    fn pgport_fills_the_hosts_of_the_url_that_name_no_port() {
        let env = env_of(&[("PGPORT", "6432")]);
        let s = settings("postgres://u:p@h1,h2:7000,[::1]/d", None, &env).expect("ok");
        assert_eq!(s.config.get_ports(), [6432, 7000, 6432]);
        let s = settings("postgres://u@h/d?port=5433", None, &env).expect("ok");
        assert!(
            !s.config.get_ports().contains(&6432),
            "the URL's port= wins"
        );
    }

    #[test]
    fn defaults_are_roster_and_the_configured_timeout() {
        let env = env_of(&[]);
        let s = settings("postgres://u@h/d", Some(Duration::from_secs(3)), &env).expect("ok");
        assert_eq!(s.config.get_application_name(), Some("roster"));
        assert_eq!(s.sslmode, "prefer");
        assert_eq!(s.timeout, Some(Duration::from_secs(3)));
        assert_eq!(s.password, None);
        let s = settings("postgres://u@h/d", Some(Duration::ZERO), &env).expect("ok");
        assert_eq!(s.timeout, None, "0 waits forever, as libpq");
    }

    #[test]
    fn bad_variables_are_usage_errors() {
        let env = env_of(&[("PGPORT", "x")]);
        let e = settings("postgres://u@h/d", None, &env)
            .err()
            .expect("error");
        assert_eq!(
            e.to_string(),
            "PGPORT=x is not a port number (or a list of them)"
        );
        let env = env_of(&[("PGCONNECT_TIMEOUT", "soon")]);
        let e = settings("postgres://u@h/d", None, &env)
            .err()
            .expect("error");
        assert_eq!(e.exit_code(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn pgpass_is_read_only_when_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("pass");
        std::fs::write(&path, "h:5432:d:u:wrong\nh:*:d:u:secret\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let file = path.display().to_string();
        let env = env_of(&[("PGPASSFILE", file.as_str())]);
        let s = settings("postgres://u@h:6000/d", None, &env).expect("ok");
        assert_eq!(s.password.as_deref(), Some("secret"));
        assert_eq!(s.config.get_password(), Some(&b"secret"[..]));

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let s = settings("postgres://u@h:6000/d", None, &env).expect("ok");
        assert_eq!(s.password, None);
        assert_eq!(
            s.pgpass_note,
            Some(format!(
                "the password file {file} was ignored: others can read it (chmod 600 it)"
            ))
        );
    }
}
