//! The work several commands share (creating or reviving a user, changing
//! statuses, obtaining a password, finding roles, importing and applying rows):
//! commands parse, call a flow and render its typed outcome. Flows take plain
//! values, never print, and ask the operator only through [`Interaction`].

pub mod apply_file;
pub mod create;
pub mod filter;
pub mod import;
pub mod interaction;
pub mod invitations;
pub mod password;
pub mod roles;
pub mod rows;
pub mod scan;
pub mod status;
pub mod token;
mod toml_split;
pub mod two_fa;

pub use interaction::Interaction;

use crate::error::{Error, Result};
use crate::policy::{Layer, Policy};
use crate::repo::{Repo, WriteOpts};

/// What every flow needs from the run, as plain values, and the channel to the operator.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    /// The user named by `--actor` (email or id), looked up when a write needs it.
    pub actor: Option<&'a str>,
    /// Whether writes leave an audit trail (`--no-audit` turns it off).
    pub audit: bool,
    /// The config file's password policy, which applies besides the database's.
    pub policy: Option<&'a Layer>,
    /// Questions and warnings go here.
    pub io: &'a dyn Interaction,
    /// The protected project this run writes to, whose writes need its name
    /// typed (or, unattended, `--yes`).
    pub protected: Option<&'a str>,
    /// `--yes`.
    pub yes: bool,
}

/// Whether this process's writes to a protected project were confirmed: asked once per run.
static PROTECTED_WRITE_CONFIRMED: std::sync::OnceLock<()> = std::sync::OnceLock::new();

impl Run<'_> {
    /// How writes run: dry run, audit trail and acting user, last-admin override.
    pub fn write_opts(&self, repo: &mut dyn Repo, dry_run: bool, force: bool) -> Result<WriteOpts> {
        self.guard(dry_run)?;
        let actor = match self.actor {
            None => None,
            Some(key) => Some(
                repo.find_user(key)?
                    .ok_or_else(|| Error::not_found(format!("no user {key} (given as --actor)")))?
                    .id,
            ),
        };
        Ok(WriteOpts {
            dry_run,
            audit: self.audit,
            actor,
            force,
            warn: |m| eprintln!("warning: {m}"),
        })
    }

    /// Lets a write to a protected project through only when the operator typed
    /// its name at a terminal or, unattended, gave `--yes` (exit 2 otherwise,
    /// before anything is written). A dry run writes nothing and is not asked.
    pub fn guard(&self, dry_run: bool) -> Result<()> {
        let Some(name) = self.protected else {
            return Ok(());
        };
        if dry_run || self.yes || PROTECTED_WRITE_CONFIRMED.get().is_some() {
            return Ok(());
        }
        if !self.io.can_ask() {
            return Err(Error::usage(format!(
                "project {name} is protected: a write needs --yes when roster cannot ask (no terminal, or --no-input); nothing was changed"
            )));
        }
        let typed = self.io.type_line(&format!(
            "Project {name} is protected. Type its name to write to it"
        ))?;
        match typed.trim() == name {
            true => {
                let _ = PROTECTED_WRITE_CONFIRMED.set(());
                Ok(())
            }
            false => Err(Error::usage(format!(
                "the name typed is not {name}; nothing was changed"
            ))),
        }
    }

    /// The password policy in force: the config file's and the database's, each
    /// of which a password must meet, so a personal config never weakens the project's.
    pub fn policy(&self, repo: &mut dyn Repo) -> Result<Policy> {
        let mut layers: Vec<Layer> = self.policy.into_iter().cloned().collect();
        if let Some(regex) = repo.settings()?.password_policy {
            layers.push(Layer::from_directus(&regex)?);
        }
        let policy = Policy { layers };
        policy.usable()?;
        Ok(policy)
    }
}

/// Runs one write and counts the sessions it ended for its user.
pub fn with_sessions_ended(
    repo: &mut dyn Repo,
    work: impl FnOnce(&mut dyn Repo) -> Result<crate::repo::Changed>,
) -> Result<(crate::repo::Changed, u64)> {
    repo.take_sessions_ended();
    let changed = work(repo)?;
    let ended = crate::repo::sessions_ended_of(&repo.take_sessions_ended(), &changed.user().id);
    Ok((changed, ended))
}

/// Runs `work` in a held transaction and commits only after `show` printed its
/// result, so a generated secret is never stored unless it reached the operator.
pub fn commit_after<T>(
    repo: &mut dyn Repo,
    dry_run: bool,
    work: impl FnOnce(&mut dyn Repo) -> Result<T>,
    show: impl FnOnce(&T) -> Result<()>,
) -> Result<T> {
    repo.hold()?;
    match work(repo).and_then(|v| show(&v).map_err(crate::output::unseen).map(|_| v)) {
        Ok(v) => repo.finish(!dry_run).map(|_| v),
        Err(e) => {
            // The first error is the one to report; the rollback only undoes.
            let _ = repo.finish(false);
            Err(e)
        }
    }
}
