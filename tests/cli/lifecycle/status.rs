//! `suspend`, `unsuspend` and `soft-delete`.

use super::*;

each_db!(suspend_from_draft_invited_and_active_then_noop);
fn suspend_from_draft_invited_and_active_then_noop(b: Via) {
    let env = TestEnv::with_editor(b);
    for from in ["draft", "invited", "active"] {
        let email = format!("{from}@example.com");
        env.user_with_status(&email, "Editor", from);
        env.roster(["suspend", &email])
            .succeeds()
            .stderr(&format!("suspended {email} (was {from})\n"));
        assert_eq!(env.status_of(&email), "suspended");
        // A no-op writes nothing, audit included.
        env.roster(["suspend", &email.to_uppercase()])
            .keeps_db()
            .succeeds()
            .stderr(&format!("{email} is already suspended; nothing to do\n"))
            .db_unchanged();
    }
}

each_db!(unsuspend_returns_to_active_and_refuses_other_statuses);
fn unsuspend_returns_to_active_and_refuses_other_statuses(b: Via) {
    let env = TestEnv::with_editor(b);
    env.roster([
        "create",
        "sus@example.com",
        "--role",
        "Editor",
        "--random-password",
    ])
    .succeeds();
    env.roster(["suspend", "sus@example.com"]).succeeds();
    env.roster(["unsuspend", "sus@example.com"])
        .succeeds()
        .stderr("unsuspended sus@example.com (was suspended)\n");
    assert_eq!(env.status_of("sus@example.com"), "active");
    env.roster(["unsuspend", "sus@example.com"])
        .keeps_db()
        .succeeds()
        .stderr("sus@example.com is already active; nothing to do\n")
        .db_unchanged();

    for from in ["invited", "draft", "deleted"] {
        let email = format!("u-{from}@example.com");
        env.user_with_status(&email, "Editor", from);
        let hint = unsuspend_hint(from);
        env.roster(["unsuspend", &email])
            .fails(4)
            .stderr(&format!(
                "error: cannot unsuspend {email}: the user is {from}\n{hint}"
            ))
            .db_unchanged();
    }
}

/// One Editor in each status a user can be soft-deleted from, then soft-deleted.
fn soft_deleted_from_every_status(env: &TestEnv) {
    for from in ["draft", "invited", "active", "suspended"] {
        let email = format!("{from}@example.com");
        let id = env.user_with_status(&email, "Editor", from);
        env.roster(["soft-delete", &email, "--yes"])
            .succeeds()
            .stderr(&format!("soft-deleted {email} (was {from})\n"));
        assert_eq!(env.id_of(&email), id, "the row and its id stay");
        assert_eq!(
            env.status_of(&email),
            "deleted",
            "the standalone schema says deleted"
        );
        env.roster(["soft-delete", &id, "--yes"])
            .keeps_db()
            .succeeds()
            .stderr(&format!("{email} is already deleted; nothing to do\n"))
            .db_unchanged();
    }
}

each_db!(soft_delete_keeps_the_row_and_is_idempotent);
fn soft_delete_keeps_the_row_and_is_idempotent(b: Via) {
    let env = TestEnv::with_editor(b);
    soft_deleted_from_every_status(&env);
    assert_eq!(user_count(&env), 4, "no row is ever removed");

    // A deleted user can be neither suspended nor unsuspended.
    env.roster(["suspend", "active@example.com"])
        .fails(4)
        .stderr("error: cannot suspend active@example.com: the user is deleted\nhint: `roster create` or `roster invite` of the same email revives a soft-deleted user\n")
        .db_unchanged();
}

each_db!(soft_deleted_users_are_listed_only_when_asked_and_shown_as_deleted);
fn soft_deleted_users_are_listed_only_when_asked_and_shown_as_deleted(b: Via) {
    let env = TestEnv::with_editor(b);
    soft_deleted_from_every_status(&env);
    let listed = env.roster(["list", "--format", "json"]).succeeds().json();
    assert_eq!(listed, serde_json::json!([]));
    let listed = env
        .roster(["list", "--status", "deleted", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 4);
    let shown = env
        .roster(["show", "draft@example.com", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(shown["status"], "deleted");
}

each_db!(unsuspend_gives_back_the_status_the_user_had_before);
fn unsuspend_gives_back_the_status_the_user_had_before(b: Via) {
    let env = TestEnv::with_editor(b);
    env.invite("inv@example.com", "Editor");
    env.roster(["suspend", "inv@example.com"]).succeeds();
    env.roster(["unsuspend", "inv@example.com"])
        .succeeds()
        .stderr("unsuspended inv@example.com (was suspended): invited again, as before the suspension\n");
    assert_eq!(env.status_of("inv@example.com"), "invited");
    assert_eq!(env.col("inv@example.com", "password"), None);
    // `activate` still does what it does for an invited user.
    env.roster(["activate", "inv@example.com", "--password-stdin"])
        .stdin("Long3nough!Password\n")
        .succeeds();
    assert_eq!(env.status_of("inv@example.com"), "active");
    // A user with a password suspended and unsuspended twice is active again.
    env.roster(["suspend", "inv@example.com"]).succeeds();
    env.roster(["unsuspend", "inv@example.com"]).succeeds();
    env.roster(["suspend", "inv@example.com"]).succeeds();
    env.roster(["unsuspend", "inv@example.com"])
        .succeeds()
        .stderr("unsuspended inv@example.com (was suspended)\n");
    assert_eq!(env.status_of("inv@example.com"), "active");
}

each_db!(unsuspend_without_a_trail_or_a_password_is_refused);
fn unsuspend_without_a_trail_or_a_password_is_refused(b: Via) {
    let env = TestEnv::with_editor(b);
    env.roster([
        "--no-audit",
        "invite",
        "quiet@example.com",
        "--role",
        "Editor",
    ])
    .succeeds();
    env.roster(["--no-audit", "suspend", "quiet@example.com"])
        .succeeds();
    env.roster(["unsuspend", "quiet@example.com"])
        .fails(4)
        .stderr(
            "error: cannot unsuspend quiet@example.com: the audit trail does not say what the user was \
             before the suspension, and without a password an active user could not log in\n\
             hint: `roster set-password quiet@example.com` gives a password and makes the user active\n",
        )
        .db_unchanged();
}

each_db!(a_user_who_can_log_in_is_never_sent_back_to_an_invite);
fn a_user_who_can_log_in_is_never_sent_back_to_an_invite(b: Via) {
    let env = TestEnv::with_editor(b);
    env.invite("inv@example.com", "Editor");
    // Accepted without a revision (as Directus's invite acceptance, or --no-audit).
    env.roster([
        "--no-audit",
        "activate",
        "inv@example.com",
        "--password-stdin",
    ])
    .stdin("Long3nough!Password\n")
    .succeeds();
    env.roster(["suspend", "inv@example.com"]).succeeds();
    env.roster(["unsuspend", "inv@example.com"])
        .succeeds()
        .stderr("unsuspended inv@example.com (was suspended)\n");
    assert_eq!(env.status_of("inv@example.com"), "active");
}
