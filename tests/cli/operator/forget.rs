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
    // Directus's own archive keeps the password hash: forget erases it too.
    assert!(env.col("archived@example.com", "password").is_some());
    env.roster(["forget", "archived@example.com"])
        .succeeds()
        .stderr(&format!(
            "erased the personal data and credentials of {ARCHIVED_ID} (first_name, last_name, password); \
             its email is now {tomb}\n{ONE_REVISION_KEPT}; {NOT_ERASED}\n"
        ));
    assert_eq!(env.id_of(&tomb), ARCHIVED_ID, "the row and id stay");
    for col in ["first_name", "last_name", "password", "token", "tfa_secret"] {
        assert_eq!(env.col(&tomb, col), None, "{col}");
    }
    assert_eq!(env.status_of(&tomb), "archived");
    let deltas = revisions_of(&env);
    assert!(
        !deltas[0].contains("Arch"),
        "the audit trail holds no personal data: {}",
        deltas[0]
    );
    assert!(
        deltas.iter().any(|d| d.contains("Arch")),
        "without --scrub-revisions the earlier revisions stay as they were"
    );
    // Again: a no-op that still says what is left; and the old email can be
    // created anew without reviving the row.
    env.roster(["forget", ARCHIVED_ID])
        .succeeds()
        .stderr(&format!(
            "{tomb} ({ARCHIVED_ID}) is already forgotten\n{ONE_REVISION_KEPT}; {NOT_ERASED}\n"
        ));
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

const ONE_REVISION_KEPT: &str =
    "1 revision of the row still holds earlier personal values (--scrub-revisions erases them)";
const NOT_ERASED: &str = "not erased: the activity rows of the user's own actions (IP address, browser) \
    and the files and comments they made";

/// The data and delta of every revision of the archived user's row, newest first.
fn revisions_of(env: &TestEnv) -> Vec<String> {
    env.rows(&format!(
        "SELECT CAST(data AS TEXT), CAST(delta AS TEXT) FROM directus_revisions \
         WHERE item = '{ARCHIVED_ID}' ORDER BY id DESC"
    ))
    .into_iter()
    .map(|r| {
        format!(
            "{} {}",
            r[0].clone().unwrap_or_default(),
            r[1].clone().unwrap_or_default()
        )
    })
    .collect()
}

each_db!(scrub_revisions_erases_the_copies_in_the_row_s_revisions);
fn scrub_revisions_erases_the_copies_in_the_row_s_revisions(b: Via) {
    let env = TestEnv::directus11(b);
    let tomb = format!("forgotten-{ARCHIVED_ID}@forgotten.invalid");
    let json = env
        .roster([
            "--format",
            "json",
            "forget",
            "archived@example.com",
            "--scrub-revisions",
        ])
        .succeeds()
        .json();
    assert_eq!(json["revisions_scrubbed"], 1, "{json}");
    assert_eq!(json["revisions_kept"], 0, "{json}");
    assert_eq!(
        json["erased"],
        serde_json::json!(["first_name", "last_name", "password"])
    );
    for revision in revisions_of(&env) {
        for personal in ["Arch", "archived@example.com", "\"password\":\"*"] {
            assert!(!revision.contains(personal), "{personal} in {revision}");
        }
    }
    assert!(
        revisions_of(&env)[1].contains(&tomb),
        "the email in a revision is the tombstone"
    );
    // Once scrubbed, nothing is left to say.
    env.roster(["forget", ARCHIVED_ID]).succeeds().stderr(&format!(
        "{tomb} ({ARCHIVED_ID}) is already forgotten\nno revision of the row holds a personal value; {NOT_ERASED}\n"
    ));
}

each_db!(forget_never_acts_on_a_collation_twin);
fn forget_never_acts_on_a_collation_twin(b: Via) {
    let env = TestEnv::with_editor(b);
    env.invite("straße@example.com", "Editor");
    env.roster(["soft-delete", "straße@example.com", "--yes"])
        .succeeds();
    // MariaDB's utf8mb4_general_ci finds straße@ for strase@: another person.
    env.roster(["forget", "strase@example.com"])
        .fails(3)
        .stderr("error: no user strase@example.com\n")
        .db_unchanged();
    env.roster(["show", "strase@example.com"]).fails(3);
}
