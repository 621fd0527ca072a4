//! Passwords on Directus databases: Directus's hashes survive roster's changes,
//! roster's hashes verify elsewhere, and the policy in directus_settings holds.

use super::*;

/// The fixture users and their passwords (the invited user has none).
const FIXTURE_PASSWORDS: [(&str, &str); 4] = [
    ("admin@example.com", "AdminPass123!"),
    ("editor@example.com", "EditorPass123!"),
    ("suspended@example.com", "SuspendedPass123!"),
    ("archived@example.com", "ArchivedPass123!"),
];

/// A new user with a changed password and a token, both it and the invited user suspended.
fn change_other_users(env: &TestEnv) {
    create(env, "newcomer@example.com", "Editor", NEW_PW).succeeds();
    env.roster(["suspend", "invited@example.com"]).succeeds();
    with_password(
        env,
        "Another!Pass43y",
        &["set-password", "newcomer@example.com"],
    )
    .succeeds();
    env.roster(["set-token", "newcomer@example.com"]).succeeds();
    env.roster(["suspend", "newcomer@example.com"]).succeeds();
}

each_fixture!(fixture_passwords_still_verify_after_roster_changes_other_users);
fn fixture_passwords_still_verify_after_roster_changes_other_users(env: &TestEnv) {
    let before: Vec<Option<String>> = FIXTURE_PASSWORDS
        .iter()
        .map(|(email, _)| stored_hash(env, email))
        .collect();
    change_other_users(env);
    for ((email, pw), old) in FIXTURE_PASSWORDS.iter().zip(before) {
        let hash = stored_hash(env, email);
        assert_eq!(hash, old, "{email}'s hash changed");
        let hash = hash.unwrap_or_else(|| panic!("{email} lost its password"));
        assert!(
            hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
            "{email}: {hash}"
        );
        // (argon2 in a debug test build takes seconds: one check per user.)
        assert!(roster::password::verify(pw, &hash), "{email}");
    }
    assert_eq!(status(env, "invited@example.com"), "suspended");
    assert_eq!(status(env, "newcomer@example.com"), "suspended");
    let hash = stored_hash(env, "newcomer@example.com").expect("newcomer hash");
    assert!(roster::password::verify("Another!Pass43y", &hash));
}

each_fixture!(policy_show_reads_the_strong_policy_from_settings);
fn policy_show_reads_the_strong_policy_from_settings(env: &TestEnv) {
    let shown = env
        .roster(["policy", "show", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(shown["source"], "directus_settings.auth_password_policy");
    assert_eq!(shown["regex"], STRONG_POLICY);
    assert_eq!(shown["requirements"], serde_json::json!([STRONG_WORDS]));
    assert_eq!(shown["login_attempts"], 5);
}

each_fixture!(the_strong_policy_refuses_weak_passwords_without_repeating_them);
fn the_strong_policy_refuses_weak_passwords_without_repeating_them(env: &TestEnv) {
    let needs =
        format!("error: the password does not meet the password policy: it needs {STRONG_WORDS}");
    for weak in ["hunter2hunter", "Hunter2hunter", "Hunter 2!x", "Ab1!"] {
        let ran = create(env, "weak@example.com", "Editor", weak).fails(5);
        ran.db_unchanged();
        let err = ran.err();
        assert!(err.starts_with(&needs), "{weak:?}: {err}");
        assert!(
            !err.contains(weak),
            "the message repeats the password: {err}"
        );
    }
    // set-password is checked the same way and leaves the old hash alone.
    with_password(env, "editorpass", &["set-password", "editor@example.com"])
        .fails(5)
        .db_unchanged();
}

each_fixture!(allow_weak_password_stores_a_weak_password_with_a_warning);
fn allow_weak_password_stores_a_weak_password_with_a_warning(env: &TestEnv) {
    let ran = create(env, "weak@example.com", "Editor", "weakling")
        .arg("--allow-weak-password")
        .succeeds();
    assert!(ran.err().contains("warning:"), "{}", ran.err());
    let hash = stored_hash(env, "weak@example.com").expect("weak user hash");
    assert!(roster::password::verify("weakling", &hash));
}

#[test]
fn hashes_roster_writes_verify_with_another_argon2_implementation() {
    // One backend suffices for the hash itself; Directus's own hashes are checked too.
    let env = TestEnv::directus11(Backend::Sqlite);
    create(&env, "crosscheck@example.com", "Editor", NEW_PW).succeeds();
    let hash = stored_hash(&env, "crosscheck@example.com").expect("hash");
    assert!(
        hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
        "{hash}"
    );
    let verify = |pw: &[u8]| rust_argon2::verify_encoded(&hash, pw);
    assert_eq!(verify(NEW_PW.as_bytes()), Ok(true), "{hash}");
    assert_eq!(verify(b"Fresh!Pass42y"), Ok(false), "{hash}");

    // And the other way round: roster verifies what Directus (node argon2) wrote,
    // which the second implementation agrees with.
    let directus = stored_hash(&env, "editor@example.com").expect("editor hash");
    assert_eq!(
        rust_argon2::verify_encoded(&directus, b"EditorPass123!"),
        Ok(true)
    );
    assert!(roster::password::verify("EditorPass123!", &directus));
}
