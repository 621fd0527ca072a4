//! Where an error's message says it happened (a file's line or row, a user's
//! field), read back out of the message for the keys of the JSON error.

use crate::fields::all;

/// The place a message names: `line 3: …` (CSV, JSON Lines), `users[2]: …`
/// (JSON, TOML), and the field it is about.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Located {
    pub line: Option<u64>,
    pub row: Option<u64>,
    pub field: Option<String>,
}

/// Reads the place out of a message roster wrote (the row first, then the
/// field the rest of the sentence opens with).
pub fn located(message: &str) -> Located {
    let mut at = Located::default();
    let mut rest = message;
    if let Some((n, after)) = number_between(rest, "line ", &[':', ',']) {
        at.line = Some(n);
        rest = after;
    } else if let Some((n, after)) = number_between(rest, "users[", &[']']) {
        at.row = Some(n);
        rest = after;
    }
    let rest = rest.trim_start_matches([':', ']', ' ']);
    at.field = field_of(rest);
    at
}

/// The number after `prefix` at the start of `text`, up to one of `ends`.
fn number_between<'a>(text: &'a str, prefix: &str, ends: &[char]) -> Option<(u64, &'a str)> {
    let after = text.strip_prefix(prefix)?;
    let end = after.find(ends)?;
    let n = after[..end].parse().ok()?;
    Some((n, &after[end..]))
}

/// The field a sentence is about: one it opens with (by label or name), a
/// quoted unknown one, or the email or role a sentence of their own names.
fn field_of(sentence: &str) -> Option<String> {
    if let Some(quoted) = sentence.strip_prefix("unknown field \"") {
        return quoted.split('"').next().map(str::to_string);
    }
    for (opening, field) in [("invalid email", "email"), ("no role", "role")] {
        if sentence.starts_with(opening) {
            return Some(field.to_string());
        }
    }
    all()
        .iter()
        .find(|f| {
            [f.label, f.name]
                .iter()
                .any(|n| sentence.starts_with(&format!("{n} ")))
        })
        .map(|f| f.name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: Option<u64>, row: Option<u64>, field: Option<&str>) -> Located {
        Located {
            line,
            row,
            field: field.map(str::to_string),
        }
    }

    #[test]
    fn lines_rows_and_fields_come_out_of_the_sentence() {
        let cases = [
            (
                "line 2: first name is longer than 50 characters",
                at(Some(2), None, Some("first_name")),
            ),
            ("line 7, column 3: unclosed quote", at(Some(7), None, None)),
            (
                "users[0]: invalid email \"zz\": it needs exactly one @",
                at(None, Some(0), Some("email")),
            ),
            (
                "line 2: unknown field \"bogus\" (known: id)",
                at(Some(2), None, Some("bogus")),
            ),
            ("line 4: no role \"Nope\"", at(Some(4), None, Some("role"))),
            (
                "timezone \"Mars/x\" is not an IANA zone name",
                at(None, None, Some("timezone")),
            ),
            ("no user ann@example.com", at(None, None, None)),
        ];
        for (message, want) in cases {
            assert_eq!(located(message), want, "{message}");
        }
    }
}
