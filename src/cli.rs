//! The command line: every command, flag and help text (they are also the man pages).

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The command tree as roster parses, documents and completes it: the derived
/// definitions with each command's examples after its help, and completers for
/// the values the database knows.
pub fn command() -> clap::Command {
    crate::complete::with_completers(crate::help::with_examples(parser()))
}

/// The command tree a run parses with: the same commands and flags as
/// [`command`], without the examples and completers only help and completion use.
pub fn parser() -> clap::Command {
    use clap::CommandFactory;
    Cli::command()
}

/// Administer the user accounts of a Directus database directly over SQL.
///
/// roster works on SQLite files, PostgreSQL and MySQL/MariaDB databases made by
/// Directus 10.x, 11.x and 12.x, and on its own standalone schema (`roster init`), with
/// no Directus server running. Without a database option it uses roster.db in the
/// current folder, creating it on first use.
#[derive(Debug, Parser)]
#[command(name = "roster", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command understands.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Database: sqlite:PATH, a file path, postgres://USER:PASSWORD@HOST/DB[?sslmode=...]
    /// or mysql://USER:PASSWORD@HOST/DB[?ssl-mode=...]
    /// [env: ROSTER_DATABASE_URL; then a Directus .env here or in a parent folder,
    /// then DATABASE_URL]
    #[arg(short = 'd', long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Read the database settings from a Directus .env file (DB_CLIENT, DB_FILENAME, ...)
    #[arg(long, global = true, value_name = "PATH")]
    pub env_file: Option<PathBuf>,
    /// Work on this named project of the config file ([projects.NAME])
    #[arg(long, global = true, env = "ROSTER_PROJECT", value_name = "NAME")]
    pub project: Option<String>,
    /// Config file (TOML); default: roster/config.toml in the user's config folder
    #[arg(
        long,
        global = true,
        env = "ROSTER_CONFIG",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub config: Option<PathBuf>,
    /// Output format; a command refuses (exit 2) one it cannot print
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Leave out the header line of tables, CSV and plain output
    #[arg(long, global = true)]
    pub no_headers: bool,
    /// Print only data and errors, no notes
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Say more: the database's own report under an error, and the database sources passed over
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Never prompt; fail with exit code 2 where an answer is needed
    #[arg(long, global = true)]
    pub no_input: bool,
    /// Answer yes to confirmations (needed for soft-delete when not at a terminal)
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// When to use colour (auto: at a terminal, unless NO_COLOR is set and not empty)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// How long to wait for a locked database (SQLite file, PostgreSQL or MySQL row), in ms [default: 5000]
    #[arg(long, global = true, value_name = "MS", value_parser = milliseconds)]
    pub busy_timeout: Option<u64>,
    /// Record changes in the audit trail as made by this user (email or id)
    #[arg(long, global = true, value_name = "USER")]
    pub actor: Option<String>,
    /// Do not write directus_activity and directus_revisions rows
    #[arg(long, global = true)]
    pub no_audit: bool,
}

/// How data is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables and sentences for people, fitted to the terminal
    Table,
    /// The documented JSON, for programs
    Json,
    /// Comma-separated values with a header line
    Csv,
    /// Tab-separated values with one header line, for awk and cut
    Plain,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Plain => "plain",
        }
    }
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// roster's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Init(crate::commands::init::InitArgs),
    Create(crate::commands::create::CreateArgs),
    Invite(crate::commands::invite::InviteArgs),
    Activate(crate::commands::activate::ActivateArgs),
    Suspend(crate::commands::suspend::SuspendArgs),
    Unsuspend(crate::commands::unsuspend::UnsuspendArgs),
    SoftDelete(crate::commands::soft_delete::SoftDeleteArgs),
    Edit(crate::commands::edit::EditArgs),
    SetPassword(crate::commands::set_password::SetPasswordArgs),
    SetToken(crate::commands::set_token::SetTokenArgs),
    ResetLink(crate::commands::reset_link::ResetLinkArgs),
    List(crate::commands::list::ListArgs),
    Show(crate::commands::show::ShowArgs),
    Import(crate::commands::import::ImportArgs),
    Export(crate::commands::export::ExportArgs),
    Apply(crate::commands::apply::ApplyArgs),
    Sessions(crate::commands::sessions::SessionsArgs),
    Forget(crate::commands::forget::ForgetArgs),
    Doctor(crate::commands::doctor::DoctorArgs),
    Roles(crate::commands::roles::RolesArgs),
    Policy(crate::commands::policy::PolicyArgs),
    Projects(crate::commands::projects::ProjectsArgs),
    #[command(name = "2fa")]
    TwoFa(crate::commands::two_fa::TwoFaArgs),
    Completions(crate::commands::completions::CompletionsArgs),
}

/// `--dry-run`, shared by every command that writes.
#[derive(Debug, Clone, Copy, Args)]
pub struct DryRun {
    /// Check everything and print what would happen, but change nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `--force` of the commands that may give a user a licence seat.
#[derive(Debug, Clone, Copy, Args)]
pub struct SeatForce {
    /// Go past the licence seats of Directus 12 (the project is then locked
    /// from Directus's next restart until seats are freed)
    #[arg(long)]
    pub force: bool,
}

/// Which users `list` and `export` select.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Only users with this status (draft, invited, active, suspended, deleted,
    /// unverified or inactive-license); repeat for several
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// Only users of this role (name or id)
    #[arg(short, long)]
    pub role: Option<String>,
    /// Only users whose email or name contains this text (any case)
    #[arg(short, long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only users who have not logged in for this long (or never): 90d, 12h, 30min, 6mo, 1y (a bare number is days), or since a date such as 2026-06-01
    #[arg(long, value_name = "DURATION")]
    pub inactive_since: Option<String>,
    /// Include soft-deleted users too
    #[arg(short, long)]
    pub all: bool,
}

impl FilterArgs {
    /// The selection, as the flows take it.
    pub fn wanted(&self) -> crate::flows::filter::Wanted {
        crate::flows::filter::Wanted {
            status: self.status.clone(),
            role: self.role.clone(),
            search: self.search.clone(),
            inactive_since: self.inactive_since.clone(),
            all: self.all,
        }
    }
}

/// Where a password comes from; without one, roster prompts at a terminal.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("password_source").multiple(false)))]
pub struct PasswordArgs {
    /// Read the password from the first line of standard input
    #[arg(long, group = "password_source")]
    pub password_stdin: bool,
    /// Read the password from the first line of a file
    #[arg(long, group = "password_source", value_name = "PATH")]
    pub password_file: Option<PathBuf>,
    /// Read the password from an environment variable
    #[arg(long, group = "password_source", value_name = "VAR")]
    pub password_env: Option<String>,
    /// Generate a strong random password and print it once
    #[arg(long, group = "password_source")]
    pub random_password: bool,
    /// The password itself (visible in the process list: prefer --password-stdin)
    #[arg(long, group = "password_source", value_name = "PASSWORD")]
    pub password: Option<String>,
    /// Accept a password the password policy refuses (for throwaway test users)
    #[arg(long)]
    pub allow_weak_password: bool,
}

/// Profile fields of a user: one flag per profile field of
/// [`crate::fields::FIELDS`], with its help text, built from that table.
#[derive(Debug, Clone, Default)]
pub struct ProfileArgs {
    /// (field name, value as given), in the table's order.
    pub values: Vec<(&'static str, String)>,
    /// `--set` and `--unset`.
    pub sets: SetArgs,
}

/// `--set NAME=VALUE` and `--unset NAME`: any field by its name, the
/// project's custom fields included.
#[derive(Debug, Clone, Default, Args)]
pub struct SetArgs {
    /// Set a field by its name: a custom field of the project (doctor lists
    /// them) or any field of show; repeat for several
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Clear a field by its name (store NULL); repeat for several
    #[arg(long = "unset", value_name = "NAME")]
    pub unset: Vec<String>,
}

impl SetArgs {
    /// Whether anything is asked.
    pub fn any(&self) -> bool {
        !self.set.is_empty() || !self.unset.is_empty()
    }

    /// `p` with these values given, once the database is open (its custom
    /// fields are fields then), validated as a whole.
    pub fn applied(
        &self,
        mut p: crate::profile::Profile,
    ) -> crate::error::Result<crate::profile::Profile> {
        for set in &self.set {
            let (name, value) = set.split_once('=').ok_or_else(|| {
                crate::error::Error::usage(format!("--set {set:?}: give NAME=VALUE"))
            })?;
            p.set_named(name.trim(), value)?;
        }
        for name in &self.unset {
            p.set_named(name.trim(), "")?;
        }
        p.validated()
    }
}

impl ProfileArgs {
    /// The validated profile the field flags give (before the database is
    /// opened: `--set` waits for [`ProfileArgs::with_sets`]).
    pub fn profile(&self) -> crate::error::Result<crate::profile::Profile> {
        let mut p = crate::profile::Profile::default();
        for (name, value) in &self.values {
            p.set(name, value.as_str())?;
        }
        p.validated()
    }

    /// Whether `--set` or `--unset` asks for anything.
    pub fn sets_any(&self) -> bool {
        self.sets.any()
    }

    /// The profile with `--set` and `--unset` applied (see [`SetArgs::applied`]).
    pub fn with_sets(
        &self,
        p: crate::profile::Profile,
    ) -> crate::error::Result<crate::profile::Profile> {
        self.sets.applied(p)
    }
}

impl clap::FromArgMatches for ProfileArgs {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let values = crate::fields::flag_fields()
            .filter_map(|f| m.get_one::<String>(f.name).map(|v| (f.name, v.clone())))
            .collect();
        Ok(ProfileArgs {
            values,
            sets: SetArgs::from_arg_matches(m)?,
        })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for ProfileArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        let cmd = SetArgs::augment_args(cmd);
        crate::fields::flag_fields().fold(cmd, |cmd, f| {
            let arg = clap::Arg::new(f.name)
                .long(f.flag())
                .value_name(f.value_name)
                .help(f.help)
                .action(clap::ArgAction::Set);
            cmd.arg(match f.alias {
                Some(alias) => arg.visible_alias(alias),
                None => arg,
            })
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl PasswordArgs {
    /// The flags as the password flow takes them.
    pub fn opts(&self) -> crate::flows::password::PasswordOpts {
        crate::flows::password::PasswordOpts {
            sources: self.sources(),
            allow_weak: self.allow_weak_password,
        }
    }

    /// The sources these flags name.
    pub fn sources(&self) -> crate::password::Sources {
        crate::password::Sources {
            stdin: self.password_stdin,
            file: self.password_file.clone(),
            env: self.password_env.clone(),
            random: self.random_password,
            value: self.password.clone(),
        }
    }
}

/// A wait in milliseconds, said in words when it is not one (clap's own words
/// are Rust's: "invalid digit found in string").
fn milliseconds(raw: &str) -> Result<u64, String> {
    let ms: u64 = raw
        .trim()
        .parse()
        .map_err(|_| "not a number of milliseconds, such as 5000".to_string())?;
    match ms <= i32::MAX as u64 {
        true => Ok(ms),
        false => Err(format!("at most {} milliseconds (about 24 days)", i32::MAX)),
    }
}
