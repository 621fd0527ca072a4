//! `roster 2fa enroll|disable` on every backend: a Directus-style TOTP secret and
//! URI, printed once; refusals and no-ops change nothing.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::TestEnv;
use crate::common::{Via, each_db};

fn secret_of(env: &TestEnv, email: &str) -> Option<String> {
    env.col(email, "tfa_secret")
}

/// An Editor role and an active ed@example.com.
fn with_ed(b: Via) -> TestEnv {
    let env = TestEnv::with_editor(b);
    env.user_with_status("ed@example.com", "Editor", "active");
    env
}

each_db!(enroll_stores_a_directus_style_secret_and_prints_its_uri_once);
fn enroll_stores_a_directus_style_secret_and_prints_its_uri_once(b: Via) {
    let env = with_ed(b);
    env.exec("UPDATE directus_settings SET project_name = 'ACME Corp'");
    let ran = env.roster(["2fa", "enroll", "ED@example.com"]).succeeds();
    ran.stderr(
        "otpauth URI for an authenticator app (shown once):\nenrolled ed@example.com in two-factor authentication\n",
    );
    let secret = secret_of(&env, "ed@example.com").expect("a stored secret");
    assert_eq!(secret.len(), 16);
    let decoded = data_encoding::BASE32_NOPAD.decode(secret.as_bytes());
    assert_eq!(decoded.unwrap().len(), 10);
    assert_eq!(
        ran.out().trim(),
        format!(
            "otpauth://totp/ACME%20Corp:ed%40example.com?secret={secret}&period=30&digits=6&algorithm=SHA1&issuer=ACME%20Corp"
        ),
    );
    let shown = env
        .roster(["show", "ed@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(shown["tfa_enabled"], true);
    let audit = env
        .value("SELECT CAST(delta AS TEXT) FROM directus_revisions ORDER BY id DESC LIMIT 1")
        .unwrap();
    assert!(audit.contains("\"tfa_secret\":\"**********\""), "{audit}");
    assert!(!audit.contains(&secret));
}

each_db!(enrolling_twice_is_refused_and_disable_is_idempotent);
fn enrolling_twice_is_refused_and_disable_is_idempotent(b: Via) {
    let env = with_ed(b);
    env.roster(["2fa", "enroll", "ed@example.com"]).succeeds();
    let ran = env.roster(["2fa", "enroll", "ed@example.com"]).fails(4);
    let err = ran.db_unchanged().err();
    let want = "error: ed@example.com already has two-factor authentication\nhint: ";
    assert!(err.starts_with(want), "{err}");

    env.roster(["2fa", "disable", "ed@example.com"]).succeeds();
    assert_eq!(secret_of(&env, "ed@example.com"), None);
    let again = env
        .roster(["2fa", "disable", "ed@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(again["action"], "unchanged");
}

each_db!(dry_runs_unknown_and_deleted_users_change_nothing);
fn dry_runs_unknown_and_deleted_users_change_nothing(b: Via) {
    let env = with_ed(b);
    env.user_with_status("gone@example.com", "Editor", "deleted");
    // A dry run shows no secret.
    env.roster(["2fa", "enroll", "ed@example.com", "--dry-run"])
        .keeps_db()
        .succeeds()
        .stdout("")
        .db_unchanged();
    let refused: [(&[&str], i32); 3] = [
        (&["2fa", "enroll", "nobody@example.com"], 3),
        (&["2fa", "enroll", "gone@example.com"], 4),
        (&["2fa", "disable", "gone@example.com"], 4),
    ];
    for (args, code) in refused {
        env.roster(args).fails(code).db_unchanged();
    }
}

each_db!(enroll_on_directus_json_carries_the_uri);
fn enroll_on_directus_json_carries_the_uri(b: Via) {
    let env = TestEnv::directus11(b);
    let json = env
        .roster(["2fa", "enroll", "editor@example.com", "--format", "json"])
        .succeeds()
        .json();
    let secret = secret_of(&env, "editor@example.com").unwrap();
    assert_eq!(json["action"], "enrolled");
    let url = json["otpauth_url"].as_str().unwrap();
    assert!(url.starts_with("otpauth://totp/Directus:editor%40example.com?secret="));
    assert!(url.contains(&secret));
}
