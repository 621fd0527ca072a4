//! Text from the database or the command line made safe for a terminal: control
//! characters (escape sequences, carriage returns, a newline that would forge an
//! `error:` line) are shown escaped, never sent as they are.

/// `s` with every control character shown as an escape (`\e`, `\n`, `\u{9b}`...).
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().map(escaped).collect())
}

fn escaped(c: char) -> String {
    match c {
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\u{1b}' => "\\e".into(),
        c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
        c => c.to_string(),
    }
}

/// A message of several lines (a sentence, then `hint:` lines roster wrote):
/// each line cleaned, and a line break that does not start a hint escaped too,
/// so text from the input can never start a line of its own.
pub fn message(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str(if line.starts_with("hint: ") || line.starts_with("  ") {
                "\n"
            } else {
                "\\n"
            });
        }
        out.push_str(&clean(&shortened(line)));
    }
    out
}

/// Text shown as exactly one line: every line break in it escaped, whatever
/// follows it (an error's message, one hint, one cause: each comes apart).
pub fn one_line(text: &str) -> String {
    clean(&shortened(text)).into_owned()
}

/// The longest line of a message: an input of kilobytes is not echoed whole.
const MAX_LINE: usize = 400;

fn shortened(line: &str) -> std::borrow::Cow<'_, str> {
    let n = line.chars().count();
    if n <= MAX_LINE {
        return std::borrow::Cow::Borrowed(line);
    }
    let head: String = line.chars().take(MAX_LINE).collect();
    std::borrow::Cow::Owned(format!("{head}… ({n} characters in all)"))
}

/// Writes a line to stderr; a closed stderr is ignored, never a panic.
pub fn to_stderr(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_forged_lines_are_shown_not_obeyed() {
        assert_eq!(clean("Ann"), "Ann");
        assert_eq!(
            clean("\u{1b}]0;PWNED\u{7}\u{1b}[2J"),
            "\\e]0;PWNED\\u{7}\\e[2J"
        );
        assert_eq!(message("no user x\nerror: fake"), "no user x\\nerror: fake");
        assert_eq!(message("bad\nhint: do this"), "bad\nhint: do this");
        assert_eq!(clean("\u{9b}31m"), "\\u{9b}31m");
        let long = message(&"x".repeat(10_000));
        assert!(long.ends_with("… (10000 characters in all)") && long.len() < 500);
    }
}
