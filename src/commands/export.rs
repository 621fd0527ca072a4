//! `roster export`: users as JSON, JSON Lines, CSV or TOML that `import` reads back.

use crate::cli::{FilterArgs, Format};
use crate::context::Context;
use crate::error::Result;
use crate::flows::{Interaction, filter};
use crate::rows::{FileFormat, Writer};
use clap::Args;

/// Export users in a file format `import` reads back, streamed to stdout
///
/// Fields: id, email, names, status, role (by name) and the profile fields, in
/// the names `show` uses. Values are exact: unlike `list --format csv`, cells are
/// never altered for spreadsheets, so the file imports as it was exported.
/// Soft-deleted users only with --all (they import as soft-deleted). Secrets
/// (password_hash, token, tfa_secret) only with --with-secrets.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// File format [default: json, or csv with --format csv]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output_format: Option<FileFormat>,
    /// Include password hashes, static tokens and TOTP secrets (keep the file safe)
    #[arg(long)]
    pub with_secrets: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<()> {
    let format = args.output_format.unwrap_or(match ctx.format() {
        Format::Csv => FileFormat::Csv,
        _ => FileFormat::Json,
    });
    let asked = args.filter.wanted();
    let wanted = filter::checked(&asked)?;
    let mut repo = ctx.open()?;
    let wanted = filter::resolved(repo.as_mut(), &asked, wanted)?;
    if args.with_secrets {
        ctx.terminal.warn(
            "warning: the export holds password hashes, tokens and TOTP secrets: keep it as safe as the database",
        );
    }
    let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut writer = Writer::new(out, format, args.with_secrets)?;
    repo.export_users(&wanted, args.with_secrets, &mut |r| writer.write(&r))?;
    writer.finish()
}
