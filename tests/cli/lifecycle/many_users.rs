//! Several USER arguments, and users named by id.

use super::*;

each_db!(several_users_in_one_command);
fn several_users_in_one_command(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("a@example.com", "Editor", "active");
    env.user_with_status("b@example.com", "Editor", "active");
    let c = env.user_with_status("c@example.com", "Editor", "invited");

    // By email in any case, and by id (upper-case too).
    let a = env
        .cmd()
        .args([
            "suspend",
            "a@example.com",
            "B@EXAMPLE.COM",
            &c.to_uppercase(),
        ])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "suspended a@example.com (was active)\nsuspended b@example.com (was active)\n\
             suspended c@example.com (was invited)\n",
    );
    for e in ["a", "b", "c"] {
        assert_eq!(env.status_of(&format!("{e}@example.com")), "suspended",);
    }

    // Mixed: one already there is a no-op, the other changes; JSON tells which.
    env.cmd()
        .args(["unsuspend", "a@example.com"])
        .assert()
        .code(0);
    let a = env
        .cmd()
        .args([
            "suspend",
            "a@example.com",
            "b@example.com",
            "--format",
            "json",
        ])
        .assert()
        .code(0);
    let out = json_of(&a);
    assert_eq!(
        out,
        serde_json::json!([
            {"id": env.id_of("a@example.com"), "email": "a@example.com", "previous_status": "active",
             "status": "suspended", "changed": true, "dry_run": false},
            {"id": env.id_of("b@example.com"), "email": "b@example.com", "previous_status": "suspended",
             "status": "suspended", "changed": false, "dry_run": false},
        ]),
    );

    // The same user named twice (email and id) changes once.
    let a = env
        .cmd()
        .args(["unsuspend", "c@example.com", &c])
        .assert()
        .code(0);
    assert_eq!(stderr_of(&a), "unsuspended c@example.com (was suspended)\n",);

    // One unknown user: nothing changes for the others.
    let before = env.dump();
    let a = env
        .cmd()
        .args([
            "unsuspend",
            "a@example.com",
            "nobody@example.com",
            "b@example.com",
        ])
        .assert()
        .code(3);
    assert_eq!(stderr_of(&a), "error: no user nobody@example.com\n",);
    assert_eq!(env.dump(), before);

    // One user whose status forbids the change: nothing changes for the others.
    env.user_with_status("d@example.com", "Editor", "deleted");
    let before = env.dump();
    let a = env
        .cmd()
        .args(["unsuspend", "a@example.com", "d@example.com"])
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        format!(
            "error: cannot unsuspend d@example.com: the user is deleted\n{}",
            unsuspend_hint("deleted")
        ),
    );
    assert_eq!(env.dump(), before);

    // soft-delete takes several users too.
    env.cmd()
        .args(["soft-delete", "--yes", "a@example.com", "b@example.com"])
        .assert()
        .code(0);
    assert_eq!(env.status_of("a@example.com"), "deleted");
    assert_eq!(env.status_of("b@example.com"), "deleted");
    assert_eq!(env.status_of("c@example.com"), "active");
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
        let a = env
            .cmd()
            .args(["show", &key, "--format", "json"])
            .assert()
            .code(0);
        let out = json_of(&a);
        assert_eq!(out["id"], id.as_str(), "{key}");
        assert_eq!(out["email"], "mixed@example.com", "{key}");
    }
}

each_db!(a_revived_user_whose_role_was_deleted_needs_a_role_again);
fn a_revived_user_whose_role_was_deleted_needs_a_role_again(b: Via) {
    let env = TestEnv::directus11(b);
    env.exec("UPDATE directus_users SET role = NULL WHERE email = 'archived@example.com'");
    let before = env.dump();
    let out = env
        .cmd()
        .args(["invite", "archived@example.com"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&out).contains("needs a role"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(env.dump(), before);
    env.cmd()
        .args(["invite", "archived@example.com", "--role", "Editor"])
        .assert()
        .success();
    assert_eq!(env.status_of("archived@example.com"), "invited");
}
