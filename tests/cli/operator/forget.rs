//! `forget`: erasing a soft-deleted user's personal data.

use super::*;

each_db!(forget_refuses_a_user_who_is_not_soft_deleted);
fn forget_refuses_a_user_who_is_not_soft_deleted(b: Via) {
    let env = TestEnv::directus11(b);
    env.roster(["forget", "editor@example.com"])
        .fails(4)
        .stderr("error: editor@example.com is active: only a soft-deleted user can be forgotten (run `roster soft-delete` first)\n")
        .db_unchanged();
}

each_db!(forget_erases_a_soft_deleted_users_personal_data_and_keeps_the_row);
fn forget_erases_a_soft_deleted_users_personal_data_and_keeps_the_row(b: Via) {
    let env = TestEnv::directus11(b);
    let tomb = format!("forgotten-{ARCHIVED_ID}@forgotten.invalid");
    env.roster(["forget", "archived@example.com"])
        .succeeds()
        .stderr(&format!(
            "erased the personal data of {ARCHIVED_ID}; its email is now {tomb}\n"
        ));
    assert_eq!(env.id_of(&tomb), ARCHIVED_ID, "the row and id stay");
    assert_eq!(env.col(&tomb, "first_name"), None);
    assert_eq!(env.col(&tomb, "last_name"), None);
    assert_eq!(env.status_of(&tomb), "archived");
    let audit = env.rows(&format!(
            "SELECT CAST(delta AS TEXT) FROM directus_revisions WHERE item = '{ARCHIVED_ID}' ORDER BY id DESC"
        ));
    let delta = audit[0][0].clone().unwrap_or_default();
    assert!(
        !delta.contains("Arch"),
        "the audit trail holds no personal data: {delta}"
    );
    // Again: a no-op; and the old email can be created anew without reviving the row.
    env.roster(["forget", ARCHIVED_ID]).succeeds();
    env.roster([
        "invite",
        "archived@example.com",
        "--role",
        "Editor",
        "--format",
        "json",
    ])
    .succeeds();
    assert_ne!(env.id_of("archived@example.com"), ARCHIVED_ID);
}
