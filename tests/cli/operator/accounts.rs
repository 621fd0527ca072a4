//! `activate`, `suspend`, `unsuspend`, `set-password` and `edit` on Directus's
//! own accounts: unverified users, SSO accounts, email changes, JSON errors.

use super::*;

each_db!(unverified_users_can_be_approved_or_blocked);
fn unverified_users_can_be_approved_or_blocked(b: Via) {
    let env = TestEnv::directus11(b);
    let unverified =
        "UPDATE directus_users SET status = 'unverified' WHERE email = 'editor@example.com'";
    env.exec(unverified);
    let hash = env.col("editor@example.com", "password");
    env.roster(["activate", "editor@example.com"])
        .succeeds()
        .stderr("activated editor@example.com (was unverified)\n");
    assert_eq!(env.status_of("editor@example.com"), "active");
    assert_eq!(
        env.col("editor@example.com", "password"),
        hash,
        "their own password is kept"
    );

    env.exec(unverified);
    env.roster(["suspend", "editor@example.com"])
        .succeeds()
        .stderr("suspended editor@example.com (was unverified)\n");
    assert_eq!(env.status_of("editor@example.com"), "suspended");
}

each_db!(set_password_switches_an_sso_account_to_local_login_and_says_so);
fn set_password_switches_an_sso_account_to_local_login_and_says_so(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec("UPDATE directus_users SET provider = 'github' WHERE email = 'editor@example.com'");
    env.roster(["set-password", "editor@example.com", "--password-stdin"])
        .stdin("New-Passw0rd!x\n")
        .succeeds()
        .stderr(
            "set the password of editor@example.com\n\
             editor@example.com logged in through github (SSO); it now logs in with this password (provider default)\n",
        );
    assert_eq!(
        env.col("editor@example.com", "provider").as_deref(),
        Some("default")
    );
}

each_db!(edit_changes_the_email_in_any_case_unique_and_ends_sessions);
fn edit_changes_the_email_in_any_case_unique_and_ends_sessions(b: Via) {
    let env = TestEnv::directus11(b);
    env.add_session("s1", EDITOR_ID);
    env.roster(["edit", "editor@example.com", "--email", "Eddie@Example.com"])
        .succeeds()
        .stderr("updated editor@example.com\n  email: editor@example.com → eddie@example.com\n");
    assert_eq!(env.id_of("eddie@example.com"), EDITOR_ID);
    assert_eq!(
        env.count("SELECT count(*) FROM directus_sessions"),
        0,
        "sessions end"
    );
    for taken in ["ADMIN@example.com", "archived@example.com"] {
        let ran = env
            .roster(["edit", "eddie@example.com", "--email", taken])
            .fails(4);
        let err = ran.db_unchanged().err();
        assert!(err.starts_with("error: another user ("), "{err}");
    }
}

#[test]
fn errors_are_one_json_object_under_format_json() {
    let env = TestEnv::directus11(Backend::Sqlite);
    let want = concat!(
        r#"{"error":"cannot unsuspend invited@example.com: the user is invited","exit_code":4,"#,
        r#""hints":["`roster activate` gives an invited or draft user a password and makes it active"]}"#,
        "\n"
    );
    env.roster(["unsuspend", "invited@example.com", "--format", "json"])
        .code(4)
        .stderr(want);
}
