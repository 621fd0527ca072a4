//! Completion that knows the project (clap_complete's dynamic completion): the
//! shell runs `roster` with `COMPLETE=SHELL` and the words typed so far, and
//! users' emails, role names, statuses and themes are offered, the first two
//! read from the database that command line names.

use crate::cli::GlobalArgs;
use crate::context::Context;
use crate::repo::{ListFilter, Repo, Target};
use clap::{Args as _, FromArgMatches};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use std::ffi::OsStr;

/// The most emails one completion offers (a project may hold millions).
const MAX_EMAILS: u64 = 200;

/// Answers the shell and exits when it is asking (`COMPLETE` set); else returns.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(crate::cli::command)
        .bin("roster")
        .completer("roster")
        .complete();
}

/// The script a shell sources to ask roster for completions.
pub fn registration(shell: clap_complete::Shell) -> Vec<u8> {
    let env: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Zsh => &Zsh,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::PowerShell => &Powershell,
        _ => &Elvish,
    };
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    env.write_registration("COMPLETE", "roster", "roster", "roster", &mut buf)
        .expect("write to memory");
    buf
}

/// The command tree with a completer on every argument that names a user, a
/// role, a status or a theme (recognised by its name, so a new command's
/// `USER` completes too).
pub fn with_completers(cmd: clap::Command) -> clap::Command {
    cmd.mut_args(completer_for).mut_subcommands(with_completers)
}

fn completer_for(arg: clap::Arg) -> clap::Arg {
    let id = arg.get_id().as_str().to_string();
    let value_name = arg
        .get_value_names()
        .and_then(|v| v.first())
        .map(|v| v.as_str().to_string());
    match (id.as_str(), value_name.as_deref()) {
        (_, Some("USER")) => arg.add(ArgValueCompleter::new(emails)),
        ("role" | "reassign", _) => arg.add(ArgValueCandidates::new(roles)),
        ("status", _) => arg.add(ArgValueCandidates::new(statuses)),
        ("theme", _) => arg.add(ArgValueCandidates::new(themes)),
        _ => arg,
    }
}

fn statuses() -> Vec<CompletionCandidate> {
    let names = [
        "active",
        "invited",
        "draft",
        "suspended",
        "deleted",
        "unverified",
        "inactive-license",
    ];
    names.into_iter().map(CompletionCandidate::new).collect()
}

fn themes() -> Vec<CompletionCandidate> {
    ["auto", "light", "dark"]
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// The emails that begin with what is typed, of users who are not deleted.
fn emails(typed: &OsStr) -> Vec<CompletionCandidate> {
    let typed = typed.to_string_lossy().to_lowercase();
    let filter = ListFilter {
        search: Some(typed.clone()).filter(|t| !t.is_empty()),
        limit: Some(MAX_EMAILS),
        ..ListFilter::default()
    };
    let mut found = Vec::new();
    let listed = with_repo(|repo| {
        repo.list_users(&filter, &mut |u| {
            if u.email.to_lowercase().starts_with(&typed) {
                found.push(CompletionCandidate::new(u.email.clone()).help(Some(u.status.into())));
            }
            Ok(())
        })
    });
    listed.map(|_| found).unwrap_or_default()
}

fn roles() -> Vec<CompletionCandidate> {
    let roles = with_repo(|repo| repo.list_roles()).unwrap_or_default();
    roles
        .into_iter()
        .map(|r| CompletionCandidate::new(r.name))
        .collect()
}

/// Runs `work` on the database the words typed so far name, if it exists:
/// completing never creates a database, prompts or prints.
fn with_repo<T>(work: impl FnOnce(&mut dyn Repo) -> crate::error::Result<T>) -> Option<T> {
    let ctx = Context::new(typed_globals()?).ok()?;
    let (target, origin) = ctx.target().ok()?;
    if matches!(&target, Target::Sqlite { path, .. } if !path.exists()) {
        return None;
    }
    let mut repo = crate::repo::open(&target, ctx.connect_opts(origin)).ok()?;
    work(repo.as_mut()).ok()
}

/// The options that choose the database, out of the words typed so far (the
/// shell passes them after `--`), wherever they stand on the line.
fn typed_globals() -> Option<GlobalArgs> {
    let words: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .skip_while(|a| a != "--")
        .skip(2)
        .collect();
    const CHOOSING: [&str; 5] = [
        "-d",
        "--database-url",
        "--env-file",
        "--project",
        "--config",
    ];
    let mut picked = vec!["roster".to_string(), "-q".into(), "--no-input".into()];
    let mut it = words.iter().peekable();
    while let Some(w) = it.next() {
        let name = w.split('=').next().unwrap_or_default();
        if !CHOOSING.contains(&name) {
            continue;
        }
        picked.push(w.clone());
        if !w.contains('=') {
            picked.extend(it.next().cloned());
        }
    }
    let cmd = GlobalArgs::augment_args(clap::Command::new("roster"));
    let matches = cmd.try_get_matches_from(picked).ok()?;
    GlobalArgs::from_arg_matches(&matches).ok()
}
