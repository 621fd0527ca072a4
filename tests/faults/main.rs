//! What roster does when things go wrong: crashes mid-write, concurrent
//! writers, hostile input, and properties over generated input.
// Test bodies are plain functions that `each_db!` calls: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod crash;
mod hostile;
mod properties;
mod race;
mod races;
mod replaced;
mod stalled;
