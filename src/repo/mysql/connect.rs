//! Reading a `mysql://` or `mariadb://` URL and connecting as it says: TLS mode,
//! socket, and the whole set-up (TCP, TLS, login, session settings) bounded by
//! the connect timeout, which the driver's own option covers only for TCP.

use crate::error::{Error, Result};
use mysql::consts::CapabilityFlags;
use mysql::{Conn, OptsBuilder, SslOpts};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How a connection uses TLS, as MySQL's own clients name the modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP.
    Disabled,
    /// TLS when the server offers it, certificates unchecked (the clients' default).
    Preferred,
    /// TLS or fail, certificates unchecked.
    Required,
    /// TLS with a certificate signed by a trusted CA, any host name.
    VerifyCa,
    /// TLS with a trusted certificate for this host name.
    VerifyIdentity,
}

impl SslMode {
    /// The mode as URLs spell it.
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disabled => "DISABLED",
            SslMode::Preferred => "PREFERRED",
            SslMode::Required => "REQUIRED",
            SslMode::VerifyCa => "VERIFY_CA",
            SslMode::VerifyIdentity => "VERIFY_IDENTITY",
        }
    }

    fn parse(v: &str) -> Result<SslMode> {
        Ok(match v.to_ascii_uppercase().replace('-', "_").as_str() {
            "DISABLED" => SslMode::Disabled,
            "PREFERRED" => SslMode::Preferred,
            "REQUIRED" => SslMode::Required,
            "VERIFY_CA" => SslMode::VerifyCa,
            "VERIFY_IDENTITY" => SslMode::VerifyIdentity,
            _ => {
                return Err(Error::usage(format!(
                    "ssl-mode={v:?} is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY"
                )));
            }
        })
    }
}

/// What a URL asks for. The password is kept out of `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Option<String>,
    pub database: String,
    pub socket: Option<String>,
    pub ssl_mode: SslMode,
    pub ssl_ca: Option<PathBuf>,
    pub timeout: Option<Duration>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({:?})", self.target(), self.ssl_mode)
    }
}

impl Settings {
    /// Parses `mysql://USER:PASSWORD@HOST:PORT/DATABASE?ssl-mode=…&ssl-ca=…&socket=…&connect_timeout=…`;
    /// messages never echo the URL, which may hold a password.
    pub fn parse(url: &str) -> Result<Settings> {
        let rest = url
            .strip_prefix("mysql://")
            .or_else(|| url.strip_prefix("mariadb://"))
            .ok_or_else(|| Error::usage("a MySQL URL starts with mysql:// or mariadb://"))?;
        let (base, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = base.split_once('/').unwrap_or((base, ""));
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let (user, password) = match userinfo.map(|u| u.split_once(':').unwrap_or((u, ""))) {
            Some((u, p)) => (decode(u)?, Some(decode(p)?).filter(|_| !p.is_empty())),
            None => ("root".to_string(), None),
        };
        let (host, port) = host_port(hostport)?;
        let mut s = Settings {
            host,
            port,
            user,
            password,
            database: decode(path)?,
            socket: None,
            ssl_mode: SslMode::Preferred,
            ssl_ca: None,
            timeout: None,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            s.option(k, &decode(v)?)?;
        }
        if s.database.is_empty() {
            return Err(Error::usage(
                "a MySQL URL names its database: mysql://USER@HOST:PORT/DATABASE",
            ));
        }
        Ok(s)
    }

    fn option(&mut self, key: &str, value: &str) -> Result<()> {
        match key {
            "ssl-mode" | "ssl_mode" | "sslmode" => self.ssl_mode = SslMode::parse(value)?,
            "ssl-ca" | "ssl_ca" | "sslca" => self.ssl_ca = Some(PathBuf::from(value)),
            "socket" => self.socket = Some(value.to_string()),
            "connect_timeout" | "connect-timeout" => {
                let secs: u64 = value.parse().map_err(|_| {
                    Error::usage(format!(
                        "connect_timeout={value:?} is not a number of seconds"
                    ))
                })?;
                self.timeout = Some(Duration::from_secs(secs.max(1)));
            }
            "password" => {
                return Err(Error::usage(
                    "give a MySQL password in the URL's user part (mysql://USER:PASSWORD@HOST/DB), not as password=",
                ));
            }
            other => {
                return Err(Error::usage(format!(
                    "unknown MySQL URL option {other:?} (roster reads ssl-mode, ssl-ca, socket, connect_timeout)"
                )));
            }
        }
        Ok(())
    }

    /// host:port/database (or the socket), for messages: never the password.
    pub fn target(&self) -> String {
        match &self.socket {
            Some(sock) => format!("{sock}/{}", self.database),
            None => format!("{}:{}/{}", self.host, self.port, self.database),
        }
    }

    fn opts(&self, tls: Option<SslOpts>) -> OptsBuilder {
        OptsBuilder::new()
            .ip_or_hostname(Some(self.host.clone()))
            .tcp_port(self.port)
            .socket(self.socket.clone())
            .user(Some(self.user.clone()))
            .pass(self.password.clone())
            .db_name(Some(self.database.clone()))
            .prefer_socket(false)
            .tcp_connect_timeout(self.timeout)
            .ssl_opts(tls)
            // UPDATE reports the rows it matched, as PostgreSQL and SQLite do, not
            // only those whose values changed.
            .additional_capabilities(CapabilityFlags::CLIENT_FOUND_ROWS)
    }

    /// The TLS settings of the mode; `None` for a plain connection.
    fn tls(&self) -> Option<SslOpts> {
        let base = SslOpts::default();
        let base = match &self.ssl_ca {
            Some(ca) => base.with_root_cert_path(Some(ca.clone())),
            None => base,
        };
        match self.ssl_mode {
            SslMode::Disabled => None,
            // MySQL's clients encrypt without checking the certificate in these modes.
            SslMode::Preferred | SslMode::Required => Some(
                base.with_danger_accept_invalid_certs(true)
                    .with_danger_skip_domain_validation(true),
            ),
            SslMode::VerifyCa => Some(base.with_danger_skip_domain_validation(true)),
            SslMode::VerifyIdentity => Some(base),
        }
    }
}

/// `host`, `host:port`, `[v6]:port`; an empty host is localhost, the port 3306.
fn host_port(s: &str) -> Result<(String, u16)> {
    let (host, port) = if let Some(v6) = s.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| Error::usage("a MySQL URL has an unclosed [ in its host"))?;
        (h.to_string(), after.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (s.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => p
            .parse()
            .map_err(|_| Error::usage(format!("the MySQL port {p:?} is not a number")))?,
        None => 3306,
    };
    let host = if host.is_empty() {
        "localhost".into()
    } else {
        decode(&host)?
    };
    Ok((host, port))
}

/// Percent-decodes a URL part.
fn decode(s: &str) -> Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(b) = hex else {
                return Err(Error::usage("a MySQL URL has a malformed %-escape"));
            };
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Error::usage("a MySQL URL part is not UTF-8 once decoded"))
}

/// Connects and runs the session set-up, all within the timeout (the URL's
/// `connect_timeout`, else `default`).
pub fn connect(s: &Settings, default: Duration, init: &[String]) -> Result<Conn> {
    let limit = s.timeout.unwrap_or(default);
    let (tx, rx) = mpsc::channel();
    let (settings, init) = (s.clone(), init.to_vec());
    // On its own thread so that this one can stop waiting; a thread left behind
    // after a timeout ends with the process, which exits at once.
    std::thread::spawn(move || {
        let _ = tx.send(open(&settings, &init));
    });
    match rx.recv_timeout(limit) {
        Ok(result) => result.map_err(|e| failed(s, &e)),
        Err(RecvTimeoutError::Timeout) => Err(Error::unavailable(format!(
            "MySQL at {} did not complete the connection (TCP, TLS, login and session set-up) within {} s",
            s.target(),
            limit.as_secs_f64()
        ))
        .hint("wait longer with connect_timeout_s in the config file or connect_timeout= in the URL")),
        Err(RecvTimeoutError::Disconnected) => Err(Error::Internal(
            "the MySQL connection thread stopped without an answer".into(),
        )),
    }
}

fn open(s: &Settings, init: &[String]) -> std::result::Result<Conn, mysql::Error> {
    let conn = match Conn::new(s.opts(s.tls())) {
        // PREFERRED falls back to a plain connection when the server has no TLS.
        Err(mysql::Error::DriverError(mysql::DriverError::TlsNotSupported))
            if s.ssl_mode == SslMode::Preferred =>
        {
            Conn::new(s.opts(None))
        }
        other => other,
    };
    let mut conn = conn?;
    for stmt in init {
        mysql::prelude::Queryable::query_drop(&mut conn, stmt)?;
    }
    Ok(conn)
}

fn failed(s: &Settings, e: &mysql::Error) -> Error {
    let why = match e {
        mysql::Error::MySqlError(m) => crate::repo::db::server_said("MySQL", &m.message),
        mysql::Error::DriverError(mysql::DriverError::TlsNotSupported) => format!(
            "the server does not offer TLS, which ssl-mode={:?} requires",
            s.ssl_mode
        ),
        other => other.to_string(),
    };
    // The target is built without the password, and no text the server or the
    // driver sends holds it: nothing to search for and hide.
    Error::unavailable(format!("cannot connect to MySQL at {}: {why}", s.target()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let s = Settings::parse("mariadb://u:p%40ss@db.example:3307/directus?ssl-mode=verify_ca")
            .unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.user.as_str()),
            ("db.example", 3307, "u")
        );
        assert_eq!(s.password.as_deref(), Some("p@ss"));
        assert_eq!(s.database, "directus");
        assert_eq!(s.ssl_mode, SslMode::VerifyCa);
        assert!(!format!("{s:?}").contains("p@ss"));
        let s = Settings::parse("mysql://root@[::1]/t").unwrap();
        assert_eq!((s.host.as_str(), s.port), ("::1", 3306));
        assert_eq!(s.ssl_mode, SslMode::Preferred);
    }

    #[test]
    fn bad_urls_are_usage_errors_without_the_password() {
        for bad in [
            "mysql://u:S3cret@h/db?ssl-mode=maybe",
            "mysql://u:S3cret@h/",
            "mysql://u:S3cret@h:x/db",
            "mysql://u:S3cret@h/db?sslcert=x",
        ] {
            let e = Settings::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(!e.to_string().contains("S3cret"), "{e}");
        }
    }
}
