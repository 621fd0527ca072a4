//! Several USER arguments, and users named by id.

use super::*;

/// An Editor role, a and b active, c invited; returns c's id.
fn three_editors(env: &TestEnv) -> String {
    env.user_with_status("a@example.com", "Editor", "active");
    env.user_with_status("b@example.com", "Editor", "active");
    env.user_with_status("c@example.com", "Editor", "invited")
}

each_db!(several_users_in_one_command);
fn several_users_in_one_command(b: Via) {
    let env = TestEnv::with_editor(b);
    let c = three_editors(&env);
    // By email in any case, and by id (upper-case too).
    env.roster([
        "suspend",
        "a@example.com",
        "B@EXAMPLE.COM",
        &c.to_uppercase(),
    ])
    .succeeds()
    .stderr(
        "suspended a@example.com (was active)\nsuspended b@example.com (was active)\n\
             suspended c@example.com (was invited)\n",
    );
    for e in ["a", "b", "c"] {
        assert_eq!(env.status_of(&format!("{e}@example.com")), "suspended");
    }
    // The same user named twice (email and id) changes once.
    env.roster(["unsuspend", "c@example.com", &c])
        .succeeds()
        .stderr(
            "unsuspended c@example.com (was suspended): invited again, as before the suspension\n",
        );
    // soft-delete takes several users too.
    env.roster(["soft-delete", "--yes", "a@example.com", "b@example.com"])
        .succeeds();
    assert_eq!(env.status_of("a@example.com"), "deleted");
    assert_eq!(env.status_of("b@example.com"), "deleted");
    assert_eq!(env.status_of("c@example.com"), "invited");
}

each_db!(several_users_where_one_is_already_there_say_in_json_which_changed);
fn several_users_where_one_is_already_there_say_in_json_which_changed(b: Via) {
    let env = TestEnv::with_editor(b);
    three_editors(&env);
    env.roster(["suspend", "b@example.com"]).succeeds();
    let a = env.id_of("a@example.com");
    env.add_session("a-phone", &a);
    env.add_session("a-laptop", &a);
    let out = env
        .roster([
            "suspend",
            "a@example.com",
            "b@example.com",
            "--format",
            "json",
        ])
        .succeeds()
        .json();
    assert_eq!(
        out,
        serde_json::json!([
            {"id": env.id_of("a@example.com"), "email": "a@example.com", "previous_status": "active",
             "status": "suspended", "changed": true, "dry_run": false, "sessions_ended": 2},
            {"id": env.id_of("b@example.com"), "email": "b@example.com", "previous_status": "suspended",
             "status": "suspended", "changed": false, "dry_run": false, "sessions_ended": 0},
        ]),
    );
}

each_db!(one_user_that_cannot_change_leaves_the_others_unchanged);
fn one_user_that_cannot_change_leaves_the_others_unchanged(b: Via) {
    let env = TestEnv::with_editor(b);
    three_editors(&env);
    env.roster(["suspend", "a@example.com", "b@example.com"])
        .succeeds();
    // One unknown user.
    env.roster([
        "unsuspend",
        "a@example.com",
        "nobody@example.com",
        "b@example.com",
    ])
    .fails(3)
    .stderr("error: no user nobody@example.com\n")
    .db_unchanged();
    // One user whose status forbids the change.
    env.user_with_status("d@example.com", "Editor", "deleted");
    let refusal = format!(
        "error: cannot unsuspend d@example.com: the user is deleted\n{}",
        unsuspend_hint("deleted")
    );
    env.roster(["unsuspend", "a@example.com", "d@example.com"])
        .fails(4)
        .stderr(&refusal)
        .db_unchanged();
}

each_db!(users_are_found_by_id_and_by_email_in_any_case);
fn users_are_found_by_id_and_by_email_in_any_case(b: Via) {
    let env = TestEnv::with_editor(b);
    let id = env.invite("mixed@example.com", "Editor");
    for key in [
        id.clone(),
        id.to_uppercase(),
        "MIXED@Example.Com".to_string(),
        " mixed@example.com ".into(),
    ] {
        let out = env
            .roster(["show", &key, "--format", "json"])
            .succeeds()
            .json();
        assert_eq!(out["id"], id.as_str(), "{key}");
        assert_eq!(out["email"], "mixed@example.com", "{key}");
    }
}

each_db!(a_revived_user_whose_role_was_deleted_needs_a_role_again);
fn a_revived_user_whose_role_was_deleted_needs_a_role_again(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec("UPDATE directus_users SET role = NULL WHERE email = 'archived@example.com'");
    let ran = env.roster(["invite", "archived@example.com"]).fails(2);
    assert!(ran.err().contains("needs a role"), "{}", ran.err());
    ran.db_unchanged();
    env.roster(["invite", "archived@example.com", "--role", "Editor"])
        .succeeds();
    assert_eq!(env.status_of("archived@example.com"), "invited");
}
