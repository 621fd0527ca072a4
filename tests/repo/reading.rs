//! Reading users: find by email or id, list with filters, export.
use crate::common::{Via, each_db};

use super::*;

each_db!(find_user_by_id_or_email_in_any_case, poolers);
fn find_user_by_id_or_email_in_any_case(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let u = add_user(r.as_mut(), "finn@example.com", &editor, Status::Active);
    for key in [
        u.id.clone(),
        u.id.to_uppercase(),
        "finn@example.com".into(),
        "FINN@Example.COM".into(),
    ] {
        assert_eq!(r.find_user(&key).expect("find"), Some(u.clone()), "{key}");
    }
    assert_eq!(r.find_user("nobody@example.com").expect("find"), None,);
    let random = uuid::Uuid::new_v4().to_string();
    assert_eq!(r.find_user(&random).expect("find"), None);

    // A mixed-case email written by someone else.
    let id = env.stored_user("Mixed.Case@Example.COM", &editor);
    let found = find(r.as_mut(), "mixed.case@example.com");
    assert_eq!(found.id, id);
    assert_eq!(found.email, "Mixed.Case@Example.COM");

    // A soft-deleted user is found, shown as deleted.
    r.change_status(&u.id, Change::SoftDelete, &plain())
        .expect("delete");
    assert_eq!(find(r.as_mut(), "finn@example.com").status, "deleted",);
}

each_db!(find_user_by_email_folds_every_letter_as_lower_does, poolers);
fn find_user_by_email_folds_every_letter_as_lower_does(b: Via) {
    // On the standalone schema SQLite looks emails up through two indexes and
    // MariaDB through its case-insensitive unique index; the answers must be
    // those of lower(email) = key, including for letters the indexes see otherwise.
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let stored = [
        ("\u{212A}im@example.com", "kim@example.com"),
        ("Stra\u{df}e@Example.COM", "stra\u{df}e@example.com"),
        ("\u{c9}LODIE@EXAMPLE.COM", "\u{e9}lodie@example.com"),
        ("Mixed.Case@Example.COM", "MIXED.case@example.com"),
    ];
    for (email, key) in stored {
        let id = env.stored_user(email, &editor);
        assert_eq!(find(r.as_mut(), key).id, id, "{key}");
    }
    assert_eq!(r.find_user("strasse@example.com").expect("find"), None);
    // MariaDB's utf8mb4_general_ci takes e and \u{e9} for one (the collation-twin rule).
    let accents = r.find_user("elodie@example.com").expect("find");
    assert_eq!(accents.is_some(), env.backend == Backend::Mysql);

    // Two live users lower() takes for one, apart to MariaDB's collation (the Kelvin
    // sign): there the one the collation finds is the one meant, elsewhere neither.
    // roster's PostgreSQL schema has a unique index on lower(email): no such pair.
    if env.backend == Backend::Postgres {
        return;
    }
    let id = env.stored_user("kim@example.com", &editor);
    match (env.backend, r.find_user("kim@example.com")) {
        (Backend::Mysql, found) => assert_eq!(found.expect("find").expect("a user").id, id),
        (_, found) => assert!(matches!(found, Err(e) if e.message().contains("different case"))),
    }
}

each_db!(find_user_reads_directus_admins_and_editors, poolers);
fn find_user_reads_directus_admins_and_editors(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "Admin@Example.com");
        assert_eq!(admin.email, "admin@example.com", "{label}");
        assert_eq!(admin.profile.get("first_name"), Some("Admin"), "{label}");
        assert_eq!(admin.profile.get("last_name"), Some("User"), "{label}");
        assert_eq!(admin.role_name.as_deref(), Some("Administrator"), "{label}");
        assert_eq!(admin.profile.get("provider"), Some("default"), "{label}");
        assert!(
            admin.is_admin && admin.has_password && !admin.has_token,
            "{label}: {admin:?}"
        );
        assert!(
            admin
                .profile
                .get("last_access")
                .is_some_and(|t| t > "2020-09-13T12:26:40Z"),
            "{label}: {admin:?}"
        );

        let editor = find(r.as_mut(), &EDITOR_ID.to_uppercase());
        assert_eq!(editor.email, "editor@example.com", "{label}");
        assert_eq!(editor.role.as_deref(), Some(EDITOR_ROLE), "{label}");
        assert_eq!(editor.role_name.as_deref(), Some("Editor"), "{label}");
        assert!(
            !editor.is_admin && editor.has_password && editor.has_token,
            "{label}: {editor:?}"
        );
    }
}

each_db!(find_user_reads_each_directus_status, poolers);
fn find_user_reads_each_directus_status(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let invited = find(r.as_mut(), "invited@example.com");
        assert_eq!(invited.status, "invited", "{label}");
        assert!(!invited.has_password, "{label}");
        assert_eq!(invited.profile.get("first_name"), None, "{label}");
        assert_eq!(invited.profile.get("last_access"), None, "{label}");

        let archived = find(r.as_mut(), ARCHIVED_ID);
        assert_eq!(
            archived.status, "deleted",
            "{label}: archived shows as deleted"
        );
        assert_eq!(archived.status(), Status::Deleted, "{label}");
        assert_eq!(
            find(r.as_mut(), SUSPENDED_ID).status,
            "suspended",
            "{label}"
        );
        assert!(
            r.find_user("nobody@example.com").expect("find").is_none(),
            "{label}"
        );
    }
}

/// Every user [`listing`] makes, in byte order of their emails.
const ALL: [&str; 10] = [
    "alice@example.com",
    "back\\slash@example.com",
    "bob@example.com",
    "carol@example.com",
    "dave@example.com",
    "erin@example.com",
    "pct%off@example.com",
    "pctxoff@example.com",
    "under_score@example.com",
    "underxscore@example.com",
];

/// [`ALL`] but dave@, who is soft-deleted.
fn live() -> Vec<&'static str> {
    ALL.into_iter()
        .filter(|e| *e != "dave@example.com")
        .collect()
}

/// The standalone schema with the users of [`ALL`]: alice@ an administrator, the
/// rest editors; bob@ named Bob Zed, pct%off@ invited, carol@ suspended, dave@
/// soft-deleted, erin@ a draft. Returns the Editor and Administrator role ids.
fn listing(b: Via) -> (TestEnv, Box<dyn Repo>, String, String) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let admin_role = role_id(r.as_mut(), "Administrator");
    let mut bob = new_user("bob@example.com", Some(&editor), Status::Active);
    bob.profile.set("first_name", "Bob").unwrap();
    bob.profile.set("last_name", "Zed").unwrap();
    r.create_user(&bob, &plain()).expect("bob");
    add_user(r.as_mut(), "alice@example.com", &admin_role, Status::Active);
    let status = |email| match email {
        "pct%off@example.com" => Status::Invited,
        "erin@example.com" => Status::Draft,
        _ => Status::Active,
    };
    // Made out of order, so that the order listed is the listing's own.
    for email in [
        "pct%off@example.com",
        "pctxoff@example.com",
        "under_score@example.com",
        "underxscore@example.com",
        "carol@example.com",
        "dave@example.com",
        "erin@example.com",
        "back\\slash@example.com",
    ] {
        add_user(r.as_mut(), email, &editor, status(email));
    }
    r.change_status("carol@example.com", Change::Suspend, &plain())
        .expect("suspend");
    r.change_status("dave@example.com", Change::SoftDelete, &plain())
        .expect("delete");
    (env, r, editor, admin_role)
}

each_db!(
    list_users_sorts_by_email_and_hides_deleted_unless_asked,
    poolers
);
fn list_users_sorts_by_email_and_hides_deleted_unless_asked(b: Via) {
    let (_env, mut r, _, _) = listing(b);
    let default = emails(r.as_mut(), &ListFilter::default());
    assert_eq!(default, live(), "default hides deleted");
    assert_eq!(emails(r.as_mut(), &with_deleted()), ALL, "include_deleted");
    let deleted = list(r.as_mut(), &with_statuses(&[Status::Deleted]));
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].email, "dave@example.com");
    assert_eq!(deleted[0].status, "deleted");
}

each_db!(list_users_filters_by_status_and_role, poolers);
fn list_users_filters_by_status_and_role(b: Via) {
    let (_env, mut r, editor, admin_role) = listing(b);
    assert_eq!(
        emails(
            r.as_mut(),
            &with_statuses(&[Status::Suspended, Status::Draft])
        ),
        ["carol@example.com", "erin@example.com"],
    );
    assert_eq!(
        emails(r.as_mut(), &with_statuses(&[Status::Invited])),
        ["pct%off@example.com"],
    );
    let admins = emails(r.as_mut(), &in_role(&admin_role));
    assert_eq!(admins, ["alice@example.com"], "by role");
    let editors = emails(r.as_mut(), &in_role(&editor));
    assert_eq!(editors.len(), live().len() - 1, "{editors:?}");
}

each_db!(list_users_search_is_case_insensitive_and_literal, poolers);
fn list_users_search_is_case_insensitive_and_literal(b: Via) {
    let (_env, mut r, _, _) = listing(b);
    // Over email and names; `%`, `_` and `\` match only themselves.
    let cases: [(&str, &[&str]); 9] = [
        ("%", &["pct%off@example.com"]),
        ("_", &["under_score@example.com"]),
        ("\\", &["back\\slash@example.com"]),
        ("t%o", &["pct%off@example.com"]),
        ("r_s", &["under_score@example.com"]),
        ("PCT", &["pct%off@example.com", "pctxoff@example.com"]),
        ("zed", &["bob@example.com"]),
        ("BOB", &["bob@example.com"]),
        ("dave", &[]),
    ];
    for (term, found) in cases {
        assert_eq!(emails(r.as_mut(), &searching(term)), found, "{term:?}");
    }
    let with_deleted = ListFilter {
        include_deleted: true,
        ..searching("dave")
    };
    assert_eq!(emails(r.as_mut(), &with_deleted), ["dave@example.com"]);
}

each_db!(list_users_search_combines_with_status_and_role, poolers);
fn list_users_search_combines_with_status_and_role(b: Via) {
    let (_env, mut r, editor, _) = listing(b);
    let combined = ListFilter {
        statuses: vec![Status::Active],
        role: Some(editor),
        ..searching("example")
    };
    assert_eq!(
        emails(r.as_mut(), &combined),
        [
            "back\\slash@example.com",
            "bob@example.com",
            "pctxoff@example.com",
            "under_score@example.com",
            "underxscore@example.com"
        ],
    );
}

each_db!(list_users_pages_after_sorting, poolers);
fn list_users_pages_after_sorting(b: Via) {
    let (_env, mut r, _, _) = listing(b);
    let mut page = |limit: Option<u64>, offset: Option<u64>| {
        let filter = ListFilter {
            limit,
            offset,
            ..ListFilter::default()
        };
        emails(r.as_mut(), &filter)
    };
    let live = live();
    assert_eq!(page(Some(2), None), live[..2]);
    assert_eq!(page(Some(3), Some(2)), live[2..5]);
    assert_eq!(page(None, Some(6)), live[6..]);
    assert!(page(Some(5), Some(100)).is_empty());
    assert!(page(Some(0), None).is_empty());
}

each_db!(input_is_bound_never_spliced_into_sql, poolers);
fn input_is_bound_never_spliced_into_sql(b: Via) {
    let (_env, mut r, editor, _) = listing(b);
    add_user(r.as_mut(), "o'brien@example.com", &editor, Status::Active);
    let found = emails(r.as_mut(), &searching("O'B"));
    assert_eq!(found, ["o'brien@example.com"]);
    assert!(r.find_user("x' OR '1'='1").expect("find").is_none());
    assert!(emails(r.as_mut(), &searching("' OR 1=1 --")).is_empty());
    assert!(r.find_role("x' OR '1'='1").expect("find role").is_none());
}

each_db!(an_error_from_the_consumer_ends_the_listing, poolers);
fn an_error_from_the_consumer_ends_the_listing(b: Via) {
    let (_env, mut r, _, _) = listing(b);
    let mut seen = 0;
    let err = r
        .list_users(&ListFilter::default(), &mut |_| {
            seen += 1;
            Err(Error::conflict("stop"))
        })
        .expect_err("consumer error");
    assert_eq!(err.exit_code(), 4);
    assert_eq!(seen, 1);
}

/// The live users of every Directus fixture, by email (archived@ is soft-deleted).
const DIRECTUS_USERS: [&str; 4] = [
    "admin@example.com",
    "editor@example.com",
    "invited@example.com",
    "suspended@example.com",
];

each_db!(list_users_on_directus, poolers);
fn list_users_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let listed = emails(r.as_mut(), &ListFilter::default());
        assert_eq!(listed, DIRECTUS_USERS, "{label}");
        let all = list(r.as_mut(), &with_deleted());
        let statuses: Vec<&str> = all.iter().map(|u| u.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["active", "deleted", "active", "invited", "suspended"],
            "{label}"
        );
        let admins = admins(r.as_mut(), &with_deleted());
        assert_eq!(admins, ["admin@example.com"], "{label}");
        assert_eq!(
            emails(r.as_mut(), &in_role(EDITOR_ROLE)),
            DIRECTUS_USERS[1..],
            "{label}"
        );
        assert_eq!(
            emails(r.as_mut(), &with_statuses(&[Status::Deleted])),
            ["archived@example.com"],
            "{label}"
        );
        let eddie = emails(r.as_mut(), &searching("EDDIE"));
        assert_eq!(eddie, ["editor@example.com"], "{label}: first name");
    }
}

each_db!(
    list_users_on_directus_shows_unknown_statuses_as_stored,
    poolers
);
fn list_users_on_directus_shows_unknown_statuses_as_stored(b: Via) {
    // Values Directus may hold but roster does not know are shown as they are.
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        set_stored_status(&env, SUSPENDED_ID, "unverified");
        let unverified = Status::Other("unverified".into());
        let odd = list(r.as_mut(), &with_statuses(&[unverified]));
        assert_eq!(odd.len(), 1, "{label}");
        assert_eq!(odd[0].status, "unverified", "{label}");
        let listed = list(r.as_mut(), &ListFilter::default());
        assert_eq!(listed.len(), 4, "{label}");
    }
}
