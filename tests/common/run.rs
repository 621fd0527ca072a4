//! A run of roster and what the test expects of it, in the manner of just's
//! test builder: `env.roster(["suspend", "a@x.com"]).fails(4).stderr_line("error: …").db_unchanged()`.
//! Every expectation names the command and the database when it fails.

use super::{Backend, TestEnv};
use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

/// Everything a command could change: every row of roster's tables, and on
/// SQLite whether the file exists and its bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    exists: bool,
    dump: String,
    bytes: Vec<u8>,
}

impl TestEnv {
    /// `roster -d URL --no-input ARGS`, to be run by [`Run::succeeds`] or [`Run::fails`].
    pub fn roster<I, S>(&self, args: I) -> Run<'_>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        Run::new(self, self.cmd()).args(args)
    }

    /// `roster ARGS` in the test's folder with a clean environment, without the
    /// harness's `-d URL --no-input` (for tests of where the database comes from).
    pub fn bare<I, S>(&self, args: I) -> Run<'_>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        Run::new(self, super::bare_cmd(self.dir.path())).args(args)
    }

    /// What the database holds now, to compare after a run.
    pub fn snapshot(&self) -> Snapshot {
        // Opening a missing file to dump it would create it: look only at what is there.
        if self.backend == Backend::Sqlite && !Path::new(&self.url).exists() {
            return Snapshot {
                exists: false,
                dump: String::new(),
                bytes: Vec::new(),
            };
        }
        let bytes = match self.backend {
            Backend::Sqlite => self.file_bytes(),
            _ => Vec::new(),
        };
        let dump = self.dump();
        Snapshot {
            exists: true,
            dump,
            bytes,
        }
    }
}

/// A roster command about to run.
pub struct Run<'a> {
    env: &'a TestEnv,
    cmd: assert_cmd::Command,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    keep: bool,
}

impl<'a> Run<'a> {
    fn new(env: &'a TestEnv, cmd: assert_cmd::Command) -> Run<'a> {
        Run {
            env,
            cmd,
            args: Vec::new(),
            stdin: None,
            keep: false,
        }
    }

    /// More arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for a in args {
            self.args.push(a.as_ref().to_string_lossy().into_owned());
            self.cmd.arg(a);
        }
        self
    }

    /// One more argument.
    pub fn arg(self, arg: impl AsRef<OsStr>) -> Self {
        self.args([arg])
    }

    /// What roster reads on stdin (otherwise nothing: stdin is empty, not a terminal).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// An environment variable for this run.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Runs in another folder than the test's own.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Remembers the database before a run that must succeed without changing
    /// it (a dry run, a re-run), for [`Ran::db_unchanged`].
    pub fn keeps_db(mut self) -> Self {
        self.keep = true;
        self
    }

    /// Runs; the exit code must be 0.
    #[track_caller]
    pub fn succeeds(self) -> Ran<'a> {
        self.code(0)
    }

    /// Runs; the exit code must be `code`, stdout empty, and the database
    /// exactly as it was (a refusal changes nothing). [`Run::code`] runs a
    /// command that may fail after writing.
    #[track_caller]
    pub fn fails(mut self, code: i32) -> Ran<'a> {
        assert_ne!(code, 0, "a failure has a non-zero exit code");
        self.keep = true;
        let ran = self.code(code);
        ran.stdout("");
        ran.db_unchanged();
        ran
    }

    /// Runs, whatever the exit code; the whole output.
    pub fn code_any(mut self) -> Output {
        if let Some(input) = self.stdin.take() {
            self.cmd.write_stdin(input);
        }
        self.cmd.output().expect("run roster")
    }

    /// Runs; the exit code must be `code`.
    #[track_caller]
    pub fn code(mut self, code: i32) -> Ran<'a> {
        let before = self.keep.then(|| self.env.snapshot());
        if let Some(input) = self.stdin.take() {
            self.cmd.write_stdin(input);
        }
        let out = self.cmd.output().expect("run roster");
        let ran = Ran {
            env: self.env,
            what: format!("roster {} on {}", self.args.join(" "), self.env.via),
            out,
            before,
            checked: std::cell::Cell::new(false),
        };
        if ran.out.status.code() != Some(code) {
            ran.fail(&format!(
                "exit {code} expected, got {:?}",
                ran.out.status.code()
            ));
        }
        ran
    }
}

/// A finished run of roster.
pub struct Ran<'a> {
    env: &'a TestEnv,
    what: String,
    out: Output,
    before: Option<Snapshot>,
    /// Whether [`Ran::db_unchanged`] has compared already: it looks right after
    /// the run, so a second call (after `.fails()`, which checks by itself) need
    /// not dump the database again.
    checked: std::cell::Cell<bool>,
}

impl Ran<'_> {
    #[track_caller]
    fn fail(&self, why: &str) -> ! {
        panic!(
            "{}: {why}\n--- stdout\n{}--- stderr\n{}",
            self.what,
            self.out(),
            self.err()
        )
    }

    /// Stdout, as text.
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    /// Stderr, as text.
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    /// Stdout, parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.out.stdout)
            .unwrap_or_else(|e| self.fail(&format!("no JSON on stdout: {e}")))
    }

    /// Stdout must be exactly `want`.
    #[track_caller]
    pub fn stdout(&self, want: &str) -> &Self {
        if self.out() != want {
            self.fail(&format!("stdout should be exactly {want:?}"));
        }
        self
    }

    /// Stderr must be exactly `want`.
    #[track_caller]
    pub fn stderr(&self, want: &str) -> &Self {
        if self.err() != want {
            self.fail(&format!("stderr should be exactly {want:?}"));
        }
        self
    }

    /// Stderr must be one error line, exactly `want`, followed only by `hint: ` lines.
    #[track_caller]
    pub fn stderr_line(&self, want: &str) -> &Self {
        let err = self.err();
        let mut lines = err.lines();
        if lines.next() != Some(want) || !lines.all(|l| l.starts_with("hint: ")) {
            self.fail(&format!("stderr should be {want:?} and then only hints"));
        }
        self
    }

    /// The error line (stderr's first line), after checking that it is one
    /// `error: ` line followed only by `hint: ` lines.
    #[track_caller]
    pub fn error_line(&self) -> String {
        let err = self.err();
        let mut lines = err.lines();
        let first = lines.next().unwrap_or_default().to_string();
        if !first.starts_with("error: ") || !lines.all(|l| l.starts_with("hint: ")) {
            self.fail("stderr should be one error line and then only hints");
        }
        first
    }

    /// The database must be exactly as it was before the run (byte for byte on SQLite).
    #[track_caller]
    pub fn db_unchanged(&self) -> &Self {
        let Some(before) = &self.before else {
            panic!(
                "{}: call keeps_db() before running to check the database",
                self.what
            );
        };
        if self.checked.replace(true) {
            return self;
        }
        let after = self.env.snapshot();
        if after.dump != before.dump {
            self.fail(&format!(
                "the database changed\n--- before\n{}--- after\n{}",
                before.dump, after.dump
            ));
        }
        if after != *before {
            self.fail("the database file changed");
        }
        self
    }

    /// The finished process's output.
    pub fn output(&self) -> &Output {
        &self.out
    }
}
