//! `roster import`: many users from a CSV, JSON, JSON Lines or TOML file, all or nothing.

use crate::cli::DryRun;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::import::{self, Options, Source};
use crate::flows::interaction::Interaction;
use crate::flows::invitations::{self, Keeping};
use crate::flows::rows::{Pending, check};
use crate::invitation::{Given, LinkSettings};
use crate::mail::Mailer;
use crate::output;
use crate::repo::{OnConflict, Repo};
use crate::rows::{Delimiter, FileFormat, IMPORT_ONLY, export_names, read};
use clap::Args;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Import users from a file, all or nothing, in one transaction
///
/// Fields are the names `show` and `export` use: email (required), first_name,
/// last_name, title, company, timezone, language, theme, email_notifications,
/// role (name or id), status, password (checked against the policy and hashed),
/// password_hash (an argon2 PHC string, stored as is), token, tfa_secret and id
/// (kept for a new user). Every row is checked before anything is written; a
/// soft-deleted email is revived (unless the row says status deleted). A new row
/// is active when it has a password (or --random-password), else invited. Only
/// what differs is written: a re-run of the same file is all unchanged.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to read; - reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The file's format [default: from its extension (.csv, .json, .jsonl, .toml),
    /// else from its first bytes: [[ TOML, [ JSON, { JSON Lines, anything else CSV]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<FileFormat>,
    /// The CSV field separator [default: the most frequent of , ; and tab in the header]
    #[arg(long, value_parser = delimiter, value_name = "CHAR")]
    pub delimiter: Option<u8>,
    /// Accept a file with no users (an empty import is otherwise exit 5: the step
    /// that made the file probably failed)
    #[arg(long)]
    pub allow_empty: bool,
    /// Role of rows that name none (name or id)
    #[arg(short, long)]
    pub role: Option<String>,
    /// What to do with a row whose email a user already has
    #[arg(long, value_enum, default_value_t = OnConflict::Fail, value_name = "MODE")]
    pub on_conflict: OnConflict,
    /// Give every new active row without a password a generated one (printed once)
    #[arg(long)]
    pub random_password: bool,
    /// Give every new row without a token a generated one (printed once)
    #[arg(long)]
    pub generate_token: bool,
    /// Accept passwords the password policy refuses (for throwaway test users)
    #[arg(long)]
    pub allow_weak_password: bool,
    /// Allow an import that leaves no active administrator, or one that goes past
    /// Directus 12's licence seats
    #[arg(long)]
    pub force: bool,
    /// Mail an invitation link to every user the import leaves invited (new or
    /// revived), through the project's mail settings (EMAIL_* in --env-file)
    #[arg(long)]
    pub send_invites: bool,
    /// Update a user whose id differs from the row's id, keeping the user's
    /// (without it such a row is exit 5: references would not line up)
    #[arg(long)]
    pub ignore_ids: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
}

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<()> {
    let format = args
        .input_format
        .or_else(|| FileFormat::of_path(&args.file));
    let dry_run = args.dry_run.dry_run;
    if (args.random_password || args.generate_token) && !dry_run {
        output::secret_can_be_shown()?;
    }
    let mut source = FileSource::new(&args.file, format, args.delimiter);
    let mut repo = ctx.open()?;
    ctx.out.reading_from(&args.file);
    // Link and mail settings are checked before anything is written.
    let sending = match args.send_invites {
        true => Some(mail_settings(ctx, repo.as_mut())?),
        false => None,
    };
    let opts = Options {
        on_conflict: args.on_conflict,
        role: args.role.clone(),
        random_password: args.random_password,
        generate_token: args.generate_token,
        allow_weak: args.allow_weak_password,
        passwords_on_update: true,
        prune: false,
        force: args.force,
        ignore_ids: args.ignore_ids,
        allow_empty: args.allow_empty,
        dry_run,
    };
    let mut report = ctx.out.import_report(dry_run)?;
    let mut keeping = Keeping {
        inner: &mut report,
        made: Vec::new(),
    };
    import::write(
        &ctx.run(),
        repo.as_mut(),
        &mut source,
        &import::Declared::default(),
        &opts,
        &mut keeping,
    )?;
    match sending {
        Some((settings, mailer)) if !dry_run => {
            let mailed = invitations::send(repo.as_mut(), &settings, &mailer, &keeping.made)?;
            ctx.out.invitations_mailed(&mailed)
        }
        _ => Ok(()),
    }
}

/// The project's link and mail settings, for --send-invites.
fn mail_settings(ctx: &Context, repo: &mut dyn Repo) -> Result<(LinkSettings, Mailer)> {
    let settings = LinkSettings::resolve(&Given {
        env_file: ctx.global.env_file.as_deref(),
        ..Given::default()
    })?;
    settings.check_secret_for(repo)?;
    let project = repo.settings()?.project_name;
    let mailer = Mailer::for_project(ctx.global.env_file.as_deref(), project.as_deref())?;
    Ok((settings, mailer))
}

/// `--delimiter`: one character, `\t` or `tab` for a tab.
fn delimiter(raw: &str) -> std::result::Result<u8, String> {
    match raw {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        one if one.len() == 1 && one.is_ascii() => Ok(one.as_bytes()[0]),
        _ => Err("give one ASCII character, or tab".to_string()),
    }
}

/// The rows of the file named, read twice: the first reading copies the file
/// (or standard input) to a private temporary file, which the second reads, so
/// both see the same rows whatever happens to the file meanwhile.
struct FileSource<'a> {
    path: &'a Path,
    /// Given or named by the extension; else told from the first bytes.
    format: Option<FileFormat>,
    delimiter: Delimiter,
    copy: Option<File>,
}

impl<'a> FileSource<'a> {
    fn new(path: &'a Path, format: Option<FileFormat>, delimiter: Delimiter) -> Self {
        FileSource {
            path,
            format,
            delimiter,
            copy: None,
        }
    }

    /// The size of the file named, when it is a file.
    fn path_len(&self) -> Option<u64> {
        let file = (self.path != Path::new("-")).then(|| std::fs::metadata(self.path).ok());
        file.flatten().filter(|m| m.is_file()).map(|m| m.len())
    }

    /// The input of the next reading: the file the first time, copied as it is
    /// read, then the copy.
    fn open(&mut self) -> Result<Box<dyn Read + '_>> {
        if self.copy.is_none() {
            let input = crate::input::open_or_stdin(self.path, "import file")?;
            let copy = self.copy.insert(tempfile::tempfile().map_err(cannot_copy)?);
            return Ok(Box::new(Tee { input, copy }));
        }
        let copy = self
            .copy
            .as_mut()
            .ok_or_else(|| cannot_copy(std::io::ErrorKind::NotFound.into()))?;
        copy.seek(SeekFrom::Start(0)).map_err(cannot_copy)?;
        Ok(Box::new(&*copy))
    }
}

impl Source for FileSource<'_> {
    fn rows(
        &mut self,
        io: &dyn Interaction,
        what: &str,
        each: &mut dyn FnMut(Pending) -> Result<()>,
    ) -> Result<()> {
        let path = self.path.display().to_string();
        let mut allowed = export_names(true);
        allowed.extend(IMPORT_ONLY);
        // The first reading shows the bytes read; the writing shows its own bar.
        let bar = match self.copy {
            None => io.reading(self.path_len(), &format!("{what} {path}")),
            Some(_) => indicatif::ProgressBar::hidden(),
        };
        let delimiter = self.delimiter;
        // Not kept: the second reading tells it again from the same bytes.
        let known = self.format;
        let mut input = BufReader::with_capacity(1 << 16, self.open()?);
        let format = match known {
            Some(f) => f,
            None => sniffed(&path, &mut input)?,
        };
        let done = read(input, format, delimiter, &bar, &mut |fr| {
            let place = format.where_is(fr.at);
            each(check(fr, place, &allowed)?)
        });
        bar.finish_and_clear();
        done
    }
}

/// The format the first bytes show (CSV for an empty input, which then has no rows).
fn sniffed(path: &str, input: &mut impl BufRead) -> Result<FileFormat> {
    let head = input
        .fill_buf()
        .map_err(|e| Error::usage(format!("cannot read {path}: {e}")))?;
    Ok(FileFormat::sniff(head).unwrap_or(FileFormat::Csv))
}

fn cannot_copy(e: std::io::Error) -> Error {
    Error::Internal(format!(
        "cannot copy the import file to a temporary file: {e}"
    ))
}

/// Copies what is read to the private copy as it goes.
struct Tee<'a> {
    input: Box<dyn Read>,
    copy: &'a mut File,
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        self.copy.write_all(&buf[..n])?;
        Ok(n)
    }
}
