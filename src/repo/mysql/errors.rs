//! What MySQL and MariaDB report, turned into the errors an operator acts on,
//! without the values the server quotes (they may be secrets bound to a statement).

use crate::error::Error;

/// What a unique index on these tables means under `utf8mb4_general_ci`.
const COLLATION_HINT: &str = "MySQL/MariaDB compare text with the table's collation (Directus uses utf8mb4_general_ci): \
emails and tokens that differ only in case, accents (é = e, ß = s) or trailing spaces are the same value there";

/// A MySQL error as roster reports it, the server's words kept for `-v`.
pub fn map_err(e: mysql::Error) -> Error {
    let detail = match &e {
        mysql::Error::MySqlError(m) => format!(
            "MySQL error {} (SQLSTATE {}): {}",
            m.code,
            m.state,
            crate::output::safe::clean(&without_values(&m.message))
        ),
        other => format!("MySQL: {other}"),
    };
    kind_of(e).because(detail)
}

/// A server message with the values it quotes left out (`Duplicate entry '…'`,
/// `Incorrect … value: '…'`): the value may be a token bound to the statement.
fn without_values(message: &str) -> String {
    let mut out = message.to_string();
    for lead in ["entry '", "value: '"] {
        if let Some(a) = out.find(lead).map(|a| a + lead.len()) {
            let end = out[a..].find("' ").map_or(out.len(), |b| a + b);
            out.replace_range(a..end, "…");
        }
    }
    out
}

/// A failed COMMIT: a lost connection leaves its outcome unknown (the server may
/// have committed before the answer was lost), so it claims nothing was changed
/// only where the server said so.
pub fn map_commit_err(e: mysql::Error) -> Error {
    let lost = match &e {
        mysql::Error::MySqlError(m) => {
            [1927, 1053, 1317, 2006, 2013, 1152, 1158, 1159, 1160, 1161].contains(&m.code)
        }
        mysql::Error::DriverError(mysql::DriverError::SetupError) => false,
        _ => true,
    };
    match lost {
        true => Error::unavailable("the connection to MySQL was lost").because(e.to_string()),
        false => map_err(e),
    }
}

/// The error an operator acts on, for what MySQL reported.
fn kind_of(e: mysql::Error) -> Error {
    match e {
        mysql::Error::MySqlError(m) => reported(m),
        mysql::Error::DriverError(mysql::DriverError::SetupError) => {
            Error::Internal(format!("MySQL driver error: {e}"))
        }
        // I/O, a closed connection, a broken packet: the server is gone, and with it
        // the transaction, which it rolls back.
        other => Error::unavailable(format!(
            "the connection to MySQL was lost ({other}); nothing was changed"
        )),
    }
}

/// The server's words, labelled as MySQL's.
fn said(words: &str) -> String {
    crate::repo::db::server_said("MySQL", words)
}

/// The error an operator acts on, for an error the server reported.
fn reported(m: mysql::MySqlError) -> Error {
    match m.code {
        1205 | 3572 => Error::unavailable(
            "the database is locked by another session (gave up after the busy timeout; see --busy-timeout)",
        ),
        1213 | 3058 => Error::unavailable(
            "MySQL ended a deadlock by rolling back roster's transaction; nothing was changed (run the command again)",
        ),
        // Killed, shut down, server gone.
        1927 | 1053 | 1317 | 2006 | 2013 | 1152 | 1158..=1161 => Error::unavailable(format!(
            "the connection to MySQL was lost ({}); nothing was changed",
            said(&m.message)
        )),
        1290 | 1792 | 1836 => Error::unavailable(format!(
            "the MySQL server is read-only ({}); nothing was changed",
            said(&m.message)
        ))
        .hint("connect to the primary"),
        // No such table or column: not the database roster expects.
        1146 | 1054 => Error::unavailable(crate::repo::db::missing_schema(&said(&m.message))),
        1062 | 1586 => Error::conflict(format!(
            "the database refused the change: {}",
            said(&without_values(&m.message))
        ))
        .hint(COLLATION_HINT),
        1292 => Error::validation(format!(
            "the database refused a value: {}",
            said(&without_values(&m.message))
        ))
        .hint("MySQL/MariaDB timestamp columns hold whole seconds from 1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC"),
        // CHECK (json_valid(...)) and other check constraints refuse a value.
        4025 | 3819 => Error::validation(format!("the database refused a value: {}", said(&m.message))),
        _ if m.state.starts_with("23") => Error::conflict(format!(
            "the database refused the change: {}",
            said(&without_values(&m.message))
        )),
        _ if m.state.starts_with("22") => Error::validation(format!(
            "the database refused a value: {}",
            said(&without_values(&m.message))
        )),
        _ if m.state.starts_with("08") || m.state == "70100" => Error::unavailable(format!(
            "MySQL is unavailable: {}; nothing was changed",
            said(&m.message)
        )),
        1040 | 1203 | 1226 => Error::unavailable(format!("MySQL is unavailable: {}", said(&m.message))),
        _ => Error::Internal(format!("MySQL error {}: {}", m.code, said(&m.message))),
    }
}
