//! roster's commands as an operator or a script runs them: each command's
//! behaviour, messages, exit codes and refusals, on every configured database;
//! its `--help`, listings, completions, man pages and examples.
// Test bodies are plain functions that `each_db!` calls: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod completion;
mod config;
mod custom_fields;
mod edit;
mod errors;
mod examples;
mod formats;
mod generated;
mod help;
mod invite_link;
mod lifecycle;
mod list_snapshots;
mod messages;
mod operator;
mod parity;
mod projects;
mod secrets;
mod smoke;
mod terminal;
mod two_fa;
