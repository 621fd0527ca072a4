//! The whole connection set-up bounded by the connect timeout: TCP, TLS, the
//! login and a first query. The driver's own timeout covers only the TCP
//! connect, so a server (or a pooler waiting for a free server) that accepts
//! the connection and never answers would otherwise hang roster.

use super::libpq::Settings;
use super::{cause, tls};
use crate::error::{Error, Result};
use postgres::config::SslMode;
use postgres::{Client, Config, NoTls};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;

/// Connects as the settings say; `target` names the server in messages.
pub fn connect(s: &Settings, target: &str) -> Result<Client> {
    let mut config = s.config.clone();
    let tls = match s.sslmode.as_str() {
        "disable" => {
            config.ssl_mode(SslMode::Disable);
            None
        }
        mode => {
            let connector = tls::connector(mode, s.rootcert.as_deref())?;
            config.ssl_mode(if mode == "prefer" {
                SslMode::Prefer
            } else {
                SslMode::Require
            });
            Some(connector)
        }
    };
    let logged_in = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let flag = Arc::clone(&logged_in);
    // On its own thread so that this one can stop waiting; a thread left behind
    // after a timeout ends with the process, which exits at once.
    std::thread::spawn(move || {
        let _ = tx.send(open(config, tls, &flag));
    });
    let answer = match s.timeout {
        Some(limit) => rx.recv_timeout(limit * hosts(s)),
        None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
    };
    match answer {
        Ok(result) => result.map_err(|e| failed(s, target, &e)),
        Err(RecvTimeoutError::Timeout) => {
            Err(timed_out(s, target, logged_in.load(Ordering::SeqCst)))
        }
        Err(RecvTimeoutError::Disconnected) => Err(Error::Internal(
            "the PostgreSQL connection thread stopped without an answer".into(),
        )),
    }
}

/// Connects and runs a first query, flagging when the login is done.
fn open(
    config: Config,
    tls: Option<MakeRustlsConnect>,
    logged_in: &AtomicBool,
) -> std::result::Result<Client, postgres::Error> {
    let mut client = match tls {
        None => config.connect(NoTls)?,
        Some(tls) => config.connect(tls)?,
    };
    logged_in.store(true, Ordering::SeqCst);
    // A pooler logs clients in by itself; only a query shows a server answers.
    client.simple_query("SELECT 1")?;
    Ok(client)
}

/// Each host gets the whole timeout, as libpq gives each its connect_timeout.
fn hosts(s: &Settings) -> u32 {
    u32::try_from(s.config.get_hosts().len().max(1)).unwrap_or(u32::MAX)
}

fn failed(s: &Settings, target: &str, e: &postgres::Error) -> Error {
    // The target is built without the password, and no text the server or the
    // driver sends holds it: nothing to search for and hide.
    let refused = Error::unavailable(format!(
        "cannot connect to PostgreSQL at {target}: {}",
        cause(e)
    ));
    match &s.pgpass_note {
        Some(note) => refused.hint(note),
        None => refused,
    }
}

fn timed_out(s: &Settings, target: &str, logged_in: bool) -> Error {
    let waited = s.timeout.unwrap_or_default() * hosts(s);
    let what = if logged_in {
        "accepted the login but did not answer a first query"
    } else {
        "did not complete the connection (TCP, TLS and login)"
    };
    Error::unavailable(format!(
        "PostgreSQL at {target} {what} within {}",
        seconds(waited)
    ))
    .hint("wait longer with connect_timeout_s in the config file, PGCONNECT_TIMEOUT or connect_timeout= in the URL")
}

fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}
