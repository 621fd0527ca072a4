//! The one channel through which a flow asks the operator something or warns
//! them: the command layer implements it, so flows themselves never print or prompt.

use crate::error::Result;
use crate::password::Chosen;
use crate::policy::Policy;
use crate::repo::Role;
use indicatif::ProgressBar;

/// Questions, warnings and progress a flow needs from whoever runs it.
pub trait Interaction {
    /// Whether questions can be asked at all (a terminal, and no `--no-input`).
    fn can_ask(&self) -> bool;
    /// Asks for a new password until one meets `policy` (or `allow_weak` lets it pass).
    fn ask_password(&self, policy: &Policy, allow_weak: bool) -> Result<Chosen>;
    /// The first line of standard input, typed hidden after `prompt` at a terminal;
    /// `what` names it in an error.
    fn read_secret(&self, prompt: &str, what: &str) -> Result<String>;
    /// Asks which of `roles` a new user gets, opening on `default`; its index.
    fn pick_role(&self, roles: &[Role], default: usize) -> Result<usize>;
    /// Asks a yes/no question; where nobody can answer, the answer is `--yes`.
    fn confirm(&self, question: &str) -> Result<bool>;
    /// Asks for a line of text typed after `prompt` (only where one can be asked).
    fn type_line(&self, prompt: &str) -> Result<String>;
    /// A warning the operator sees even under `--quiet`.
    fn warn(&self, msg: &str);
    /// A progress bar of `len` steps, hidden where nobody watches it.
    fn progress(&self, len: u64, what: &'static str) -> ProgressBar;
    /// A progress bar of bytes read, of `len` bytes when the size is known (a
    /// file) and counting up otherwise (standard input), hidden like [`Interaction::progress`].
    fn reading(&self, len: Option<u64>, what: &str) -> ProgressBar;
}
