//! Build settings: tests that need a PostgreSQL or MySQL server are reported as
//! ignored, not as passed, when none is configured.
//!
//! roster stays a position-independent executable. Linking it with `-no-pie`
//! would spare the loader about 20,000 relocations at every start (a few per cent
//! of a short `list`, spec §9 P1), but would load the executable at a fixed
//! address; a tool that holds passwords and tokens keeps full address-space
//! randomisation instead.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ROSTER_TEST_POSTGRES_URL");
    if std::env::var("ROSTER_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) {
        println!("cargo:rustc-cfg=postgres_tests");
    }
    println!("cargo::rustc-check-cfg=cfg(mysql_tests)");
    println!("cargo:rerun-if-env-changed=ROSTER_TEST_MYSQL_URL");
    if std::env::var("ROSTER_TEST_MYSQL_URL").is_ok_and(|v| !v.is_empty()) {
        println!("cargo:rustc-cfg=mysql_tests");
    }
}
