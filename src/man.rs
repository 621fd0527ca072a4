//! Man pages, rendered from the clap definitions: one for roster and one per subcommand.

use crate::cli::Cli;
use clap::CommandFactory;

/// (file name, roff text) for every page.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    // No page is made for clap's `help` subcommands, so none may name one.
    let mut root = without_help(Cli::command());
    // Building propagates global options and the version into every subcommand's page.
    root.build();
    let mut out = Vec::new();
    render(&root, "roster", &mut out);
    out
}

fn render(cmd: &clap::Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let cmd = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    clap_mangen::Man::new(cmd.clone())
        .render(&mut buf)
        .expect("render to memory");
    out.push((format!("{name}.1"), buf));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        render(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}

/// The command tree without clap's `help` subcommands (`roster help` is `--help`).
fn without_help(cmd: clap::Command) -> clap::Command {
    cmd.disable_help_subcommand(true)
        .mut_subcommands(without_help)
}
