//! `roster 2fa enroll|disable` on every backend: a Directus-style TOTP secret and
//! URI, printed once; refusals and no-ops change nothing.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::{TestEnv, json_of, stderr_of, stdout_of};
use crate::common::{Via, each_db};

fn secret_of(env: &TestEnv, email: &str) -> Option<String> {
    env.col(email, "tfa_secret")
}

each_db!(enroll_stores_a_directus_style_secret_and_prints_its_uri_once);
fn enroll_stores_a_directus_style_secret_and_prints_its_uri_once(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("ed@example.com", "Editor", "active");
    env.exec("UPDATE directus_settings SET project_name = 'ACME Corp'");
    let out = env
        .cmd()
        .args(["2fa", "enroll", "ED@example.com"])
        .assert()
        .success();
    let uri = stdout_of(&out).trim().to_string();
    let secret = secret_of(&env, "ed@example.com").expect("a stored secret");
    assert_eq!(secret.len(), 16);
    assert_eq!(
        data_encoding::BASE32_NOPAD
            .decode(secret.as_bytes())
            .unwrap()
            .len(),
        10
    );
    assert_eq!(
        uri,
        format!(
            "otpauth://totp/ACME%20Corp:ed%40example.com?secret={secret}&period=30&digits=6&algorithm=SHA1&issuer=ACME%20Corp"
        ),
    );
    assert_eq!(
        stderr_of(&out),
        "otpauth URI for an authenticator app (shown once):\nenrolled ed@example.com in two-factor authentication\n"
    );
    let shown = json_of(
        &env.cmd()
            .args(["show", "ed@example.com", "--format", "json"])
            .assert()
            .success(),
    );
    assert_eq!(shown["tfa_enabled"], true);
    let audit = env
        .value("SELECT CAST(delta AS TEXT) FROM directus_revisions ORDER BY id DESC LIMIT 1")
        .unwrap();
    assert!(audit.contains("\"tfa_secret\":\"**********\""), "{audit}");
    assert!(!audit.contains(&secret));
}

each_db!(enrolling_twice_is_refused_and_disable_is_idempotent);
fn enrolling_twice_is_refused_and_disable_is_idempotent(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("ed@example.com", "Editor", "active");
    env.cmd()
        .args(["2fa", "enroll", "ed@example.com"])
        .assert()
        .success();
    let before = env.dump();
    let out = env
        .cmd()
        .args(["2fa", "enroll", "ed@example.com"])
        .assert()
        .code(4);
    assert!(
        stderr_of(&out)
            .starts_with("error: ed@example.com already has two-factor authentication\nhint: ")
    );
    assert_eq!(env.dump(), before);

    env.cmd()
        .args(["2fa", "disable", "ed@example.com"])
        .assert()
        .success();
    assert_eq!(secret_of(&env, "ed@example.com"), None);
    let again = env
        .cmd()
        .args(["2fa", "disable", "ed@example.com", "--format", "json"])
        .assert()
        .success();
    assert_eq!(json_of(&again)["action"], "unchanged");
}

each_db!(dry_runs_unknown_and_deleted_users_change_nothing);
fn dry_runs_unknown_and_deleted_users_change_nothing(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("ed@example.com", "Editor", "active");
    env.user_with_status("gone@example.com", "Editor", "deleted");
    let before = env.dump();
    let out = env
        .cmd()
        .args(["2fa", "enroll", "ed@example.com", "--dry-run"])
        .assert()
        .success();
    assert_eq!(stdout_of(&out), "", "a dry run shows no secret");
    env.cmd()
        .args(["2fa", "enroll", "nobody@example.com"])
        .assert()
        .code(3);
    env.cmd()
        .args(["2fa", "enroll", "gone@example.com"])
        .assert()
        .code(4);
    env.cmd()
        .args(["2fa", "disable", "gone@example.com"])
        .assert()
        .code(4);
    assert_eq!(env.dump(), before);
}

each_db!(enroll_on_directus_json_carries_the_uri);
fn enroll_on_directus_json_carries_the_uri(b: Via) {
    let env = TestEnv::directus11(b);
    let out = env
        .cmd()
        .args(["2fa", "enroll", "editor@example.com", "--format", "json"])
        .assert()
        .success();
    let json = json_of(&out);
    let secret = secret_of(&env, "editor@example.com").unwrap();
    assert_eq!(json["action"], "enrolled");
    assert!(
        json["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Directus:editor%40example.com?secret=")
    );
    assert!(json["otpauth_url"].as_str().unwrap().contains(&secret));
}
