//! `roster completions`: shell completion scripts, rendered from the clap definitions.

use crate::error::Result;
use clap::Args;
use clap_complete::Shell;
use std::io::Write;

/// Print the completion script for a shell
///
/// The script asks roster itself what to offer: emails and role names from the
/// database the command line names (by -d, --env-file, --project or the usual
/// sources; never a new roster.db), statuses, themes and every flag's fixed
/// values. Save it where the shell looks for completions, for example
/// `roster completions bash > ~/.local/share/bash-completion/completions/roster`
/// or `roster completions fish > ~/.config/fish/completions/roster.fish`; or
/// source it anew at each start, so it always matches the roster installed:
/// `source <(COMPLETE=bash roster)` (zsh: COMPLETE=zsh; fish:
/// `COMPLETE=fish roster | source`).
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> Result<()> {
    std::io::stdout()
        .write_all(&render(args.shell))
        .map_err(|e| crate::error::Error::Internal(format!("cannot write output: {e}")))
}

/// The completion script for a shell: it asks roster itself what to offer,
/// so emails and role names come from the database the command line names.
pub fn render(shell: Shell) -> Vec<u8> {
    crate::complete::registration(shell)
}

/// The file name a shell's script is committed under in completions/.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "roster.bash",
        Shell::Zsh => "_roster",
        Shell::Fish => "roster.fish",
        Shell::PowerShell => "_roster.ps1",
        Shell::Elvish => "roster.elv",
        _ => "roster.other",
    }
}
