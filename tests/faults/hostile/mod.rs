//! Hostile and careless input, and hostile data already stored: refused,
//! escaped or masked, never echoed, never a panic.

mod catalogue;
mod edges;
mod output;
mod servers;
