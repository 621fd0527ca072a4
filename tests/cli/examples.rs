//! Every file in examples/ used as its own comment says, so an example that
//! stops working (or never returns) fails the build.

use crate::common::*;
use crate::common::{Via, each_db};
use std::path::Path;
use std::process::Command;

fn examples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
}

/// PATH with the roster under test first, as when it is installed.
fn path_with_roster() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_roster"));
    let dir = bin.parent().expect("binary folder").display().to_string();
    format!("{dir}:{}", std::env::var("PATH").unwrap_or_default())
}

/// `bash examples/provision.sh` with roster on PATH and ROSTER unset, bounded by
/// `timeout` so a script that never returns fails instead of hanging.
fn provision(env: &TestEnv) -> std::process::Output {
    Command::new("timeout")
        .args(["120", "bash"])
        .arg(examples().join("provision.sh"))
        .current_dir(env.dir.path())
        .env_remove("ROSTER")
        .env("PATH", path_with_roster())
        .env("ROSTER_DATABASE_URL", format!("sqlite:{}", env.url))
        .env("GRACE_PASSWORD", "Grace-Passw0rd!")
        .output()
        .expect("run provision.sh")
}

#[test]
fn provision_sh_runs_as_documented_and_again_without_change() {
    let env = TestEnv::directus11(Backend::Sqlite);
    let first = provision(&env);
    let err = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{err}");
    assert_eq!(env.status_of("ada@example.com"), "active");
    assert_eq!(env.status_of("grace@example.com"), "active");
    assert_eq!(env.status_of("alan@example.com"), "invited");
    let credentials =
        std::fs::read_to_string(env.dir.path().join("new-passwords.tsv")).expect("tsv");
    assert!(
        credentials.starts_with("ada@example.com\t"),
        "{credentials}"
    );
    let before = env.dump();
    let again = provision(&env);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(env.dump(), before, "a second run changes nothing");
}

each_db!(the_ci_seed_applies_and_a_second_run_changes_nothing);
fn the_ci_seed_applies_and_a_second_run_changes_nothing(b: Via) {
    let env = TestEnv::empty(b);
    let seed = examples().join("ci-seed.toml");
    env.roster(["init"]).succeeds();
    let apply = || {
        env.roster(["apply", "--format", "json"])
            .arg(&seed)
            .env("ROSTER_ADMIN_PASSWORD", "Adm1n-Passw0rd!")
    };
    let first = apply().succeeds().json();
    assert_eq!(first["created"], 4, "{first}");
    assert_eq!(env.status_of("reviewer@ci.example.com"), "invited");
    assert_eq!(
        env.col("bot@ci.example.com", "token").as_deref(),
        Some("ci-bot-token-0123456789abcdefghijklmnop")
    );
    let ran = apply().keeps_db().succeeds();
    let second = ran.db_unchanged().json();
    assert_eq!(second["unchanged"], 4, "{second}");
}

#[test]
fn the_sample_config_is_read_as_documented() {
    let env = TestEnv::standalone(Backend::Sqlite);
    let json = env
        .roster(["--config"])
        .arg(examples().join("config.toml"))
        .args(["policy", "show", "--format", "json"])
        .succeeds()
        .json();
    assert!(
        json["source"]
            .as_str()
            .unwrap_or_default()
            .contains("config.toml"),
        "{json}"
    );
}
