//! The operator's terminal as the command layer gives it to flows: prompts,
//! confirmations, warnings and progress bars, all on stderr.

use crate::error::{Error, Result};
use crate::flows::interaction::Interaction;
use crate::output::safe;
use crate::password::{self, Chosen};
use crate::policy::Policy;
use crate::repo::Role;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use zeroize::Zeroizing;

/// What a run allows at the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    /// Whether roster may ask questions (terminal, and no `--no-input`).
    pub interactive: bool,
    /// `--yes`: every confirmation is answered yes.
    pub yes: bool,
    /// `--quiet`: no progress bars (warnings still show).
    pub quiet: bool,
}

impl Interaction for Terminal {
    fn can_ask(&self) -> bool {
        self.interactive
    }

    fn ask_password(&self, policy: &Policy, allow_weak: bool) -> Result<Chosen> {
        loop {
            // Checked before it is repeated: a weak one is refused at once.
            let secret = Zeroizing::new(hidden("Password")?);
            match policy.check(&secret) {
                Ok(()) => {}
                Err(_) if allow_weak && !secret.is_empty() => self.warn(password::WEAK_ACCEPTED),
                Err(e) => {
                    self.warn(&format!("{e}; try again"));
                    continue;
                }
            }
            let again = Zeroizing::new(hidden("Repeat password")?);
            if *again != *secret {
                self.warn("the passwords do not match; try again");
                continue;
            }
            return Ok(Chosen {
                secret,
                generated: false,
            });
        }
    }

    fn read_secret(&self, prompt: &str, what: &str) -> Result<String> {
        // At a terminal the secret is typed without echo, so it never shows on screen.
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            return hidden(prompt);
        }
        password::read_line(
            std::io::stdin().lock(),
            &format!("{what} from standard input"),
        )
    }

    fn pick_role(&self, roles: &[Role], default: usize) -> Result<usize> {
        let names: Vec<String> = roles.iter().map(role_label).collect();
        dialoguer::Select::new()
            .with_prompt("Role")
            .items(&names)
            .default(default)
            .interact_opt()
            .map_err(|_| Error::Interrupted)?
            .ok_or(Error::Interrupted)
    }

    fn confirm(&self, question: &str) -> Result<bool> {
        if self.yes {
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

    fn type_line(&self, prompt: &str) -> Result<String> {
        dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .allow_empty(true)
            .interact_text()
            .map_err(|_| Error::Interrupted)
    }

    fn warn(&self, msg: &str) {
        safe::to_stderr(msg);
    }

    fn progress(&self, len: u64, what: &'static str) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len);
        if let Ok(style) = ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} {eta}") {
            bar.set_style(style);
        }
        bar.set_message(what);
        bar
    }

    fn reading(&self, len: Option<u64>, what: &str) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let (bar, template) = match len {
            Some(n) => (
                ProgressBar::new(n),
                "{msg} {bar:30} {bytes}/{total_bytes} {eta}",
            ),
            None => (ProgressBar::new_spinner(), "{msg} {spinner} {bytes}"),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(format!("reading {}", safe::clean(what)));
        bar
    }
}

/// A secret typed once without echo.
pub fn hidden(prompt: &str) -> Result<String> {
    dialoguer::Password::new()
        .with_prompt(prompt)
        .allow_empty_password(true)
        .interact()
        .map_err(|_| Error::Interrupted)
}

/// A role as the picker lists it: administrators marked, so none is made by accident.
fn role_label(role: &Role) -> String {
    match role.admin_access {
        true => format!("{} (admin)", role.name),
        false => role.name.clone(),
    }
}
