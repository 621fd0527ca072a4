//! The checks a whole set of values passes: required custom fields, and the
//! project's validation rules over all the values given.

use serde_json::Value;

/// Refuses (exit 5) a new user without a value for a custom field the project
/// marks required, unless its column has a default (as the Directus app asks).
pub fn required_given(p: &crate::profile::Profile) -> crate::error::Result<()> {
    let missing: Vec<&str> = crate::fields::customs()
        .iter()
        // Directus asks for a NOT NULL column without a default too.
        .filter(|c| (c.required || !c.nullable) && !c.has_default)
        .filter(|c| p.get(&c.name).is_none_or(str::is_empty))
        .map(|c| c.name.as_str())
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
    let customs = crate::fields::customs();
    if customs.iter().all(|c| c.validation.is_none()) {
        return Ok(());
    }
    let payload: serde_json::Map<String, Value> = customs
        .iter()
        .filter_map(|c| {
            let kept = p.get(&c.name)?;
            let v = match kept.is_empty() {
                true => Value::Null,
                false => super::value::typed(c, kept),
            };
            Some((c.name.clone(), v))
        })
        .collect();
    for c in customs {
        let Some(rule) = &c.validation else { continue };
        let failed = super::rule::failures(rule, &payload)
            .map_err(|super::rule::Unsupported(why)| crate::error::Error::validation(why))?;
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
