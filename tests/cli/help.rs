//! Snapshots of `--help` for roster and every subcommand, nested ones included.
//! The commands are read from the clap definitions, so a new one is covered (and
//! needs its snapshot accepted: `INSTA_UPDATE=always cargo test --test cli help::`).

use clap::CommandFactory;
use std::path::Path;

/// Every command path below roster: `[]`, `["create"]`, `["roles", "create"]`, ...
fn command_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    out.push(prefix.to_vec());
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        command_paths(sub, &path, out);
    }
}

fn all_paths() -> Vec<Vec<String>> {
    let mut out = Vec::new();
    command_paths(&roster::cli::Cli::command(), &[], &mut out);
    out
}

/// `roster` followed by the path, joined by `sep`.
fn joined(path: &[String], sep: &str) -> String {
    std::iter::once("roster")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The snapshot name of a command path: `roster`, `roster-roles-create`.
fn snapshot_name(path: &[String]) -> String {
    joined(path, "-")
}

/// `roster PATH... --help` at a fixed width, without colour or environment influence.
fn help_of(path: &[String]) -> String {
    let out = assert_cmd::Command::cargo_bin("roster")
        .expect("binary")
        .args(path)
        .arg("--help")
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        // clap prints an `env =` variable's value in help: keep the caller's out of it.
        .env_remove("ROSTER_CONFIG")
        .env_remove("ROSTER_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .assert()
        .success();
    assert!(
        out.get_output().stderr.is_empty(),
        "{path:?} --help wrote to stderr"
    );
    String::from_utf8(out.get_output().stdout.clone()).expect("help is UTF-8")
}

/// Runs every snapshot before failing, so one run shows every changed help text.
#[test]
fn help_of_every_command() {
    let paths = all_paths();
    assert!(
        paths.iter().any(|p| p == &["roles", "create"]),
        "nested commands are enumerated: {paths:?}"
    );
    let mut failed = Vec::new();
    for path in &paths {
        let name = snapshot_name(path);
        let output = help_of(path);
        let mut settings = insta::Settings::clone_current();
        settings.set_description(format!("{} --help", joined(path, " ")));
        settings.set_omit_expression(true);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(name.clone(), output));
        }));
        if result.is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "--help changed for: {}\nif intended, accept with `INSTA_UPDATE=always cargo test --test cli help::`",
        failed.join(", ")
    );
}

/// A snapshot whose command is gone fails the run (and is removed when updating).
#[test]
fn no_snapshot_of_a_removed_command() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/snapshots");
    let wanted: Vec<String> = all_paths()
        .iter()
        .map(|p| format!("cli__help__{}.snap", snapshot_name(p)))
        .collect();
    let updating = std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always");
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the snapshots folder") {
        let name = entry.expect("directory entry").file_name();
        let name = name.to_string_lossy();
        if name.starts_with("cli__help__roster")
            && name.ends_with(".snap")
            && !wanted.contains(&name.to_string())
        {
            if updating {
                std::fs::remove_file(dir.join(name.as_ref())).expect("remove stale snapshot");
            } else {
                stale.push(name.into_owned());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots of commands that no longer exist: {}\nremove them, or run `INSTA_UPDATE=always cargo test --test cli help::`",
        stale.join(", ")
    );
}

/// Longest summary that fits beside the command names in `roster --help` at 100 columns.
const SUMMARY_WIDTH: usize = 80;

/// Help-text conventions, so a new command or flag cannot skip them: every command
/// has a one-line summary that fits its column, every flag and argument has help.
#[test]
fn every_command_and_flag_is_documented() {
    fn walk(cmd: &clap::Command, name: &str, problems: &mut Vec<String>) {
        match cmd.get_about().map(ToString::to_string) {
            None => problems.push(format!("{name}: no summary (a `///` line on the command)")),
            Some(about) if about.chars().count() > SUMMARY_WIDTH => problems.push(format!(
                "{name}: summary longer than {SUMMARY_WIDTH} characters: {about:?}"
            )),
            Some(_) => {}
        }
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            if arg.get_help().is_none() {
                problems.push(format!("{name}: {} has no help", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, &format!("{name} {}", sub.get_name()), problems);
        }
    }
    let mut problems = Vec::new();
    walk(&roster::cli::Cli::command(), "roster", &mut problems);
    assert!(
        problems.is_empty(),
        "help text:\n  {}",
        problems.join("\n  ")
    );
}

/// A command line of an example, as the shell would split it: the last command
/// of a pipe, without an output redirection; quotes keep words together.
fn words(line: &str) -> Vec<String> {
    let line = line.rsplit("| ").next().unwrap_or(line);
    let line = line.split(" > ").next().unwrap_or(line);
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ' ') if !word.is_empty() => words.push(std::mem::take(&mut word)),
            (None, ' ') => {}
            (_, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Every command's `--help` ends with examples, and every example is a command
/// line roster accepts (it parses; nothing runs).
#[test]
fn every_command_has_examples_that_parse() {
    let mut problems = Vec::new();
    for path in all_paths() {
        let path = path.join(" ");
        let examples = roster::help::examples(&path);
        if examples.len() < 2 && !["roles rename", "2fa disable"].contains(&path.as_str()) {
            problems.push(format!("roster {path}: fewer than two examples"));
        }
        for (_, line) in examples {
            let words = words(line);
            assert_eq!(words[0], "roster", "{line}");
            if let Err(e) = roster::cli::command().try_get_matches_from(&words) {
                problems.push(format!("{line}: {}", e.render()));
            }
            let under = path
                .split(' ')
                .all(|p| p.is_empty() || words.iter().any(|w| w == p));
            if !under {
                problems.push(format!(
                    "roster {path}: example {line:?} is not of this command"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
