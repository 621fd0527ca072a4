//! Finding the custom fields of `directus_users`: every column that is not one
//! of the fields roster knows, with its type, what `directus_fields` keeps of
//! it and the collection a many-to-one points into.

use super::db::{ColumnType, Db, Row, Value};
use crate::custom::{CustomField, Meta, Type};
use crate::error::Result;
use std::collections::HashMap;

/// The custom fields, in the table's column order, and the names of the
/// columns roster leaves alone (see [`plain_name`]).
pub fn discover(db: &mut dyn Db) -> Result<Vec<CustomField>> {
    let columns: Vec<ColumnType> = db
        .column_types("directus_users")?
        .into_iter()
        .filter(|c| !crate::fields::known_column(&c.name) && crate::custom::plain_name(&c.name))
        .collect();
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let tables = db.table_columns(&["directus_fields", "directus_relations"])?;
    let metas = match tables.get("directus_fields") {
        Some(cols) => metas(db, cols)?,
        None => HashMap::new(),
    };
    let related = match tables.contains_key("directus_relations") {
        true => relations(db)?,
        false => HashMap::new(),
    };
    Ok(columns
        .into_iter()
        .map(|c| field(c, &metas, &related))
        .collect())
}

fn field(
    c: ColumnType,
    metas: &HashMap<String, Meta>,
    related: &HashMap<String, String>,
) -> CustomField {
    let meta = metas.get(&c.name).cloned().unwrap_or_default();
    CustomField {
        kind: Type::of(&c.sql_type, &meta.special),
        choices: meta.choices(),
        related: related.get(&c.name).cloned(),
        column_type: c.sql_type,
        max_length: c.max_length,
        nullable: c.nullable,
        has_default: c.has_default,
        special: meta.special,
        interface: meta.interface,
        required: meta.required,
        readonly: meta.readonly,
        validation: meta.validation,
        validation_message: meta.validation_message,
        name: c.name,
    }
}

/// What `directus_fields` says of each field of `directus_users`, from the
/// columns it has (`required` and `validation` came during Directus 9).
fn metas(db: &mut dyn Db, have: &[String]) -> Result<HashMap<String, Meta>> {
    let wanted = [
        "special",
        "interface",
        "options",
        "required",
        "readonly",
        "validation",
        "validation_message",
    ];
    let select: Vec<String> = wanted
        .iter()
        .map(|c| match have.iter().any(|h| h == c) {
            true => format!("\"{c}\""),
            false => "NULL".to_string(),
        })
        .collect();
    let sql = format!(
        "SELECT field, {} FROM directus_fields WHERE collection = ?",
        select.join(", ")
    );
    let rows = db.query(&sql, &[Value::from("directus_users")])?;
    Ok(rows.iter().map(|r| (r.string(0), meta(r))).collect())
}

fn meta(r: &Row) -> Meta {
    let json = |i: usize| r.text(i).and_then(|t| serde_json::from_str(&t).ok());
    let special = r.text(1).unwrap_or_default();
    Meta {
        special: special
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        interface: r.text(2),
        options: json(3),
        required: r.flag(4).unwrap_or(false),
        readonly: r.flag(5).unwrap_or(false),
        validation: json(6).filter(|v: &serde_json::Value| !v.is_null()),
        validation_message: r.text(7),
    }
}

/// The many-to-one fields of `directus_users` and the collections they point into.
fn relations(db: &mut dyn Db) -> Result<HashMap<String, String>> {
    let rows = db.query(
        "SELECT many_field, one_collection FROM directus_relations \
         WHERE many_collection = ? AND one_collection IS NOT NULL",
        &[Value::from("directus_users")],
    )?;
    Ok(rows.iter().map(|r| (r.string(0), r.string(1))).collect())
}

/// Refuses (exit 3) a many-to-one value that names no item of its collection,
/// as Directus's foreign key (or, on a database without one, its app) would.
/// `place` opens the message ("line 3: "), empty for a command.
pub fn refuse_missing_related(
    db: &mut dyn Db,
    p: &crate::profile::Profile,
    place: &str,
) -> Result<()> {
    // Most databases relate no user field to anything: then no row need be looked at.
    if !crate::fields::customs().iter().any(|c| c.related.is_some()) {
        return Ok(());
    }
    for (field, value) in p.given() {
        let (Some(crate::fields::Rule::Custom(i)), Some(value)) = (field.rule(), value) else {
            continue;
        };
        let Some(collection) = &crate::fields::custom(i).related else {
            continue;
        };
        if !related_exists(db, collection, value)? {
            return Err(crate::error::Error::not_found(format!(
                "{place}{}: no item {value} in {collection}",
                field.name
            )));
        }
    }
    Ok(())
}

/// Whether a collection holds an item with this key (its `id`, else its first
/// column); answers are kept for the run, so an import asks once per value.
fn related_exists(db: &mut dyn Db, collection: &str, key: &str) -> Result<bool> {
    use std::sync::Mutex;
    static SEEN: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let pair = (collection.to_string(), key.to_string());
    if SEEN.lock().is_ok_and(|s| s.contains(&pair)) {
        return Ok(true);
    }
    // The name comes from directus_relations, never from input; quoted all the same.
    if collection.contains('"') {
        return Ok(false);
    }
    let columns = db.columns(collection)?;
    let Some(pk) = columns.iter().find(|c| *c == "id").or(columns.first()) else {
        return Ok(false);
    };
    let sql = format!("SELECT count(*) FROM \"{collection}\" WHERE \"{pk}\" = ?");
    let found = db.query_int(&sql, &[Value::from(key)])? > 0;
    if found && let Ok(mut seen) = SEEN.lock() {
        seen.push(pair);
    }
    Ok(found)
}
