//! Dry runs change nothing and report what would happen.
use crate::common::{Via, each_db};

use super::*;

/// The standalone schema with an Editor role, an active editor kept@ with a
/// session, and a soft-deleted old@. Returns the Editor role's id.
fn scene(b: Via) -> (TestEnv, Box<dyn Repo>, String) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    let kept = add_user(r.as_mut(), "kept@example.com", &editor, Status::Active);
    let old = add_user(r.as_mut(), "old@example.com", &editor, Status::Active);
    r.change_status(&old.id, Change::SoftDelete, &plain())
        .expect("delete");
    env.add_session("kept-session", &kept.id);
    (env, r, editor)
}

/// A dry run with the audit on, which must not write the audit trail either.
fn audited_dry() -> WriteOpts {
    WriteOpts {
        audit: true,
        ..dry()
    }
}

/// Runs `work` on a [`scene`], then checks that no row changed (nor, on SQLite,
/// a byte of the file) and that its users are as they were.
fn writes_nothing(env: &TestEnv, r: &mut dyn Repo, work: impl FnOnce(&mut dyn Repo)) {
    let (before, file) = (env.dump(), env.file_bytes());
    work(r);
    assert_eq!(env.dump(), before);
    if env.backend == Backend::Sqlite {
        assert!(env.file_bytes() == file, "SQLite file changed by a dry run");
    }
    assert!(r.find_user("new@example.com").expect("find").is_none());
    assert_eq!(find(r, &env.id_of("old@example.com")).status, "deleted");
    assert_eq!(find(r, &env.id_of("kept@example.com")).status, "active");
    assert!(r.find_role("Ghost").expect("find").is_none());
}

each_db!(dry_run_create_and_revive_write_nothing, poolers);
fn dry_run_create_and_revive_write_nothing(b: Via) {
    let (env, mut r, editor) = scene(b);
    let old = env.id_of("old@example.com");
    writes_nothing(&env, r.as_mut(), |r| {
        let new = new_user("new@example.com", Some(&editor), Status::Active);
        let created = r.create_user(&new, &audited_dry()).expect("dry create");
        assert!(
            matches!(&created, Created::Inserted(x) if x.email == "new@example.com"),
            "{created:?}"
        );
        let again = new_user("old@example.com", None, Status::Invited);
        let revived = r.create_user(&again, &audited_dry()).expect("dry revive");
        let revived_old = matches!(&revived, Created::Revived(x) if x.id == old);
        assert!(revived_old, "{revived:?}");
    });
}

each_db!(dry_run_status_changes_write_nothing, poolers);
fn dry_run_status_changes_write_nothing(b: Via) {
    let (env, mut r, _) = scene(b);
    let kept = env.id_of("kept@example.com");
    writes_nothing(&env, r.as_mut(), |r| {
        let changed = r.change_status(&kept, Change::Suspend, &audited_dry());
        let (_, user) = done(changed.expect("dry suspend"));
        assert_eq!(user.status, "suspended");
        r.change_status(&kept, Change::SoftDelete, &audited_dry())
            .expect("dry delete");
    });
}

each_db!(dry_run_secrets_and_roles_write_nothing, poolers);
fn dry_run_secrets_and_roles_write_nothing(b: Via) {
    let (env, mut r, _) = scene(b);
    let kept = env.id_of("kept@example.com");
    writes_nothing(&env, r.as_mut(), |r| {
        let token = Some("dry-token-0123456789abcdefghijklmnop");
        let tokened = r.set_token(&kept, token, &audited_dry());
        assert!(tokened.expect("dry token").user().has_token);
        r.set_password(&kept, HASH2, &audited_dry())
            .expect("dry password");
        let ghost = r.create_role(&new_role("Ghost", true, true), &audited_dry());
        assert_eq!(ghost.expect("dry role").name, "Ghost");
    });
}

each_db!(dry_run_refuses_what_a_real_run_refuses, poolers);
fn dry_run_refuses_what_a_real_run_refuses(b: Via) {
    let (env, mut r, editor) = scene(b);
    let admin_role = role_id(r.as_mut(), "Administrator");
    let admin = add_user(r.as_mut(), "admin@example.com", &admin_role, Status::Active);
    let before = env.dump();
    let dup = new_user("kept@example.com", Some(&editor), Status::Active);
    refused("dry dup", 4, r.create_user(&dup, &dry()));
    let dup_role = new_role("editor", false, false);
    refused("dry role", 4, r.create_role(&dup_role, &dry()));
    let last = r.change_status(&admin.id, Change::Suspend, &dry());
    refused("dry last admin", 4, last);
    let old = env.id_of("old@example.com");
    let bad = r.change_status(&old, Change::Unsuspend, &dry());
    refused("dry refused", 4, bad);
    assert_eq!(env.dump(), before);
}

each_db!(dry_run_changes_nothing_on_directus, poolers);
fn dry_run_changes_nothing_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let before = env.dump();
        r.change_status(EDITOR_ID, Change::SoftDelete, &dry())
            .expect("dry delete");
        let archived = new_user("archived@example.com", None, Status::Invited);
        r.create_user(&archived, &dry()).expect("dry revive");
        r.create_role(&new_role("Ops", true, false), &dry())
            .expect("dry role");
        r.set_token(EDITOR_ID, None, &dry()).expect("dry clear");
        assert_eq!(env.dump(), before, "{label}");
    }
}
