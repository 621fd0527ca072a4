//! Dry runs change nothing and report what would happen.
use crate::common::{Via, each_db};

use super::*;

each_db!(dry_run_changes_nothing, poolers);
fn dry_run_changes_nothing(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let u = add_user(r.as_mut(), "kept@example.com", &editor, Status::Active);
    let deleted = add_user(r.as_mut(), "old@example.com", &editor, Status::Active);
    r.change_status(&deleted.id, Change::SoftDelete, &plain())
        .expect("delete");
    env.add_session("kept-session", &u.id);
    let before = env.dump();
    let file = env.file_bytes();
    let mut opts = dry();
    opts.audit = true;

    let created = r
        .create_user(
            &new_user("new@example.com", Some(&editor), Status::Active),
            &opts,
        )
        .expect("dry create");
    assert!(
        matches!(&created, Created::Inserted(x) if x.email == "new@example.com"),
        "{created:?}"
    );
    let revived = r
        .create_user(&new_user("old@example.com", None, Status::Invited), &opts)
        .expect("dry revive");
    assert!(
        matches!(&revived, Created::Revived(x) if x.id == deleted.id),
        "{revived:?}"
    );
    let changed = r
        .change_status(&u.id, Change::Suspend, &opts)
        .expect("dry suspend");
    assert!(
        matches!(&changed, Changed::Done { user, .. } if user.status == "suspended"),
        "{changed:?}"
    );
    r.change_status(&u.id, Change::SoftDelete, &opts)
        .expect("dry delete");
    let tokened = r
        .set_token(&u.id, Some("dry-token-0123456789abcdefghijklmnop"), &opts)
        .expect("dry token");
    assert!(tokened.has_token);
    r.set_password(&u.id, HASH2, &opts).expect("dry password");
    let role = r
        .create_role(
            &NewRole {
                name: "Ghost".into(),
                admin_access: true,
                app_access: true,
                if_not_exists: false,
            },
            &opts,
        )
        .expect("dry role");
    assert_eq!(role.name, "Ghost");

    assert_eq!(env.dump(), before);
    if b == Backend::Sqlite {
        assert!(env.file_bytes() == file, "SQLite file changed by a dry run");
    }
    assert!(r.find_user("new@example.com").expect("find").is_none(),);
    assert_eq!(find(r.as_mut(), &deleted.id).status, "deleted");
    assert_eq!(find(r.as_mut(), &u.id).status, "active");
    assert!(r.find_role("Ghost").expect("find").is_none());

    // A dry run still checks everything: the same refusals as a real run.
    let admin_role = role_id(r.as_mut(), "Administrator");
    let admin = add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
    let before = env.dump();
    let dup = new_user("kept@example.com", Some(&editor), Status::Active);
    assert_eq!(fails("dry dup", r.create_user(&dup, &dry())).exit_code(), 4,);
    let dup_role = NewRole {
        name: "editor".into(),
        admin_access: false,
        app_access: false,
        if_not_exists: false,
    };
    assert_eq!(
        fails("dry role", r.create_role(&dup_role, &dry())).exit_code(),
        4,
    );
    let last = r.change_status(&admin.id, Change::Suspend, &dry());
    assert_eq!(fails("dry last admin", last).exit_code(), 4);
    let bad = r.change_status(&deleted.id, Change::Unsuspend, &dry());
    assert_eq!(fails("dry refused", bad).exit_code(), 4);
    assert_eq!(env.dump(), before);
}

each_db!(dry_run_changes_nothing_on_directus, poolers);
fn dry_run_changes_nothing_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let before = env.dump();
        r.change_status(EDITOR_ID, Change::SoftDelete, &dry())
            .expect("dry delete");
        r.create_user(
            &new_user("archived@example.com", None, Status::Invited),
            &dry(),
        )
        .expect("dry revive");
        r.create_role(
            &NewRole {
                name: "Ops".into(),
                admin_access: true,
                app_access: false,
                if_not_exists: false,
            },
            &dry(),
        )
        .expect("dry role");
        r.set_token(EDITOR_ID, None, &dry()).expect("dry clear");
        assert_eq!(env.dump(), before, "{label}");
    }
}
