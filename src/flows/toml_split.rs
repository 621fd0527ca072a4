//! Parsing a large apply file on every core. toml's parser builds the whole
//! document on one core (a third of a re-run's time at 100,000 users); an
//! apply file is mostly `[[users]]` tables, so it is cut before such headers
//! and the pieces are parsed at once, their arrays joined in order. Only a file
//! the cut cannot change the meaning of is cut: no multi-line strings, no
//! `users = …` key; anything else, and any piece that fails, goes to the one
//! parse of the whole text, whose errors name the real lines.

use rayon::prelude::*;

/// Below this size one parse is as fast.
const MIN_CUT: usize = 1 << 20;

/// The document, parsed in pieces where that is sure to mean the same; `None`
/// when the text must be parsed whole.
pub fn parse(text: &str) -> Option<toml::Table> {
    if text.len() < MIN_CUT || !cuttable(text) {
        return None;
    }
    let pieces = cut(text, rayon::current_num_threads().max(2) * 4);
    let tables: Vec<Option<toml::Table>> = pieces.par_iter().map(|p| p.parse().ok()).collect();
    let mut doc = toml::Table::new();
    for table in tables {
        for (key, value) in table? {
            let toml::Value::Array(items) = value else {
                return None;
            };
            match doc
                .entry(key)
                .or_insert_with(|| toml::Value::Array(Vec::new()))
            {
                toml::Value::Array(all) => all.extend(items),
                _ => return None,
            }
        }
    }
    Some(doc)
}

/// Whether cutting before a `[[users]]` line keeps every piece's meaning: no
/// multi-line string could hold such a line, and no top-level key (the lines
/// before the first header) named `users` could clash with the tables.
fn cuttable(text: &str) -> bool {
    let top = text
        .lines()
        .take_while(|l| !l.trim_start().starts_with('['));
    let mut top = top.map(str::trim_start);
    !text.contains("\"\"\"")
        && !text.contains("'''")
        && !top.any(|l| l.starts_with("users") || l.starts_with("\"users"))
}

/// The text in about `n` pieces, each cut just before a line `[[users]]`.
fn cut(text: &str, n: usize) -> Vec<&str> {
    let step = (text.len() / n).max(1);
    let mut pieces = Vec::with_capacity(n + 1);
    let mut start = 0;
    while start < text.len() {
        let from = (start + step).min(text.len());
        let next = text[from..]
            .find("\n[[users]]")
            .map_or(text.len(), |i| from + i + 1);
        pieces.push(&text[start..next]);
        start = next;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(n: usize) -> String {
        let mut text = String::from("[[roles]]\nname = \"Editor\"\n\n");
        for i in 0..n {
            text.push_str(&format!(
                "[[users]]\nemail = \"u{i}@example.com\"\nrole = \"Editor\"\ntitle = \"a [[users]] b\"\n\n"
            ));
        }
        text
    }

    #[test]
    fn pieces_parse_to_the_whole_document() {
        let text = users(40_000);
        assert!(text.len() > MIN_CUT);
        let whole: toml::Table = text.parse().unwrap();
        assert_eq!(parse(&text), Some(whole));
    }

    #[test]
    fn what_a_cut_could_change_is_parsed_whole() {
        let text = users(40_000);
        assert_eq!(
            parse(&format!("{text}[[users]]\nemail = \"\"\"x\"\"\"\n")),
            None
        );
        assert_eq!(parse(&format!("users = 1\n{text}")), None);
        assert_eq!(parse("[[users]]\nemail = \"a@example.com\"\n"), None);
    }
}
