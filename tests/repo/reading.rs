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
    let id = uuid::Uuid::new_v4().to_string();
    env.exec(&format!(
        "INSERT INTO directus_users (id, email, status, role, provider) \
                 VALUES ('{id}', 'Mixed.Case@Example.COM', 'active', '{editor}', 'default')"
    ));
    let found = find(r.as_mut(), "mixed.case@example.com");
    assert_eq!(found.id, id);
    assert_eq!(found.email, "Mixed.Case@Example.COM");

    // A soft-deleted user is found, shown as deleted.
    r.change_status(&u.id, Change::SoftDelete, &plain())
        .expect("delete");
    assert_eq!(find(r.as_mut(), "finn@example.com").status, "deleted",);
}

each_db!(find_user_reads_directus_users, poolers);
fn find_user_reads_directus_users(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let admin = find(r.as_mut(), "Admin@Example.com");
        assert_eq!(admin.email, "admin@example.com", "{label}");
        assert_eq!(admin.profile.get("first_name"), Some("Admin"), "{label}");
        assert_eq!(admin.profile.get("last_name"), Some("User"), "{label}");
        assert_eq!(admin.role_name.as_deref(), Some("Administrator"), "{label}");
        assert_eq!(admin.provider.as_deref(), Some("default"), "{label}");
        assert!(
            admin.is_admin && admin.has_password && !admin.has_token,
            "{label}: {admin:?}"
        );
        assert!(
            admin.last_access.is_some_and(|t| t > 1_600_000_000_000),
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

        let invited = find(r.as_mut(), "invited@example.com");
        assert_eq!(invited.status, "invited", "{label}");
        assert!(!invited.has_password, "{label}");
        assert_eq!(invited.profile.get("first_name"), None, "{label}");
        assert_eq!(invited.last_access, None, "{label}");

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

each_db!(list_users_filters_and_sorts_by_email, poolers);
fn list_users_filters_and_sorts_by_email(b: Via) {
    let (_env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let admin_role = role_id(r.as_mut(), "Administrator");
    let mut bob = new_user("bob@example.com", Some(&editor), Status::Active);
    bob.profile.set("first_name", "Bob").unwrap();
    bob.profile.set("last_name", "Zed").unwrap();
    r.create_user(&bob, &plain()).expect("bob");
    add_user(r.as_mut(), "alice@example.com", &admin_role, Status::Active);
    add_user(r.as_mut(), "pct%off@example.com", &editor, Status::Invited);
    add_user(r.as_mut(), "pctxoff@example.com", &editor, Status::Active);
    add_user(
        r.as_mut(),
        "under_score@example.com",
        &editor,
        Status::Active,
    );
    add_user(
        r.as_mut(),
        "underxscore@example.com",
        &editor,
        Status::Active,
    );
    add_user(r.as_mut(), "carol@example.com", &editor, Status::Active);
    add_user(r.as_mut(), "dave@example.com", &editor, Status::Active);
    add_user(r.as_mut(), "erin@example.com", &editor, Status::Draft);
    add_user(
        r.as_mut(),
        "back\\slash@example.com",
        &editor,
        Status::Active,
    );
    r.change_status("carol@example.com", Change::Suspend, &plain())
        .expect("suspend");
    r.change_status("dave@example.com", Change::SoftDelete, &plain())
        .expect("delete");

    let mut all = vec![
        "back\\slash@example.com",
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "dave@example.com",
        "erin@example.com",
        "pct%off@example.com",
        "pctxoff@example.com",
        "under_score@example.com",
        "underxscore@example.com",
    ];
    all.sort_unstable();
    let live: Vec<&str> = all
        .iter()
        .copied()
        .filter(|e| *e != "dave@example.com")
        .collect();

    let f = |build: fn(&mut ListFilter)| {
        let mut f = ListFilter::default();
        build(&mut f);
        f
    };
    assert_eq!(
        emails(r.as_mut(), &ListFilter::default()),
        live,
        "default hides deleted"
    );
    assert_eq!(
        emails(r.as_mut(), &f(|f| f.include_deleted = true)),
        all,
        "include_deleted"
    );
    let deleted = list(r.as_mut(), &f(|f| f.statuses = vec![Status::Deleted]));
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].email, "dave@example.com");
    assert_eq!(deleted[0].status, "deleted");
    assert_eq!(
        emails(
            r.as_mut(),
            &f(|f| f.statuses = vec![Status::Suspended, Status::Draft])
        ),
        ["carol@example.com", "erin@example.com"],
    );
    assert_eq!(
        emails(r.as_mut(), &f(|f| f.statuses = vec![Status::Invited])),
        ["pct%off@example.com"],
    );
    assert_eq!(
        emails(
            r.as_mut(),
            &ListFilter {
                role: Some(admin_role.clone()),
                ..ListFilter::default()
            }
        ),
        ["alice@example.com"],
        "by role"
    );
    let editors = emails(
        r.as_mut(),
        &ListFilter {
            role: Some(editor.clone()),
            ..ListFilter::default()
        },
    );
    assert_eq!(editors.len(), live.len() - 1, "{editors:?}");

    // Search: case-insensitive, over email and names, `%` and `_` literal.
    let search = |term: &str| ListFilter {
        search: Some(term.to_string()),
        ..ListFilter::default()
    };
    assert_eq!(
        emails(r.as_mut(), &search("%")),
        ["pct%off@example.com"],
        "% is literal"
    );
    assert_eq!(
        emails(r.as_mut(), &search("_")),
        ["under_score@example.com"],
        "_ is literal"
    );
    assert_eq!(
        emails(r.as_mut(), &search("\\")),
        ["back\\slash@example.com"],
        "\\ is literal"
    );
    assert_eq!(emails(r.as_mut(), &search("t%o")), ["pct%off@example.com"],);
    assert_eq!(
        emails(r.as_mut(), &search("r_s")),
        ["under_score@example.com"],
    );
    assert_eq!(
        emails(r.as_mut(), &search("PCT")),
        ["pct%off@example.com", "pctxoff@example.com"],
    );
    assert_eq!(
        emails(r.as_mut(), &search("zed")),
        ["bob@example.com"],
        "last name"
    );
    assert_eq!(emails(r.as_mut(), &search("BOB")), ["bob@example.com"],);
    assert!(emails(r.as_mut(), &search("dave")).is_empty());
    let mut with_deleted = search("dave");
    with_deleted.include_deleted = true;
    assert_eq!(emails(r.as_mut(), &with_deleted), ["dave@example.com"],);
    let mut combined = search("example");
    combined.statuses = vec![Status::Active];
    combined.role = Some(editor.clone());
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

    // Paging, after sorting.
    let page = |limit: Option<u64>, offset: Option<u64>| ListFilter {
        limit,
        offset,
        ..ListFilter::default()
    };
    assert_eq!(emails(r.as_mut(), &page(Some(2), None)), live[..2]);
    assert_eq!(emails(r.as_mut(), &page(Some(3), Some(2))), live[2..5],);
    assert_eq!(emails(r.as_mut(), &page(None, Some(6))), live[6..]);
    assert!(emails(r.as_mut(), &page(Some(5), Some(100))).is_empty(),);
    assert!(emails(r.as_mut(), &page(Some(0), None)).is_empty());

    // Input is bound, never spliced into SQL.
    add_user(r.as_mut(), "o'brien@example.com", &editor, Status::Active);
    assert_eq!(emails(r.as_mut(), &search("O'B")), ["o'brien@example.com"],);
    assert!(r.find_user("x' OR '1'='1").expect("find").is_none(),);
    assert!(emails(r.as_mut(), &search("' OR 1=1 --")).is_empty(),);
    assert!(r.find_role("x' OR '1'='1").expect("find role").is_none(),);

    // An error from the consumer ends the stream and is returned.
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

each_db!(list_users_on_directus, poolers);
fn list_users_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        assert_eq!(
            emails(r.as_mut(), &ListFilter::default()),
            [
                "admin@example.com",
                "editor@example.com",
                "invited@example.com",
                "suspended@example.com"
            ],
            "{label}"
        );
        let all = list(
            r.as_mut(),
            &ListFilter {
                include_deleted: true,
                ..ListFilter::default()
            },
        );
        assert_eq!(all.len(), 5, "{label}");
        let statuses: Vec<&str> = all.iter().map(|u| u.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["active", "deleted", "active", "invited", "suspended"],
            "{label}"
        );
        let admins: Vec<&str> = all
            .iter()
            .filter(|u| u.is_admin)
            .map(|u| u.email.as_str())
            .collect();
        assert_eq!(admins, ["admin@example.com"], "{label}");
        assert_eq!(
            emails(
                r.as_mut(),
                &ListFilter {
                    role: Some(EDITOR_ROLE.into()),
                    ..ListFilter::default()
                }
            ),
            [
                "editor@example.com",
                "invited@example.com",
                "suspended@example.com"
            ],
            "{label}"
        );
        assert_eq!(
            emails(
                r.as_mut(),
                &ListFilter {
                    statuses: vec![Status::Deleted],
                    ..ListFilter::default()
                }
            ),
            ["archived@example.com"],
            "{label}"
        );
        assert_eq!(
            emails(
                r.as_mut(),
                &ListFilter {
                    search: Some("EDDIE".into()),
                    ..ListFilter::default()
                }
            ),
            ["editor@example.com"],
            "{label}: first name"
        );

        // Values Directus may hold but roster does not know are shown as they are.
        set_stored_status(&env, SUSPENDED_ID, "unverified");
        let odd = list(
            r.as_mut(),
            &ListFilter {
                statuses: vec![Status::Other("unverified".into())],
                ..ListFilter::default()
            },
        );
        assert_eq!(odd.len(), 1, "{label}");
        assert_eq!(odd[0].status, "unverified", "{label}");
        assert_eq!(
            emails(r.as_mut(), &ListFilter::default()).len(),
            4,
            "{label}"
        );
    }
}
