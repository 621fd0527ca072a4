//! Refusals on every backend: bad input, unknown users and roles, missing
//! arguments off a terminal, missing databases, conflicts. Each one exits with
//! its documented code, prints one `error: ` line (maybe followed by `hint: `
//! lines) and leaves the database exactly as it was. Also: `--dry-run` changes
//! nothing for any mutating command, and the default `roster.db` (spec §4, §8).
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a failure is a test failure

use crate::common::{Backend, TestEnv, bare_cmd, error_line, json_of, stderr_of, stdout_of};
use crate::common::{Via, each_db};
use assert_cmd::Command;
use std::path::Path;

const PW: &str = "Str0ng!Pass\n";
const NO_PASSWORD: &str = "error: no password given: use --password-stdin, --password-file, --password-env or \
                           --random-password (roster prompts only at a terminal, and never with --no-input)";
const NO_ROLE: &str = "error: a new user needs a role: give --role NAME (see `roster roles list`)";
const NEEDS_YES: &str =
    "error: soft-delete needs --yes when roster cannot ask (no terminal, or --no-input)";

// ---------------------------------------------------------------- helpers

/// Everything a command could change: every row, and on SQLite whether the file
/// exists and its bytes.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    exists: bool,
    dump: String,
    bytes: Vec<u8>,
}

fn snapshot(env: &TestEnv) -> Snapshot {
    match env.backend {
        // Opening a missing file to dump it would create it: look only at what is there.
        Backend::Sqlite if !Path::new(&env.url).exists() => Snapshot {
            exists: false,
            dump: String::new(),
            bytes: Vec::new(),
        },
        Backend::Sqlite => Snapshot {
            exists: true,
            bytes: env.file_bytes(),
            dump: env.dump(),
        },
        Backend::Postgres | Backend::Mysql => Snapshot {
            exists: true,
            dump: env.dump(),
            bytes: Vec::new(),
        },
    }
}

/// `roster -d URL` without `--no-input`; stdin is not a terminal under the test runner.
fn off_terminal_cmd(env: &TestEnv) -> Command {
    let mut cmd = bare_cmd(env.dir.path());
    cmd.args(["-d", &env.url]);
    cmd
}

/// Runs `cmd`, which must exit with `code`, print one error (plus hints) and
/// change nothing. Returns the error line.
fn refused_cmd(env: &TestEnv, mut cmd: Command, code: i32, what: &str) -> String {
    let before = snapshot(env);
    let a = cmd.assert().code(code);
    let what = format!("{:?}: {what}", env.backend);
    let line = error_line(&stderr_of(&a), &what);
    assert_eq!(stdout_of(&a), "", "{what}: nothing on stdout");
    assert_eq!(snapshot(env), before, "{what}: the database changed");
    line
}

/// [`refused_cmd`] for `roster -d URL --no-input ARGS`, with `stdin` when given.
fn refused(env: &TestEnv, args: &[&str], stdin: Option<&str>, code: i32) -> String {
    let mut cmd = env.cmd();
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    refused_cmd(env, cmd, code, &format!("{args:?}"))
}

/// The standalone schema with an Editor role and an active administrator.
fn populated(b: Via) -> TestEnv {
    let env = TestEnv::with_editor(b);
    env.user_with_status("admin@example.com", "Administrator", "active");
    env
}

mod bad_values;
mod conflicts;
mod default_db;
mod dry_runs;
mod not_found;
mod unavailable;
mod usage;
