//! Rows as tab-separated text with backslash escapes, the format PostgreSQL's
//! `COPY … FROM STDIN` and MySQL's `LOAD DATA` read by default: tab between
//! fields, a newline after each row, `\N` for NULL.

use super::db::Value;

/// Rows of `width` values; `text` spells what is not already text (`None`: NULL).
pub fn rows(values: &[Value], width: usize, text: impl Fn(&Value) -> Option<String>) -> String {
    let mut out = String::with_capacity(values.len() * 24);
    for row in values.chunks(width.max(1)) {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            match v {
                Value::Null => out.push_str("\\N"),
                Value::Text(t) => push_escaped(&mut out, t),
                other => match text(other) {
                    Some(t) => push_escaped(&mut out, &t),
                    None => out.push_str("\\N"),
                },
            }
        }
        out.push('\n');
    }
    out
}

/// Text with what would end a field or a row escaped; most values need nothing,
/// so they are copied whole.
fn push_escaped(out: &mut String, text: &str) {
    if !text
        .bytes()
        .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}
