//! roster on the databases it meets in production: real Directus 10 and 11
//! databases, MySQL/MariaDB and PostgreSQL servers as they are run (TLS,
//! read-only standbys, poolers, a server that goes away).
// Test bodies are plain functions that `each_db!` calls: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod directus;
mod mysql;
mod mysql_locks;
mod postgres_dropped;
mod postgres_failures;
mod postgres_production;
mod postgres_tls;
