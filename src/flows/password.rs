//! Obtaining a password under the policy, and storing it: the steps `create`,
//! `activate` and `set-password` share.

use super::{Interaction, Run, commit_after};
use crate::error::{Error, Result};
use crate::password::{self, Chosen, Obtained, Sources, WEAK_ACCEPTED};
use crate::policy::Policy;
use crate::repo::{Changed, Repo};
use zeroize::Zeroizing;

/// Where a command's password comes from, and whether the policy may be overruled.
#[derive(Debug, Clone, Default)]
pub struct PasswordOpts {
    pub sources: Sources,
    pub allow_weak: bool,
}

/// The password a flag names, read before the database is opened: a file or
/// variable that cannot be read is a usage error (2) whatever the database's state.
pub fn read(opts: &PasswordOpts, io: &dyn Interaction) -> Result<Option<Obtained>> {
    let src = &opts.sources;
    let given = |s: String| Obtained {
        secret: Zeroizing::new(s),
        generated: false,
    };
    if let Some(v) = &src.value {
        io.warn(
            "warning: --password shows the password in the process list; prefer --password-stdin",
        );
        return Ok(Some(given(v.clone())));
    }
    if src.stdin {
        return io
            .read_secret("Password", "the password")
            .map(|s| Some(given(s)));
    }
    if let Some(path) = &src.file {
        return password::read_file(path).map(|s| Some(given(s)));
    }
    if let Some(var) = &src.env {
        return env_var(var).map(|s| Some(given(s)));
    }
    Ok(src.random.then(|| Obtained {
        secret: password::random(),
        generated: true,
    }))
}

/// The value of the variable `--password-env` names.
fn env_var(var: &str) -> Result<String> {
    std::env::var(var).map_err(|e| match e {
        std::env::VarError::NotPresent => {
            Error::usage(format!("environment variable {var} is not set"))
        }
        std::env::VarError::NotUnicode(_) => {
            Error::usage(format!("environment variable {var} is not valid UTF-8"))
        }
    })
}

/// The password read, checked against the policy; `None` without one.
pub fn given(
    run: &Run,
    repo: &mut dyn Repo,
    opts: &PasswordOpts,
    read: Option<Obtained>,
) -> Result<Option<Chosen>> {
    let Some(got) = read else {
        return Ok(None);
    };
    let policy = run.policy(repo)?;
    accept(got, &policy, opts.allow_weak, run.io).map(Some)
}

/// Checks a password already read against the policy (a generated one is drawn
/// again until it passes a custom policy).
pub fn accept(
    mut got: Obtained,
    policy: &Policy,
    allow_weak: bool,
    io: &dyn Interaction,
) -> Result<Chosen> {
    if got.generated {
        for _ in 0..32 {
            if policy.check(&got.secret).is_ok() {
                break;
            }
            got.secret = password::random();
        }
    }
    if allow_weak && !got.secret.is_empty() {
        if policy.check(&got.secret).is_err() {
            io.warn(WEAK_ACCEPTED);
        }
    } else {
        policy.check(&got.secret)?;
    }
    Ok(Chosen {
        secret: got.secret,
        generated: got.generated,
    })
}

/// The password given, or else one asked for at the terminal.
pub fn or_prompt(
    run: &Run,
    repo: &mut dyn Repo,
    opts: &PasswordOpts,
    given: Option<Chosen>,
) -> Result<Chosen> {
    if let Some(chosen) = given {
        return Ok(chosen);
    }
    let policy = run.policy(repo)?;
    // No password was given (`read` found no source), so only the operator can give one.
    match run.io.can_ask() {
        true => run.io.ask_password(&policy, opts.allow_weak),
        false => Err(password::missing()),
    }
}

/// A password just stored: how it was chosen, what changed, the sessions ended.
pub struct Stored<'a> {
    pub chosen: &'a Chosen,
    pub changed: Changed,
    pub ended: u64,
}

/// Stores the password's hash; `reveal` shows a generated password before the
/// change is committed, so it is never stored unseen. Gives what changed.
pub fn store(
    run: &Run,
    repo: &mut dyn Repo,
    id: &str,
    chosen: &Chosen,
    (dry_run, force, first): (bool, bool, Option<&crate::repo::Edit>),
    reveal: impl FnOnce(&Stored) -> Result<()>,
) -> Result<Changed> {
    let hash = chosen.hash()?;
    let opts = run.write_opts(repo, dry_run, force)?;
    let write = |r: &mut dyn Repo| {
        // Fields given with the password land in the same transaction.
        if let Some(edit) = first {
            r.edit_user(id, edit, &opts)?;
        }
        let (changed, ended) = super::with_sessions_ended(r, |r| r.set_password(id, &hash, &opts))?;
        Ok(Stored {
            chosen,
            changed,
            ended,
        })
    };
    commit_after(repo, dry_run, write, reveal).map(|s| s.changed)
}
