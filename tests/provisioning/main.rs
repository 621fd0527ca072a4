//! Provisioning many users at once: `import`, `export` and `apply`, on every
//! configured database.
// Test bodies are plain functions that `each_db!` calls: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod import_export;
