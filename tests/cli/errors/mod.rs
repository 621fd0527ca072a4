//! Refusals on every backend: bad input, unknown users and roles, missing
//! arguments off a terminal, missing databases, conflicts. Each one exits with
//! its documented code, prints one `error: ` line (maybe followed by `hint: `
//! lines) and leaves the database exactly as it was. Also: `--dry-run` changes
//! nothing for any mutating command, and the default `roster.db` (spec §4, §8).
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a failure is a test failure

use crate::common::{Backend, Run, TestEnv};
use crate::common::{Via, each_db};
use std::path::Path;

const PW: &str = "Str0ng!Pass\n";
const NO_PASSWORD: &str = "error: no password given: use --password-stdin, --password-file, --password-env or \
                           --random-password (roster prompts only at a terminal, and never with --no-input)";
const NO_ROLE: &str = "error: a new user needs a role: give --role NAME (see `roster roles list`)";
const NEEDS_YES: &str =
    "error: soft-delete needs --yes when roster cannot ask (no terminal, or --no-input)";

// ---------------------------------------------------------------- helpers

/// `roster -d URL ARGS` without `--no-input`; stdin is not a terminal under the test runner.
fn off_terminal<'a>(env: &'a TestEnv, args: &[&str]) -> Run<'a> {
    env.bare(["-d", &env.url]).args(args)
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
