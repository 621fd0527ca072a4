//! The committed completion scripts (completions/) and man pages (man/) must match
//! what the clap definitions render now. `ROSTER_UPDATE_GENERATED=1` rewrites them
//! (and removes man pages no command produces any more) instead of failing.

use clap_complete::Shell;
use roster::commands::completions;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

const HOW_TO_UPDATE: &str =
    "run `ROSTER_UPDATE_GENERATED=1 cargo test --test cli generated::` and commit the result";

fn updating() -> bool {
    std::env::var("ROSTER_UPDATE_GENERATED").is_ok_and(|v| v == "1")
}

fn repo_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Files of `dir` whose names end in `suffix`, by name.
fn committed(dir: &Path, suffix: &str) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.expect("read directory entry").path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            name.ends_with(suffix)
                .then(|| (name, std::fs::read(&p).expect("read committed file")))
        })
        .collect()
}

/// Compares the rendered files with the committed ones; with `ROSTER_UPDATE_GENERATED=1`,
/// writes the rendered ones and removes stale ones. Returns one line per difference.
fn sync(
    dir: &Path,
    rendered: &BTreeMap<String, Vec<u8>>,
    on_disk: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, bytes) in rendered {
        let path = dir.join(name);
        match on_disk.get(name) {
            Some(old) if old == bytes => continue,
            Some(_) => problems.push(format!("{} is out of date", path.display())),
            None => problems.push(format!("{} is missing", path.display())),
        }
        if updating() {
            std::fs::create_dir_all(dir).expect("create directory");
            std::fs::write(&path, bytes).expect("write generated file");
        }
    }
    for name in on_disk.keys().filter(|n| !rendered.contains_key(*n)) {
        let path = dir.join(name);
        problems.push(format!(
            "{} is stale: no command produces it",
            path.display()
        ));
        if updating() {
            std::fs::remove_file(&path).expect("remove stale file");
        }
    }
    problems
}

fn check(what: &str, problems: Vec<String>) {
    if problems.is_empty() {
        return;
    }
    if updating() {
        eprintln!("updated {what}:\n  {}", problems.join("\n  "));
        return;
    }
    panic!(
        "the committed {what} differ from the clap definitions:\n  {}\n{HOW_TO_UPDATE}",
        problems.join("\n  ")
    );
}

#[test]
fn completion_scripts_are_up_to_date() {
    let dir = repo_dir("completions");
    let rendered: BTreeMap<String, Vec<u8>> = SHELLS
        .iter()
        .map(|&s| {
            (
                completions::file_name(s).to_string(),
                completions::render(s),
            )
        })
        .collect();
    // Only the files roster generates: anything else in completions/ is left alone.
    let on_disk = committed(&dir, "")
        .into_iter()
        .filter(|(name, _)| rendered.contains_key(name))
        .collect();
    check("completion scripts", sync(&dir, &rendered, &on_disk));
}

#[test]
fn man_pages_are_up_to_date() {
    let dir = repo_dir("man");
    let rendered: BTreeMap<String, Vec<u8>> = roster::man::pages().into_iter().collect();
    check("man pages", sync(&dir, &rendered, &committed(&dir, ".1")));
}

#[test]
fn every_shell_has_its_own_file_name() {
    let mut names: Vec<&str> = SHELLS.iter().map(|&s| completions::file_name(s)).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), SHELLS.len(), "two shells share a file name");
}

/// `roster`, `roster-create`, `roster-roles-create`, ...: one name per command path.
fn command_paths(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
    out.push(prefix.to_string());
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        command_paths(sub, &format!("{prefix}-{}", sub.get_name()), out);
    }
}

#[test]
fn every_command_has_a_man_page() {
    use clap::CommandFactory;
    let mut paths = Vec::new();
    command_paths(&roster::cli::Cli::command(), "roster", &mut paths);
    let pages: Vec<String> = roster::man::pages().into_iter().map(|(n, _)| n).collect();
    let expected: Vec<String> = paths.iter().map(|p| format!("{p}.1")).collect();
    assert_eq!(pages, expected);
    assert!(
        expected.iter().any(|p| p == "roster-roles-create.1"),
        "{expected:?}"
    );
}
