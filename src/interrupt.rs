//! Ctrl-C at a prompt: the terminal is given back as it was (echo on, cursor
//! shown), `error: interrupted` is said, and roster exits 130. Nothing is
//! written: an open transaction dies with the process and the database rolls it back.

use std::sync::OnceLock;

/// The terminal's settings when roster started, if stdin is a terminal.
static SAVED: OnceLock<libc::termios> = OnceLock::new();

/// Remembers the terminal's settings and installs the Ctrl-C handler.
pub fn install() {
    // SAFETY: tcgetattr only writes into the zeroed struct we own.
    let mut term: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut term) } == 0 {
        let _ = SAVED.set(term);
    }
    // A second install (tests calling main twice) keeps the first handler.
    let _ = ctrlc::set_handler(on_interrupt);
}

/// Gives the terminal back as roster found it: echo on, cursor shown.
pub fn restore_terminal() {
    if let Some(term) = SAVED.get() {
        // SAFETY: restores settings read from this very terminal at start-up.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, term) };
    }
    // Show the cursor a picker may have hidden, and end the prompt's line.
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        crate::output::safe::to_stderr("\u{1b}[?25h");
    }
}

fn on_interrupt() {
    restore_terminal();
    crate::output::safe::to_stderr("error: interrupted");
    std::process::exit(130);
}
