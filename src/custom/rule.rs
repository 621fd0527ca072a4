//! A custom field's validation rule (`directus_fields.validation`, a Directus
//! filter), checked against an item's values as Directus checks it on create
//! and update: `_and`/`_or` as its validatePayload walks them, each field rule
//! as its generateJoi builds a Joi schema of it (a field the item does not
//! carry passes, as Joi's optional keys do).

use serde_json::{Map, Value};

/// A rule roster cannot evaluate: an operator it does not know, a relational
/// rule, a rule of the wrong shape. Never a silent pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// The fields whose values the rule refuses (empty: the item passes).
pub fn failures(rule: &Value, item: &Map<String, Value>) -> Result<Vec<String>, Unsupported> {
    let Some((key, inner)) = only_entry(rule) else {
        return Ok(Vec::new());
    };
    match key.as_str() {
        "_and" => {
            let mut failed = Vec::new();
            for sub in list(inner, "_and")? {
                failed.extend(failures(sub, item)?);
            }
            Ok(failed)
        }
        "_or" => {
            let mut failed = Vec::new();
            for sub in list(inner, "_or")? {
                let these = failures(sub, item)?;
                if these.is_empty() {
                    return Ok(Vec::new());
                }
                failed.extend(these);
            }
            Ok(failed)
        }
        field => match field_passes(field, inner, item.get(field))? {
            true => Ok(Vec::new()),
            false => Ok(vec![field.to_string()]),
        },
    }
}

/// A rule level's one key and value (Directus reads only the first).
fn only_entry(rule: &Value) -> Option<(&String, &Value)> {
    rule.as_object().and_then(|m| m.iter().next())
}

fn list<'a>(v: &'a Value, op: &str) -> Result<&'a Vec<Value>, Unsupported> {
    v.as_array()
        .ok_or_else(|| Unsupported(format!("{op} does not hold a list of rules")))
}

/// Whether a field's value meets every `{operator: compare}` of its rule (several
/// operators on one field are an `_and`, as Directus's parseFilter makes them);
/// a value that is absent passes all but `_submitted`.
fn field_passes(field: &str, inner: &Value, value: Option<&Value>) -> Result<bool, Unsupported> {
    let ops = inner
        .as_object()
        .filter(|m| !m.is_empty())
        .ok_or_else(|| Unsupported(format!("the rule of {field} has no operator")))?;
    let mut passes = true;
    for (op, compare) in ops {
        if op == "_submitted" {
            passes &= value.is_some();
            continue;
        }
        let Some(value) = value else {
            continue;
        };
        if !op.starts_with('_') {
            return Err(Unsupported(format!(
                "the rule of {field} looks into a related item ({field}.{op}), which roster does not read"
            )));
        }
        if dynamic(compare) {
            return Err(Unsupported(format!(
                "the rule of {field} compares with {compare}, a value Directus works out when it checks, which roster does not"
            )));
        }
        passes &= operator(op, &parsed(op, compare), value).ok_or_else(|| {
            Unsupported(format!(
                "the rule of {field} uses {op}, which roster cannot check"
            ))
        })?;
    }
    Ok(passes)
}

/// Whether a compare value is one of Directus's dynamic variables ($NOW,
/// $CURRENT_USER, $CURRENT_ROLE, ...), inside a list too.
fn dynamic(compare: &Value) -> bool {
    match compare {
        Value::String(s) => s.starts_with('$'),
        Value::Array(items) => items.iter().any(dynamic),
        _ => false,
    }
}

/// The compare value as Directus's parseFilter leaves it: the texts `true`,
/// `false` and `null` as what they say, and a list operator's text split at commas.
fn parsed(op: &str, compare: &Value) -> Value {
    match (op, compare) {
        ("_in" | "_nin" | "_between" | "_nbetween", Value::String(s)) => {
            Value::Array(s.split(',').map(|p| Value::String(p.to_string())).collect())
        }
        (_, Value::String(s)) if s == "true" => Value::Bool(true),
        (_, Value::String(s)) if s == "false" => Value::Bool(false),
        (_, Value::String(s)) if s == "null" => Value::Null,
        _ => compare.clone(),
    }
}

/// One operator's verdict; `None` for an operator roster does not know.
fn operator(op: &str, compare: &Value, value: &Value) -> Option<bool> {
    let text = |f: fn(&str, &str) -> bool| text_rule(compare, value, f);
    Some(match op {
        "_eq" => equal(compare, value),
        "_neq" => !equal(compare, value),
        "_in" => compare
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x == value)),
        "_nin" => !compare
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x == value)),
        "_null" => value.is_null(),
        "_nnull" => !value.is_null(),
        "_empty" => value.as_str() == Some(""),
        "_nempty" => value.as_str() != Some(""),
        "_gt" | "_gte" | "_lt" | "_lte" => order(op, compare, value),
        "_between" | "_nbetween" => between(op == "_between", compare, value),
        "_contains" => contains(compare, value, |v, s| v.contains(s), true),
        "_icontains" => contains(compare, value, |v, s| lower(v).contains(&lower(s)), true),
        "_ncontains" => contains(compare, value, |v, s| !v.contains(s), false),
        "_starts_with" => text(|v, s| v.starts_with(s)),
        "_nstarts_with" => text(|v, s| !v.starts_with(s)),
        "_istarts_with" => text(|v, s| lower(v).starts_with(&lower(s))),
        "_nistarts_with" => text(|v, s| !lower(v).starts_with(&lower(s))),
        "_ends_with" => text(|v, s| v.ends_with(s)),
        "_nends_with" => text(|v, s| !v.ends_with(s)),
        "_iends_with" => text(|v, s| lower(v).ends_with(&lower(s))),
        "_niends_with" => text(|v, s| !lower(v).ends_with(&lower(s))),
        "_regex" => regex(compare, value)?,
        _ => return None,
    })
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Joi's `equal(compare, typecast)`: the value itself, or a number given as
/// text for a number (and the other way round), never true for "1".
fn equal(compare: &Value, value: &Value) -> bool {
    if compare == value {
        return true;
    }
    match (compare, value) {
        // 5 and 5.0 are one number in JavaScript.
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Number(n), Value::String(s)) => *s == n.to_string(),
        (Value::String(s), Value::Number(n)) => {
            !s.is_empty() && js_number(s).is_some_and(|c| Some(c) == n.as_f64())
        }
        _ => false,
    }
}

/// A text value under a rule of text (Joi.string(): a value that is not text,
/// or is empty, fails); a rule whose compare is not text accepts only `true`.
fn text_rule(compare: &Value, value: &Value, f: fn(&str, &str) -> bool) -> bool {
    match (compare.as_str(), value.as_str()) {
        (None, _) => *value == Value::Bool(true),
        (Some(c), Some(v)) if !v.is_empty() => f(v, c),
        _ => false,
    }
}

/// `_contains` and its kin: a text that contains the compare, or (for a list,
/// as a csv field holds) an item that does (`_ncontains`: none does).
fn contains(compare: &Value, value: &Value, f: fn(&str, &str) -> bool, any: bool) -> bool {
    let Some(c) = compare.as_str() else {
        return *value == Value::Bool(true);
    };
    match value {
        Value::String(v) => !v.is_empty() && f(v, c),
        Value::Array(items) => {
            let texts = items.iter().filter_map(Value::as_str);
            match any {
                true => texts.into_iter().any(|v| f(v, c)),
                false => texts.into_iter().all(|v| f(v, c)),
            }
        }
        _ => false,
    }
}

/// `_regex`: the value is text matching the ECMAScript pattern (slashes around it dropped).
fn regex(compare: &Value, value: &Value) -> Option<bool> {
    let Some(pattern) = compare.as_str() else {
        return Some(*value == Value::Bool(true));
    };
    let source = match pattern.len() > 1 && pattern.starts_with('/') && pattern.ends_with('/') {
        true => &pattern[1..pattern.len() - 1],
        false => pattern,
    };
    let re = regress::Regex::new(source).ok()?;
    Some(
        value
            .as_str()
            .is_some_and(|v| !v.is_empty() && re.find(v).is_some()),
    )
}

/// `_gt`, `_gte`, `_lt`, `_lte`: as numbers when the compare is one, else as dates.
fn order(op: &str, compare: &Value, value: &Value) -> bool {
    let pair = match as_number(compare) {
        Some(c) => as_number(value).map(|v| (v, c)),
        None => as_date(value).zip(as_date(compare)),
    };
    let Some((v, c)) = pair else {
        return false;
    };
    match op {
        "_gt" => v > c,
        "_gte" => v >= c,
        "_lt" => v < c,
        _ => v <= c,
    }
}

/// `_between [a, b]`: a ≤ value ≤ b, as numbers when both bounds are, else as
/// dates. `_nbetween` is what Directus builds: below a and above b at once.
fn between(inside: bool, compare: &Value, value: &Value) -> bool {
    let Some([a, b]) = compare
        .as_array()
        .and_then(|c| <&[Value; 2]>::try_from(c.as_slice()).ok())
    else {
        return false;
    };
    let numbers = as_number(a).zip(as_number(b));
    let bounds = numbers.or_else(|| as_date(a).zip(as_date(b)));
    let v = match numbers.is_some() {
        true => as_number(value),
        false => as_date(value),
    };
    match (bounds, v) {
        (Some((a, b)), Some(v)) if inside => a <= v && v <= b,
        (Some((a, b)), Some(v)) => v < a && v > b,
        _ => false,
    }
}

/// A number as Joi.number() takes one: a number, or text that is one.
fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => js_number(s),
        _ => None,
    }
}

/// JavaScript's Number() of a text, for the forms a value takes here.
fn js_number(s: &str) -> Option<f64> {
    let t = s.trim();
    (!t.is_empty())
        .then(|| t.parse::<f64>().ok())
        .flatten()
        .filter(|n| n.is_finite())
}

/// An instant (epoch ms) as Joi.date() takes one: a number of ms, or an ISO
/// 8601 date or date and time.
fn as_date(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => crate::profile::millis(s)
            .or_else(|| crate::profile::millis(&format!("{s}T00:00:00Z")))
            .map(|ms| ms as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(rule: Value, item: Value) -> Result<Vec<String>, Unsupported> {
        failures(&rule, item.as_object().unwrap())
    }

    fn passes(rule: Value, item: Value) -> bool {
        check(rule, item).unwrap().is_empty()
    }

    #[test]
    fn every_operator_as_directus_builds_it() {
        let cases = [
            (json!({"n": {"_eq": 5}}), json!({"n": "5"}), true),
            (json!({"n": {"_eq": "5"}}), json!({"n": 5}), true),
            (json!({"n": {"_eq": true}}), json!({"n": "true"}), false),
            (json!({"n": {"_neq": 5}}), json!({"n": 6}), true),
            (json!({"d": {"_in": ["a", "b"]}}), json!({"d": "b"}), true),
            (json!({"d": {"_in": ["a", "b"]}}), json!({"d": "c"}), false),
            (json!({"d": {"_nin": ["a"]}}), json!({"d": "a"}), false),
            (json!({"n": {"_lt": 10}}), json!({"n": 9}), true),
            (json!({"n": {"_lte": 10}}), json!({"n": 10}), true),
            (json!({"n": {"_gt": 10}}), json!({"n": 10}), false),
            (json!({"n": {"_gte": "10"}}), json!({"n": "10"}), true),
            (
                json!({"d": {"_gt": "2024-01-01"}}),
                json!({"d": "2024-03-01"}),
                true,
            ),
            (json!({"h": {"_between": [0, 60]}}), json!({"h": 61}), false),
            (json!({"h": {"_between": [0, 60]}}), json!({"h": 38}), true),
            (
                json!({"h": {"_nbetween": [0, 60]}}),
                json!({"h": 61}),
                false,
            ),
            (
                json!({"s": {"_contains": "ust"}}),
                json!({"s": ["rust", "sql"]}),
                true,
            ),
            (
                json!({"s": {"_contains": "x"}}),
                json!({"s": "rust"}),
                false,
            ),
            (
                json!({"s": {"_ncontains": "x"}}),
                json!({"s": ["rust", "sql"]}),
                true,
            ),
            (
                json!({"s": {"_starts_with": "EN"}}),
                json!({"s": "ENG-1"}),
                true,
            ),
            (
                json!({"s": {"_ends_with": "-1"}}),
                json!({"s": "ENG-1"}),
                true,
            ),
            (json!({"s": {"_starts_with": "E"}}), json!({"s": 5}), false),
            (
                json!({"b": {"_regex": "^[A-Z]{3}-\\d{4}$"}}),
                json!({"b": "ENG-1001"}),
                true,
            ),
            (
                json!({"b": {"_regex": "/^[A-Z]{3}$/"}}),
                json!({"b": "ENGX"}),
                false,
            ),
            (json!({"b": {"_regex": "^x"}}), json!({"b": null}), false),
            (json!({"v": {"_null": true}}), json!({"v": null}), true),
            (json!({"v": {"_nnull": true}}), json!({"v": null}), false),
            (json!({"v": {"_empty": true}}), json!({"v": ""}), true),
            (json!({"v": {"_nempty": true}}), json!({"v": ""}), false),
            (json!({"v": {"_nempty": true}}), json!({"v": null}), true),
            (json!({"d": {"_in": "a,b"}}), json!({"d": "b"}), true),
            (json!({"v": {"_eq": "null"}}), json!({"v": null}), true),
            (json!({"h": {"_between": "0,60"}}), json!({"h": 60}), true),
        ];
        for (rule, item, want) in cases {
            assert_eq!(passes(rule.clone(), item.clone()), want, "{rule} on {item}");
        }
    }

    #[test]
    fn and_or_and_absent_fields() {
        let rule = json!({"_and": [{"h": {"_gte": 0}}, {"h": {"_lte": 60}}]});
        assert_eq!(check(rule.clone(), json!({"h": 70})).unwrap(), ["h"]);
        assert!(
            passes(rule, json!({"other": 1})),
            "a field not given passes"
        );
        let either = json!({"_or": [{"d": {"_eq": "a"}}, {"d": {"_eq": "b"}}]});
        assert!(passes(either.clone(), json!({"d": "b"})));
        assert!(!passes(either, json!({"d": "c"})));
        assert!(!passes(json!({"d": {"_submitted": true}}), json!({})));
    }

    #[test]
    fn several_operators_on_a_field_are_all_checked_and_numbers_compare_as_numbers() {
        let rule = json!({"h": {"_gte": 0, "_lte": 60}});
        assert!(!passes(rule.clone(), json!({"h": 70})));
        assert!(passes(rule, json!({"h": 30})));
        assert!(passes(json!({"p": {"_eq": 5}}), json!({"p": 5.0})));
        // A rule on a field the values do not carry passes, relational or not.
        assert!(passes(
            json!({"team": {"name": {"_eq": "x"}}}),
            json!({"other": 1})
        ));
        let now = check(
            json!({"b": {"_lt": "$NOW(-18 years)"}}),
            json!({"b": "2000-01-01"}),
        );
        assert!(now.is_err(), "{now:?}");
    }

    #[test]
    fn what_roster_cannot_check_is_said_never_passed() {
        let unknown = check(json!({"g": {"_intersects_bbox": {}}}), json!({"g": 1}));
        assert_eq!(
            unknown,
            Err(Unsupported(
                "the rule of g uses _intersects_bbox, which roster cannot check".into()
            ))
        );
        assert!(check(json!({"team": {"name": {"_eq": "x"}}}), json!({"team": 1})).is_err());
    }
}
