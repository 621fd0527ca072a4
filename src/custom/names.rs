//! Which custom columns roster can name in SQL as they are.

/// Whether a column's name can stand in SQL as it is on every database:
/// lower-case letters, digits and underscores, and no word SQL reserves.
/// Roster writes its statements with bare names, as Directus's own columns
/// allow; a custom column named otherwise (`phoneNumber`, `order`) is left
/// alone, and doctor says so.
pub fn plain_name(name: &str) -> bool {
    const RESERVED: [&str; 40] = [
        "all",
        "and",
        "any",
        "as",
        "asc",
        "between",
        "by",
        "case",
        "check",
        "column",
        "constraint",
        "create",
        "default",
        "desc",
        "distinct",
        "drop",
        "else",
        "end",
        "from",
        "group",
        "having",
        "in",
        "index",
        "is",
        "join",
        "key",
        "like",
        "limit",
        "not",
        "null",
        "offset",
        "on",
        "or",
        "order",
        "references",
        "select",
        "table",
        "to",
        "user",
        "where",
    ];
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name)
}

/// The columns of directus_users no field covers and roster leaves alone.
pub fn left_alone(columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .filter(|c| !crate::fields::known_column(c) && !plain_name(c))
        .cloned()
        .collect()
}
