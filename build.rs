//! Links roster as a position-dependent executable on Linux with glibc.
//!
//! A position-independent executable (the default) makes the dynamic loader apply
//! about 20,000 relative relocations at every start, each write dirtying a page of
//! read-only data: a short run such as `list` on a small file spends a measurable
//! share of its time there (spec §9, P1: about 85 fewer page faults and 3 % fewer
//! instructions without them). The cost is that the executable itself loads at a
//! fixed address (libraries, heap and stack stay randomised).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
