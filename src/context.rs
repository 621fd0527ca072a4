//! What every command needs from the command line and the environment: the
//! database, the output settings, prompting rules and the password policy.

use crate::cli::{ColorChoice, Format, GlobalArgs};
use crate::config::{self, FileConfig, Origin};
use crate::error::Result;
use crate::flows::Run;
use crate::output::Out;
use crate::password;
use crate::policy::{Layer, Policy, Source};
use crate::repo::{self, ConnectOpts, Repo, Target, WriteOpts};
use crate::sources;
use crate::terminal::Terminal;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The settings of one run of roster.
pub struct Context {
    pub global: GlobalArgs,
    pub config: FileConfig,
    pub config_path: Option<PathBuf>,
    pub out: Out,
    /// Whether roster may ask questions (terminal, and no `--no-input`).
    pub interactive: bool,
    /// The channel flows ask and warn through.
    pub terminal: Terminal,
    /// The config file's password policy, if it sets one.
    config_policy: Option<Layer>,
}

impl Context {
    /// Reads the config file and works out output and prompting.
    pub fn new(global: GlobalArgs) -> Result<Context> {
        let (config, config_path) = config::load(global.config.as_deref())?;
        // no-color.org: a non-empty NO_COLOR turns colour off by default, and a
        // flag given on this command line (--color always) overrides it.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        let out = Out {
            format: global.format,
            quiet: global.quiet,
            color,
            headers: !global.no_headers,
            width: crate::output::width(),
            project: None,
        };
        let interactive = password::interactive(global.no_input);
        if interactive {
            // Only a run that may prompt needs the terminal restored on Ctrl-C.
            crate::interrupt::install();
        }
        let terminal = Terminal {
            interactive,
            yes: global.yes,
            quiet: global.quiet,
        };
        let config_policy = config_policy(&config, config_path.as_deref());
        let mut ctx = Context {
            global,
            config,
            config_path,
            out,
            interactive,
            terminal,
            config_policy,
        };
        ctx.out.project = ctx.project().map(|(name, _)| name.to_string());
        Ok(ctx)
    }

    /// Every source that names a database, in the order of spec §4.
    pub fn sources(&self) -> Result<Vec<sources::Source>> {
        sources::sources(
            self.global.database_url.as_deref(),
            self.global.env_file.as_deref(),
            self.global.project.as_deref(),
            &self.config,
        )
    }

    /// The named project this run works on: the one `--project` names, unless
    /// `-d` or `--env-file` (which come first) name the database.
    pub fn project(&self) -> Option<(&str, &crate::config::Project)> {
        if self.global.database_url.is_some() || self.global.env_file.is_some() {
            return None;
        }
        let name = self.global.project.as_deref()?;
        Some((name, self.config.projects.get(name)?))
    }

    /// The database this run works on, by the precedence of spec §4.
    pub fn target(&self) -> Result<(Target, Origin)> {
        let found = self.sources()?;
        let (target, origin, ignored) = sources::choose(&found)?;
        // Which database is used is never a surprise: said whenever another
        // source named one too, or the project's .env was found in a parent folder.
        if !ignored.is_empty() {
            self.out.note(format!(
                "using the database named by {}; also named, and passed over: {}",
                found[0].label,
                ignored.join(", ")
            ));
        } else if origin == Origin::Found && found[0].label != "./.env" {
            self.out
                .note(format!("using the database named by {}", found[0].label));
        }
        Ok((target, origin))
    }

    /// How to connect to a database this origin named: one named by a `.env`
    /// roster found (not one the operator named) gets no ambient credentials
    /// (`PGPASSWORD`, a wildcard `~/.pgpass` line) meant for another host.
    pub fn connect_opts(&self, origin: Origin) -> ConnectOpts {
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
            host_bound_credentials: origin == Origin::Found,
        }
    }

    /// Opens the database; the default `roster.db` is created and initialised on first use.
    pub fn open(&self) -> Result<Box<dyn Repo>> {
        let (target, origin) = self.target()?;
        let fresh = matches!(&target, Target::Sqlite { path, .. } if !path.exists());
        let mut repo = repo::open(&target, self.connect_opts(origin))?;
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
        let (mut target, origin) = self.target()?;
        if let Target::Sqlite { create, .. } = &mut target {
            *create = true;
        }
        Ok((repo::open(&target, self.connect_opts(origin))?, target))
    }

    /// The values and channel flows work with.
    pub fn run(&self) -> Run<'_> {
        Run {
            actor: self.global.actor.as_deref(),
            audit: !self.global.no_audit,
            policy: self.config_policy.as_ref(),
            io: &self.terminal,
            protected: self.project().filter(|(_, p)| p.protect).map(|(n, _)| n),
            yes: self.global.yes,
        }
    }

    /// How writes run: dry run, audit trail and acting user, last-admin override.
    pub fn write_opts(&self, repo: &mut dyn Repo, dry_run: bool, force: bool) -> Result<WriteOpts> {
        self.run().write_opts(repo, dry_run, force)
    }

    /// The password policy in force: the config file's, else the database's, else none.
    pub fn policy(&self, repo: &mut dyn Repo) -> Result<Policy> {
        self.run().policy(repo)
    }

    /// The output format.
    pub fn format(&self) -> Format {
        self.out.format
    }
}

/// The password policy a config file sets, named by the file's path.
fn config_policy(config: &FileConfig, path: Option<&Path>) -> Option<Layer> {
    let rules = config.password_policy.as_ref()?;
    let path = path.map(|p| p.display().to_string()).unwrap_or_default();
    Some(Layer::new(rules.clone(), Source::Config(path)))
}
