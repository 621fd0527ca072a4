//! Custom user fields (the seed's "System vs. Custom"): the columns a project
//! added to `directus_users`, typed by the column and by what Directus keeps of
//! them in `directus_fields` and `directus_relations`.

pub mod rule;
pub mod value;

use serde::Serialize;
use serde_json::Value;

/// A custom field of `directus_users`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomField {
    pub name: String,
    /// The kind of value it holds.
    #[serde(rename = "type")]
    pub kind: Type,
    /// The column's type as the database spells it.
    pub column_type: String,
    /// The most characters it holds (text).
    pub max_length: Option<u64>,
    pub nullable: bool,
    pub has_default: bool,
    /// Directus's `special` casts (`cast-json`, `cast-csv`, `m2o`, ...).
    pub special: Vec<String>,
    pub interface: Option<String>,
    /// A dropdown's values (`options.choices[].value`), when it has them.
    pub choices: Option<Vec<Value>>,
    pub required: bool,
    pub readonly: bool,
    /// Directus's validation rule (a filter), and the message the app shows.
    pub validation: Option<Value>,
    pub validation_message: Option<String>,
    /// The collection a many-to-one field points into.
    pub related: Option<String>,
}

/// The kind of value a custom field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    Text,
    Integer,
    Decimal,
    Boolean,
    Date,
    Datetime,
    Time,
    Uuid,
    Json,
    /// Directus's `cast-csv`: a list stored as comma-joined text.
    Csv,
}

impl Type {
    /// The kind of a column, as its database type and Directus's casts say.
    pub fn of(sql_type: &str, special: &[String]) -> Type {
        let has = |s: &str| special.iter().any(|x| x == s);
        let base = sql_type.split('(').next().unwrap_or(sql_type).trim();
        match () {
            _ if has("cast-csv") => Type::Csv,
            _ if has("cast-json") || base == "json" || base == "jsonb" => Type::Json,
            _ if has("cast-boolean") || base == "boolean" || sql_type == "tinyint(1)" => {
                Type::Boolean
            }
            _ if base.contains("int") => Type::Integer,
            _ if [
                "numeric",
                "decimal",
                "real",
                "float",
                "double",
                "double precision",
            ]
            .contains(&base) =>
            {
                Type::Decimal
            }
            _ if base == "date" => Type::Date,
            _ if base.starts_with("timestamp") || base == "datetime" => Type::Datetime,
            _ if base.starts_with("time") => Type::Time,
            _ if base == "uuid" => Type::Uuid,
            _ => Type::Text,
        }
    }
}

impl CustomField {
    /// What the field is, in a few words: its type and what constrains it.
    pub fn summary(&self) -> String {
        let mut said = vec![
            serde_json::to_value(self.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        ];
        if let Some(n) = self.max_length {
            said[0].push_str(&format!(" (at most {n})"));
        }
        if self.required {
            said.push("required".into());
        }
        if let Some(choices) = &self.choices {
            let shown: Vec<String> = choices.iter().map(crate::output::value_text).collect();
            said.push(format!("one of {}", shown.join(", ")));
        }
        if self.validation.is_some() {
            said.push("a validation rule".into());
        }
        if let Some(to) = &self.related {
            said.push(format!("an item of {to}"));
        }
        said.join(", ")
    }
}

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
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    first_ok
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

/// Refuses (exit 5) a new user without a value for a custom field the project
/// marks required, unless its column has a default (as the Directus app asks).
pub fn required_given(p: &crate::profile::Profile) -> crate::error::Result<()> {
    let missing: Vec<&str> = crate::fields::all()
        .iter()
        .filter(|f| match f.rule() {
            Some(crate::fields::Rule::Custom(i)) => {
                // Directus asks for a NOT NULL column without a default too.
                let c = crate::fields::custom(i);
                (c.required || !c.nullable) && !c.has_default
            }
            _ => false,
        })
        .filter(|f| p.get(f.name).is_none_or(str::is_empty))
        .map(|f| f.name)
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        names => Err(crate::error::Error::validation(format!(
            "{} required for a new user (the project marks {} so)",
            crate::output::listed(names, "and"),
            if names.len() == 1 { "it" } else { "them" }
        ))),
    }
}

/// Refuses (exit 5) values the custom fields' validation rules refuse, checked
/// as Directus checks a payload: every rule against the values given, a field
/// not given passing. The refusal says the field's validation message.
pub fn rules_pass(p: &crate::profile::Profile) -> crate::error::Result<()> {
    let customs: Vec<&'static CustomField> = crate::fields::all()
        .iter()
        .filter_map(|f| match f.rule() {
            Some(crate::fields::Rule::Custom(i)) => Some(crate::fields::custom(i)),
            _ => None,
        })
        .collect();
    if customs.iter().all(|c| c.validation.is_none()) {
        return Ok(());
    }
    let payload: serde_json::Map<String, Value> = customs
        .iter()
        .filter_map(|c| {
            let kept = p.get(&c.name)?;
            let v = match kept.is_empty() {
                true => Value::Null,
                false => value::typed(c, kept),
            };
            Some((c.name.clone(), v))
        })
        .collect();
    for c in &customs {
        let Some(rule) = &c.validation else { continue };
        let failed = rule::failures(rule, &payload)
            .map_err(|rule::Unsupported(why)| crate::error::Error::validation(why))?;
        if !failed.is_empty() {
            let why = c
                .validation_message
                .clone()
                .unwrap_or_else(|| "the value does not meet its validation rule".into());
            return Err(crate::error::Error::validation(format!(
                "{}: {why}",
                c.name
            )));
        }
    }
    Ok(())
}

/// What `directus_fields` says of a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub special: Vec<String>,
    pub interface: Option<String>,
    pub options: Option<Value>,
    pub required: bool,
    pub readonly: bool,
    pub validation: Option<Value>,
    pub validation_message: Option<String>,
}

impl Meta {
    /// A dropdown's values: `options.choices`, each `{text, value}` or a bare value.
    pub fn choices(&self) -> Option<Vec<Value>> {
        let options = self.options.as_ref()?;
        // A dropdown that allows other values limits nothing.
        if options.get("allowOther") == Some(&Value::Bool(true)) {
            return None;
        }
        let choices = options.get("choices")?.as_array()?;
        let values = choices
            .iter()
            .map(|c| c.get("value").cloned().unwrap_or_else(|| c.clone()));
        Some(values.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_column_and_directus_casts() {
        let none: Vec<String> = Vec::new();
        let cast = |s: &str| vec![s.to_string()];
        assert_eq!(Type::of("varchar(40)", &none), Type::Text);
        assert_eq!(Type::of("character varying", &none), Type::Text);
        assert_eq!(Type::of("integer", &none), Type::Integer);
        assert_eq!(Type::of("int(11)", &none), Type::Integer);
        assert_eq!(Type::of("tinyint(1)", &none), Type::Boolean);
        assert_eq!(Type::of("boolean", &cast("cast-boolean")), Type::Boolean);
        assert_eq!(Type::of("text", &cast("cast-csv")), Type::Csv);
        assert_eq!(Type::of("json", &none), Type::Json);
        assert_eq!(Type::of("longtext", &cast("cast-json")), Type::Json);
        assert_eq!(Type::of("date", &none), Type::Date);
        assert_eq!(Type::of("timestamp with time zone", &none), Type::Datetime);
        assert_eq!(Type::of("datetime", &none), Type::Datetime);
        assert_eq!(Type::of("numeric", &none), Type::Decimal);
        assert_eq!(Type::of("uuid", &none), Type::Uuid);
    }
}
