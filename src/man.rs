//! Man pages, rendered from the clap definitions: one for roster and one per
//! subcommand, each with its examples, the environment, the files and the exit
//! status (from [`crate::help`]).

use crate::help::{self, DATABASE_PRECEDENCE, ENVIRONMENT, EXIT_CODES, FILES};
use clap_mangen::roff::{Roff, bold, roman};

/// (file name, roff text) for every page.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    // No page is made for clap's `help` subcommands, so none may name one.
    let mut root = without_help(crate::cli::command());
    // Building propagates global options and the version into every subcommand's page.
    root.build();
    let mut out = Vec::new();
    render(&root, "", &mut out);
    out
}

/// A command's page, then its subcommands' (`path` is `roles create`).
fn render(cmd: &clap::Command, path: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let name = match path.is_empty() {
        true => "roster".to_string(),
        false => format!("roster-{}", path.replace(' ', "-")),
    };
    let cmd = cmd
        .clone()
        .name(name.clone())
        .bin_name(format!("roster {path}").trim_end().to_string());
    out.push((format!("{name}.1"), page(&cmd, path)));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let sub_path = format!("{path} {}", sub.get_name());
        render(sub, sub_path.trim_start(), out);
    }
}

/// One page: clap_mangen's sections (its EXTRA, the `--help` epilogue, is
/// replaced by EXAMPLES), then roster's own.
fn page(cmd: &clap::Command, path: &str) -> Vec<u8> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let done = (|| -> std::io::Result<()> {
        man.render_title(&mut buf)?;
        man.render_name_section(&mut buf)?;
        man.render_synopsis_section(&mut buf)?;
        man.render_description_section(&mut buf)?;
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut buf)?;
        }
        if cmd.get_subcommands().any(|s| s.get_name() != "help") {
            man.render_subcommands_section(&mut buf)?;
        }
        let mut roff = Roff::default();
        sections(&mut roff, path);
        roff.to_writer(&mut buf)?;
        if cmd.get_version().is_some() {
            man.render_version_section(&mut buf)?;
        }
        Ok(())
    })();
    done.expect("render to memory");
    buf
}

/// EXAMPLES, ENVIRONMENT, FILES and EXIT STATUS.
fn sections(roff: &mut Roff, path: &str) {
    let examples = help::examples(path);
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for (what, line) in examples {
            roff.control("TP", []);
            roff.text([bold(*line)]);
            roff.text([roman(*what)]);
        }
    }
    roff.control("SH", ["ENVIRONMENT"]);
    terms(roff, &ENVIRONMENT);
    roff.control("PP", []);
    roff.text([roman(DATABASE_PRECEDENCE)]);
    roff.control("SH", ["FILES"]);
    terms(roff, &FILES);
    roff.control("SH", ["EXIT STATUS"]);
    let codes: Vec<(String, &str)> = EXIT_CODES
        .iter()
        .map(|(c, m)| (c.to_string(), *m))
        .collect();
    let codes: Vec<(&str, &str)> = codes.iter().map(|(c, m)| (c.as_str(), *m)).collect();
    terms(roff, &codes);
}

/// A list of terms, each in bold over what it means.
fn terms(roff: &mut Roff, items: &[(&str, &str)]) {
    for (term, meaning) in items {
        roff.control("TP", []);
        roff.text([bold(*term)]);
        roff.text([roman(*meaning)]);
    }
}

/// The command tree without clap's `help` subcommands (`roster help` is `--help`).
fn without_help(cmd: clap::Command) -> clap::Command {
    cmd.disable_help_subcommand(true)
        .mut_subcommands(without_help)
}
