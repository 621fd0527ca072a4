//! Error kinds that map to roster's documented exit codes (spec §8).

use std::fmt;

/// What went wrong, in the terms an operator acts on; each kind has one exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad usage or configuration: a missing argument, an unreadable file.
    #[error("{0}")]
    Usage(String),
    /// A user or role that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Already exists, or a change the current state does not allow.
    #[error("{0}")]
    Conflict(String),
    /// A value the rules refuse: password policy, email, field, missing column.
    #[error("{0}")]
    Validation(String),
    /// The database cannot be reached, is locked, or is not a Directus/roster schema.
    #[error("{0}")]
    Unavailable(String),
    /// A failure nobody could plan for: a bug, or a database that broke mid-way.
    #[error("{0}")]
    Internal(String),
    /// The change is committed, but a mail about it was not sent.
    #[error("{0}")]
    Mail(String),
    /// The operator pressed Ctrl-C at a prompt.
    #[error("interrupted")]
    Interrupted,
    /// The reader of standard output went away (`roster list | head`): the end
    /// of the work, not a failure, and nothing more to say.
    #[error("standard output was closed")]
    OutputClosed,
    /// An error with the database's own report underneath, shown under `-v`.
    #[error("{0}")]
    Caused(Box<Error>, #[source] Cause),
    /// An error with the fixes roster suggests for it.
    #[error(transparent)]
    Hinted(Box<Hinted>),
}

/// An error and its hints: each names a fix, shown on its own `hint:` line
/// (and in the JSON report's `hints`), kept apart from the message so nothing
/// has to find them in its text again.
#[derive(Debug)]
pub struct Hinted {
    pub error: Error,
    pub hints: Vec<String>,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        self.hints.iter().try_for_each(|h| write!(f, "\nhint: {h}"))
    }
}

impl std::error::Error for Hinted {
    // The hints are not a cause: `-v` shows the error's own chain.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}

/// What the database or the system itself reported (its error code and message,
/// with quoted values left out): the detail a DBA asks for, shown under `-v`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Cause(pub String);

/// Result with roster's error kind.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The process exit code for this kind (the table in the README).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::NotFound(_) => 3,
            Error::Conflict(_) => 4,
            Error::Validation(_) => 5,
            Error::Unavailable(_) => 6,
            Error::Internal(_) => 1,
            Error::Mail(_) => 7,
            Error::Interrupted => 130,
            Error::OutputClosed => 0,
            Error::Caused(e, _) => e.exit_code(),
            Error::Hinted(h) => h.error.exit_code(),
        }
    }

    /// The same error with the underlying report kept for `-v`.
    pub fn because(self, cause: impl fmt::Display) -> Self {
        Error::Caused(Box::new(self), Cause(cause.to_string()))
    }

    /// The same error with one more hint (a fix to suggest) after those it has.
    pub fn hint(self, hint: impl fmt::Display) -> Self {
        match self {
            Error::Hinted(mut h) => {
                h.hints.push(hint.to_string());
                Error::Hinted(h)
            }
            error => Error::Hinted(Box::new(Hinted {
                error,
                hints: vec![hint.to_string()],
            })),
        }
    }

    /// The error itself, whatever report lies underneath.
    pub fn kind(&self) -> &Error {
        match self {
            Error::Caused(e, _) => e.kind(),
            Error::Hinted(h) => h.error.kind(),
            other => other,
        }
    }

    /// The message without its hints.
    pub fn message(&self) -> String {
        match self {
            Error::Caused(e, _) => e.message(),
            Error::Hinted(h) => h.error.message(),
            other => other.to_string(),
        }
    }

    /// The hints, in the order they are shown.
    pub fn hints(&self) -> Vec<&str> {
        match self {
            Error::Caused(e, _) => e.hints(),
            Error::Hinted(h) => {
                let mut all = h.error.hints();
                all.extend(h.hints.iter().map(String::as_str));
                all
            }
            _ => Vec::new(),
        }
    }

    /// The same error, kind and cause, with its message rewritten.
    pub fn reword(self, f: impl FnOnce(String) -> String) -> Self {
        match self {
            Error::Usage(m) => Error::Usage(f(m)),
            Error::NotFound(m) => Error::NotFound(f(m)),
            Error::Conflict(m) => Error::Conflict(f(m)),
            Error::Validation(m) => Error::Validation(f(m)),
            Error::Unavailable(m) => Error::Unavailable(f(m)),
            Error::Internal(m) => Error::Internal(f(m)),
            Error::Mail(m) => Error::Mail(f(m)),
            Error::Caused(e, cause) => Error::Caused(Box::new(e.reword(f)), cause),
            Error::Hinted(mut h) => {
                h.error = h.error.reword(f);
                Error::Hinted(h)
            }
            other @ (Error::Interrupted | Error::OutputClosed) => other,
        }
    }

    /// Shorthand constructors keep call sites on one line.
    pub fn usage(msg: impl fmt::Display) -> Self {
        Error::Usage(msg.to_string())
    }
    pub fn not_found(msg: impl fmt::Display) -> Self {
        Error::NotFound(msg.to_string())
    }
    pub fn conflict(msg: impl fmt::Display) -> Self {
        Error::Conflict(msg.to_string())
    }
    pub fn validation(msg: impl fmt::Display) -> Self {
        Error::Validation(msg.to_string())
    }
    pub fn unavailable(msg: impl fmt::Display) -> Self {
        Error::Unavailable(msg.to_string())
    }
}

/// How the run ends at once with an error, from a thread other than the one
/// doing the work (a watchdog): set by the binary to report it as every error is.
static FATAL: std::sync::OnceLock<fn(Error) -> !> = std::sync::OnceLock::new();

/// Sets how [`fatal`] reports and exits; the first setting stays.
pub fn on_fatal(end: fn(Error) -> !) {
    let _ = FATAL.set(end);
}

/// Ends the run now with this error and its exit code.
pub fn fatal(e: Error) -> ! {
    if let Some(end) = FATAL.get() {
        end(e);
    }
    eprintln!("error: {e}");
    std::process::exit(i32::from(e.exit_code()));
}

/// The exit code for any error chain: the first roster `Error` in it decides, else 1.
pub fn exit_code_of(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .map_or(1, Error::exit_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_kept_apart_and_shown_after_the_message() {
        let e = Error::conflict("taken")
            .hint("try another")
            .because("23505");
        let e = e.reword(|m| format!("row 2: {m}")).hint("or skip it");
        assert_eq!(
            e.to_string(),
            "row 2: taken\nhint: try another\nhint: or skip it"
        );
        assert_eq!(e.message(), "row 2: taken");
        assert_eq!(e.hints(), ["try another", "or skip it"]);
        assert_eq!(e.exit_code(), 4);
        // The hints are no cause: `-v` shows the database's report only.
        let chain: Vec<String> = anyhow::Error::from(e)
            .chain()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(chain[1..], ["23505".to_string()]);
    }
}
