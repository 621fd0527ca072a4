//! What every command needs from the command line and the environment: the
//! database, the output settings, prompting rules and the password policy.

use crate::cli::{ColorChoice, Format, GlobalArgs};
use crate::config::{self, FileConfig, Origin};
use crate::error::{Error, Result};
use crate::output::Out;
use crate::password;
use crate::policy::{Policy, Source};
use crate::repo::{self, ConnectOpts, Repo, Target, WriteOpts};
use crate::sources;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

/// The settings of one run of roster.
pub struct Context {
    pub global: GlobalArgs,
    pub config: FileConfig,
    pub config_path: Option<PathBuf>,
    pub out: Out,
    /// Whether roster may ask questions (terminal, and no `--no-input`).
    pub interactive: bool,
}

impl Context {
    /// Reads the config file and works out output and prompting.
    pub fn new(global: GlobalArgs) -> Result<Context> {
        let (config, config_path) = config::load(global.config.as_deref())?;
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
            }
        };
        let out = Out {
            format: global.format,
            quiet: global.quiet,
            color,
        };
        let interactive = password::interactive(global.no_input);
        if interactive {
            // Only a run that may prompt needs the terminal restored on Ctrl-C.
            crate::interrupt::install();
        }
        Ok(Context {
            global,
            config,
            config_path,
            out,
            interactive,
        })
    }

    /// The database this run works on, by the precedence of spec §4.
    pub fn target(&self) -> Result<(Target, Origin)> {
        let found = sources::sources(
            self.global.database_url.as_deref(),
            self.global.env_file.as_deref(),
            &self.config,
        )?;
        let (target, origin, ignored) = sources::choose(&found)?;
        if self.global.verbose && !ignored.is_empty() {
            self.out.note(format!(
                "using the database named by {}; also named, and passed over: {}",
                found[0].label,
                ignored.join(", ")
            ));
        }
        Ok((target, origin))
    }

    pub fn connect_opts(&self) -> ConnectOpts {
        // SQLite takes at most i32::MAX ms; the flag is checked by clap, the file here.
        let busy = self
            .global
            .busy_timeout
            .or(self.config.busy_timeout_ms)
            .unwrap_or(5000)
            .min(i32::MAX as u64);
        ConnectOpts {
            busy_timeout: Duration::from_millis(busy),
            connect_timeout: Duration::from_secs(self.config.connect_timeout_s.unwrap_or(10)),
        }
    }

    /// Opens the database; the default `roster.db` is created and initialised on first use.
    pub fn open(&self) -> Result<Box<dyn Repo>> {
        let (target, origin) = self.target()?;
        let fresh = matches!(&target, Target::Sqlite { path, .. } if !path.exists());
        let mut repo = repo::open(&target, self.connect_opts())?;
        if origin == Origin::Default && fresh {
            repo.init(&WriteOpts::default())?;
            self.out.note(format!(
                "created {} with roster's standalone schema (an Administrator role is ready)",
                config::DEFAULT_DB
            ));
        }
        Ok(repo)
    }

    /// Opens (and for SQLite, creates) the database `roster init` works on.
    pub fn open_for_init(&self) -> Result<(Box<dyn Repo>, Target)> {
        let (mut target, _) = self.target()?;
        if let Target::Sqlite { create, .. } = &mut target {
            *create = true;
        }
        Ok((repo::open(&target, self.connect_opts())?, target))
    }

    /// How writes run: dry run, audit trail and acting user, last-admin override.
    pub fn write_opts(&self, repo: &mut dyn Repo, dry_run: bool, force: bool) -> Result<WriteOpts> {
        let actor = match &self.global.actor {
            None => None,
            Some(key) => Some(
                repo.find_user(key)?
                    .ok_or_else(|| Error::not_found(format!("no user {key} (given as --actor)")))?
                    .id,
            ),
        };
        Ok(WriteOpts {
            dry_run,
            audit: !self.global.no_audit,
            actor,
            force,
        })
    }

    /// The password policy in force: the config file's, else the database's, else none.
    pub fn policy(&self, repo: &mut dyn Repo) -> Result<Policy> {
        if let Some(rules) = &self.config.password_policy {
            let path = self
                .config_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            return Ok(Policy {
                rules: rules.clone(),
                source: Source::Config(path),
            });
        }
        match repo.settings()?.password_policy {
            Some(regex) => Policy::from_directus(&regex),
            None => Ok(Policy::none()),
        }
    }

    /// Asks a yes/no question at a terminal; off a terminal the answer is `--yes`.
    pub fn confirm(&self, question: &str) -> Result<bool> {
        if self.global.yes {
            return Ok(true);
        }
        if !self.interactive {
            return Ok(false);
        }
        // A destructive step needs y and Enter: one stray keypress must not confirm it.
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .wait_for_newline(true)
            .interact()
            .map_err(|_| Error::Interrupted)
    }

    /// Runs `work` in a held transaction and commits only after `show` printed its
    /// result, so a generated secret is never stored unless it reached the operator.
    pub fn commit_after<T>(
        &self,
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

    /// The output format.
    pub fn format(&self) -> Format {
        self.out.format
    }
}
