//! `roster export`: users as JSON, JSON Lines, CSV or TOML that `import` reads back.

use crate::cli::{FilterArgs, Format};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flows::{Interaction, filter};
use crate::repo::Repo;
use crate::rows::{FileFormat, Writer};
use clap::Args;

/// Export users in a file format `import` reads back, streamed to stdout
///
/// Fields: id, email, names, status, role (by name) and the profile fields, in
/// the names `show` uses. Values are exact: unlike `list --format csv`, cells are
/// never altered for spreadsheets, so the file imports as it was exported.
/// Soft-deleted users only with --all (they import as soft-deleted). Secrets
/// (password_hash, token, tfa_secret, auth_data) only with --with-secrets. With
/// --with-roles the TOML is an apply file that rebuilds roles, policies and users.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// File format [default: json, or csv with --format csv]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output_format: Option<FileFormat>,
    /// Include password hashes, static tokens and TOTP secrets (keep the file safe)
    #[arg(long)]
    pub with_secrets: bool,
    /// Begin with every role and, on Directus 11 and later, every policy with
    /// its roles and users, as `roster apply` reads them (TOML only)
    #[arg(long)]
    pub with_roles: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<()> {
    let format = args.output_format.unwrap_or(match ctx.format() {
        Format::Csv => FileFormat::Csv,
        _ => FileFormat::Json,
    });
    if args.with_roles && format != FileFormat::Toml {
        return Err(Error::usage(
            "--with-roles writes an apply file: give --output-format toml",
        ));
    }
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
    if args.with_roles {
        writer.preamble(&roles_and_policies(repo.as_mut())?)?;
    }
    repo.export_users(&wanted, args.with_secrets, &mut |r| writer.write(&r))?;
    writer.finish()
}

/// The `[[roles]]` and `[[policies]]` tables of an apply file. On Directus 11
/// and later access lives on policies, so roles carry only their names there
/// (apply then leaves an existing role's access to its policies).
fn roles_and_policies(repo: &mut dyn Repo) -> Result<String> {
    let policies = repo.policies()?;
    let on_roles = !repo.schema()?.uses_policies();
    let roles: Vec<toml::Value> = repo
        .list_roles()?
        .into_iter()
        .map(|r| {
            let mut t = toml::Table::new();
            t.insert("name".into(), r.name.into());
            if on_roles {
                t.insert("admin".into(), r.admin_access.into());
                t.insert("app_access".into(), r.app_access.into());
            }
            toml::Value::Table(t)
        })
        .collect();
    let mut doc = toml::Table::new();
    doc.insert("roles".into(), toml::Value::Array(roles));
    if !policies.is_empty() {
        let policies = toml::Value::try_from(&policies)
            .map_err(|e| Error::Internal(format!("policies as TOML: {e}")))?;
        doc.insert("policies".into(), policies);
    }
    toml::to_string(&doc).map_err(|e| Error::Internal(format!("roles as TOML: {e}")))
}
