//! Custom user fields (the seed's "System vs. Custom"): the columns a project
//! added to `directus_users`, typed by the column and by what Directus keeps of
//! them in `directus_fields` and `directus_relations`.

mod checks;
mod names;
pub mod rule;
pub mod value;

pub use checks::{required_given, rules_pass};
pub use names::{left_alone, plain_name};

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
