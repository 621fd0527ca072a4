//! `suspend`, `unsuspend` and `soft-delete`.

use super::*;

each_db!(suspend_from_draft_invited_and_active_then_noop);
fn suspend_from_draft_invited_and_active_then_noop(b: Via) {
    let env = TestEnv::with_editor(b);
    for from in ["draft", "invited", "active"] {
        let email = format!("{from}@example.com");
        env.user_with_status(&email, "Editor", from);
        let a = env.cmd().args(["suspend", &email]).assert().code(0);
        assert_eq!(stderr_of(&a), format!("suspended {email} (was {from})\n"),);
        assert_eq!(env.status_of(&email), "suspended");

        let before = env.dump();
        let a = env
            .cmd()
            .args(["suspend", &email.to_uppercase()])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            format!("{email} is already suspended; nothing to do\n"),
        );
        assert_eq!(env.dump(), before, "a no-op writes nothing, audit included");
    }
}

each_db!(unsuspend_returns_to_active_and_refuses_other_statuses);
fn unsuspend_returns_to_active_and_refuses_other_statuses(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("sus@example.com", "Editor", "active");
    env.cmd()
        .args(["suspend", "sus@example.com"])
        .assert()
        .code(0);
    let a = env
        .cmd()
        .args(["unsuspend", "sus@example.com"])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "unsuspended sus@example.com (was suspended)\n",
    );
    assert_eq!(env.status_of("sus@example.com"), "active");

    let before = env.dump();
    let a = env
        .cmd()
        .args(["unsuspend", "sus@example.com"])
        .assert()
        .code(0);
    assert_eq!(
        stderr_of(&a),
        "sus@example.com is already active; nothing to do\n",
    );
    assert_eq!(env.dump(), before);

    for from in ["invited", "draft", "deleted"] {
        let email = format!("u-{from}@example.com");
        env.user_with_status(&email, "Editor", from);
        let before = env.dump();
        let a = env.cmd().args(["unsuspend", &email]).assert().code(4);
        assert_eq!(
            stderr_of(&a),
            format!(
                "error: cannot unsuspend {email}: the user is {from}\n{}",
                unsuspend_hint(from)
            ),
        );
        assert_eq!(env.dump(), before);
    }
}

each_db!(soft_delete_keeps_the_row_and_is_idempotent);
fn soft_delete_keeps_the_row_and_is_idempotent(b: Via) {
    let env = TestEnv::with_editor(b);
    for from in ["draft", "invited", "active", "suspended"] {
        let email = format!("{from}@example.com");
        let id = env.user_with_status(&email, "Editor", from);
        let a = env
            .cmd()
            .args(["soft-delete", &email, "--yes"])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            format!("soft-deleted {email} (was {from})\n"),
        );
        assert_eq!(env.id_of(&email), id, "the row and its id stay");
        assert_eq!(
            env.status_of(&email),
            "deleted",
            "the standalone schema says deleted"
        );

        let before = env.dump();
        let a = env
            .cmd()
            .args(["soft-delete", &id, "--yes"])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            format!("{email} is already deleted; nothing to do\n"),
        );
        assert_eq!(env.dump(), before);
    }
    assert_eq!(user_count(&env), 4, "no row is ever removed");

    // A deleted user can be neither suspended nor unsuspended.
    let before = env.dump();
    let a = env
        .cmd()
        .args(["suspend", "active@example.com"])
        .assert()
        .code(4);
    assert_eq!(
        stderr_of(&a),
        "error: cannot suspend active@example.com: the user is deleted\nhint: `roster create` or `roster invite` of the same email restores a soft-deleted user\n",
    );
    assert_eq!(env.dump(), before);

    // Listing hides deleted users unless asked; show reads them as deleted.
    let a = env
        .cmd()
        .args(["list", "--format", "json"])
        .assert()
        .code(0);
    let listed = json_of(&a);
    assert_eq!(listed, serde_json::json!([]));
    let a = env
        .cmd()
        .args(["list", "--status", "deleted", "--format", "json"])
        .assert()
        .code(0);
    let listed = json_of(&a);
    assert_eq!(listed.as_array().unwrap().len(), 4);
    let a = env
        .cmd()
        .args(["show", "draft@example.com", "--format", "json"])
        .assert()
        .code(0);
    let shown = json_of(&a);
    assert_eq!(shown["status"], "deleted");
}
