//! Roles: create, rename, delete, and what they grant.
use crate::common::{Via, each_db};

use super::*;

/// The standalone schema with three new roles: Editor (no access), Ops (admin
/// access asked for) and apps (app access).
fn three_roles(b: Via) -> (TestEnv, Box<dyn Repo>, [Role; 3]) {
    let (env, mut r) = standalone(b);
    let editor = make_role(r.as_mut(), "Editor", false, false);
    let ops = make_role(r.as_mut(), "Ops", true, false);
    let apps = make_role(r.as_mut(), "apps", false, true);
    (env, r, [editor, ops, apps])
}

/// The id is a random (v4) UUID, written in lower case.
#[track_caller]
fn is_v4_lower_case(id: &str) {
    let parsed = uuid::Uuid::parse_str(id).expect("uuid");
    assert_eq!(parsed.get_version_num(), 4, "{id}");
    assert_eq!(id, id.to_lowercase());
}

each_db!(create_role_grants_what_is_asked, poolers);
fn create_role_grants_what_is_asked(b: Via) {
    let (_env, _r, [editor, ops, apps]) = three_roles(b);
    let access = |x: &Role| (x.admin_access, x.app_access, x.users);
    assert_eq!(access(&editor), (false, false, 0));
    assert_eq!(access(&ops), (true, true, 0), "admin implies app access");
    assert_eq!(access(&apps), (false, true, 0));
    for role in [&editor, &ops, &apps] {
        is_v4_lower_case(&role.id);
    }
}

each_db!(users_of_an_admin_role_are_administrators, poolers);
fn users_of_an_admin_role_are_administrators(b: Via) {
    let (_env, mut r, [_, ops, apps]) = three_roles(b);
    let o = add_user(r.as_mut(), "ops@example.com", &ops.id, Status::Active);
    assert!(o.is_admin, "{o:?}");
    let a = add_user(r.as_mut(), "apps@example.com", &apps.id, Status::Active);
    assert!(!a.is_admin);
}

/// Gives Ops one live user and one soft-deleted; returns Ops as listed now.
fn ops_with_users(r: &mut dyn Repo, ops: &Role) -> Role {
    add_user(r, "ops@example.com", &ops.id, Status::Active);
    let gone = add_user(r, "gone@example.com", &ops.id, Status::Active);
    r.change_status(&gone.id, Change::SoftDelete, &plain())
        .expect("delete");
    Role {
        users: 1,
        ..ops.clone()
    }
}

each_db!(list_roles_sorts_by_name_and_counts_live_users, poolers);
fn list_roles_sorts_by_name_and_counts_live_users(b: Via) {
    let (_env, mut r, [_, ops, _]) = three_roles(b);
    let ops_now = ops_with_users(r.as_mut(), &ops);
    let admin_role = role_id(r.as_mut(), "Administrator");
    // Sorted by name, case-insensitively; deleted users are not counted.
    let roles = r.list_roles().expect("list");
    let names: Vec<&str> = roles.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["Administrator", "apps", "Editor", "Ops"]);
    assert_eq!(roles[3], ops_now);
    assert_eq!(roles[0].id, admin_role);
}

each_db!(find_role_by_name_in_any_case_or_by_id, poolers);
fn find_role_by_name_in_any_case_or_by_id(b: Via) {
    let (_env, mut r, [_, ops, _]) = three_roles(b);
    let ops_now = ops_with_users(r.as_mut(), &ops);
    for key in ["ops", "OPS", ops.id.as_str(), &ops.id.to_uppercase()] {
        let found = r.find_role(key).expect("find");
        assert_eq!(found, Some(ops_now.clone()), "{key:?}");
    }
    assert_eq!(r.find_role("nope").expect("find"), None);
    let random = uuid::Uuid::new_v4().to_string();
    assert_eq!(r.find_role(&random).expect("find"), None);
}

each_db!(create_role_refuses_an_existing_name_in_any_case, poolers);
fn create_role_refuses_an_existing_name_in_any_case(b: Via) {
    let (env, mut r, _) = three_roles(b);
    for name in ["Editor", "EDITOR", "administrator"] {
        let dup = new_role(name, false, false);
        refused(name, 4, r.create_role(&dup, &plain()));
    }
    assert_eq!(env.count("SELECT count(*) FROM directus_roles"), 4);
}

each_db!(the_standalone_schema_keeps_access_on_policies, poolers);
fn the_standalone_schema_keeps_access_on_policies(b: Via) {
    // As Directus 11 does.
    let (env, _r, [_, ops, _]) = three_roles(b);
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM directus_access a JOIN directus_policies p ON p.id = a.policy \
                     WHERE a.role = '{}' AND p.admin_access = true AND p.app_access = true",
            ops.id
        )),
        1,
    );
    if b == Backend::Sqlite {
        assert_eq!(
            env.value("SELECT group_concat(DISTINCT typeof(admin_access)) FROM directus_policies")
                .as_deref(),
            Some("integer"),
            "booleans as 0/1"
        );
    }
}

each_db!(find_role_refuses_an_ambiguous_name, poolers);
fn find_role_refuses_an_ambiguous_name(b: Via) {
    let (env, mut r) = standalone(b);
    for name in ["Twin", "twin"] {
        env.exec(&format!(
            "INSERT INTO directus_roles (id, name) VALUES ('{}', '{name}')",
            uuid::Uuid::new_v4()
        ));
    }
    refused("ambiguous", 2, r.find_role("TWIN"));
}

each_db!(roles_on_directus_are_listed_and_found, poolers);
fn roles_on_directus_are_listed_and_found(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let roles = r.list_roles().expect("roles");
        let summary: Vec<(&str, bool, bool, i64)> = roles
            .iter()
            .map(|x| (x.name.as_str(), x.admin_access, x.app_access, x.users))
            .collect();
        assert_eq!(
            summary,
            [("Administrator", true, true, 1), ("Editor", false, true, 3)],
            "{label}"
        );
        let by_name = r.find_role("editor").expect("find").map(|x| x.id);
        assert_eq!(by_name.as_deref(), Some(EDITOR_ROLE), "{label}");
        let by_id = r.find_role(EDITOR_ROLE).expect("find").map(|x| x.name);
        assert_eq!(by_id.as_deref(), Some("Editor"), "{label}");
    }
}

/// What grants a role admin and app access on Directus 10: its own columns, as 1/1.
#[track_caller]
fn role_grants_both_on_the_role(env: &TestEnv, id: &str) {
    assert_eq!(
        env.rows(&format!(
            "SELECT admin_access, app_access FROM directus_roles WHERE id = '{id}'"
        )),
        vec![vec![Some("1".into()), Some("1".into())]]
    );
}

/// Directus 11 reads admin access from a policy linked through directus_access,
/// which roster makes with new v4 ids.
#[track_caller]
fn role_grants_both_through_a_policy(env: &TestEnv, id: &str) {
    let links = env.rows(&format!(
        "SELECT a.id, p.id FROM directus_access a JOIN directus_policies p ON p.id = a.policy \
         WHERE a.role = '{id}' AND a.\"user\" IS NULL AND p.admin_access = true AND p.app_access = true"
    ));
    assert_eq!(links.len(), 1, "{links:?}");
    for id in links[0].iter().flatten() {
        is_v4_lower_case(id);
    }
}

each_db!(an_admin_role_made_on_directus_makes_administrators, poolers);
fn an_admin_role_made_on_directus_makes_administrators(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let ops = make_role(r.as_mut(), "Ops", true, false);
        assert!(ops.admin_access && ops.app_access, "{label}: {ops:?}");
        let u = add_user(r.as_mut(), "ops@example.com", &ops.id, Status::Active);
        assert!(u.is_admin, "{label}");
        if label == "directus11" {
            role_grants_both_through_a_policy(&env, &ops.id);
        } else {
            role_grants_both_on_the_role(&env, &ops.id);
        }
        // Now admin@ is no longer the last admin.
        r.change_status("admin@example.com", Change::Suspend, &plain())
            .expect("not last");
    }
}

each_db!(a_plain_role_made_on_directus_does_not, poolers);
fn a_plain_role_made_on_directus_does_not(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let viewer = make_role(r.as_mut(), "Viewer", false, true);
        let v = add_user(r.as_mut(), "viewer@example.com", &viewer.id, Status::Active);
        assert!(!v.is_admin, "{label}");
        let dup = new_role("editor", false, false);
        refused(label, 4, r.create_role(&dup, &plain()));
    }
}

#[test]
fn an_admin_role_made_on_directus_10_has_access_on_the_role() {
    let env = TestEnv::directus10();
    let mut r = repo(&env);
    let ops = make_role(r.as_mut(), "Ops", true, false);
    role_grants_both_on_the_role(&env, &ops.id);
}
