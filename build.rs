//! Build settings: tests that need a PostgreSQL, PgBouncer or MySQL server are
//! reported as ignored, not as passed, when none is configured.
//!
//! roster stays a position-independent executable. Linking it with `-no-pie`
//! would spare the loader about 20,000 relocations at every start (a few per cent
//! of a short `list`, spec §9 P1), but would load the executable at a fixed
//! address; a tool that holds passwords and tokens keeps full address-space
//! randomisation instead.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // A server's tests run when its URL is set, or when CI requires it (then a
    // missing URL fails them instead of ignoring them).
    for (cfg, var) in [
        ("postgres_tests", "ROSTER_TEST_POSTGRES_URL"),
        ("mysql_tests", "ROSTER_TEST_MYSQL_URL"),
        ("pgbouncer_tx_tests", "ROSTER_TEST_PGBOUNCER_TX_URL"),
        (
            "pgbouncer_session_tests",
            "ROSTER_TEST_PGBOUNCER_SESSION_URL",
        ),
        ("require_postgres", "ROSTER_REQUIRE_POSTGRES"),
        ("require_mysql", "ROSTER_REQUIRE_MYSQL"),
        ("require_pgbouncer", "ROSTER_REQUIRE_PGBOUNCER"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo:rerun-if-env-changed={var}");
        // A URL counts when given; a requirement when it is 1, as documented.
        let set = std::env::var(var).is_ok_and(|v| match cfg.starts_with("require_") {
            true => v == "1",
            false => !v.is_empty(),
        });
        if set {
            println!("cargo:rustc-cfg={cfg}");
        }
    }
}
