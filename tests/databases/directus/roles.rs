//! Admin roles on Directus databases: a role roster makes with `--admin`, and
//! admin access Directus grants through a user's own access row or a parent role.

use super::*;

/// `roster roles create Ops --admin`; returns the new role's id.
fn create_ops(env: &TestEnv) -> String {
    let ran = env.roster(["roles", "create", "Ops", "--admin"]).succeeds();
    let err = ran.err();
    assert!(err.contains("restart") && err.contains("cache"), "{err}");
    val(
        env,
        "SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = 'Ops'",
    )
}

each_fixture!(an_admin_role_made_by_roster_has_a_lower_case_v4_uuid);
fn an_admin_role_made_by_roster_has_a_lower_case_v4_uuid(env: &TestEnv) {
    let role = create_ops(env);
    assert!(
        uuid::Uuid::parse_str(&role).is_ok_and(|u| u.get_version_num() == 4),
        "{role}"
    );
    assert_eq!(role, role.to_lowercase());
}

each_db!(on_directus11_an_admin_role_is_linked_to_an_admin_policy);
fn on_directus11_an_admin_role_is_linked_to_an_admin_policy(b: Via) {
    let env = TestEnv::directus11(b);
    let role = create_ops(&env);
    let rows = env.rows(&format!(
        "SELECT CAST(p.id AS TEXT), \
           CASE WHEN p.admin_access THEN 1 ELSE 0 END, \
           CASE WHEN p.app_access THEN 1 ELSE 0 END, \
           CASE WHEN a.\"user\" IS NULL THEN 1 ELSE 0 END \
         FROM directus_access a JOIN directus_policies p ON p.id = a.policy \
         WHERE CAST(a.role AS TEXT) = '{role}'"
    ));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0][1..],
        [Some("1".to_string()), Some("1".into()), Some("1".into())],
        "admin policy linked to the role"
    );
}

#[test]
fn on_directus10_an_admin_role_has_admin_access_itself() {
    let env = TestEnv::directus10();
    let role = create_ops(&env);
    let rows = env.rows(&format!(
        "SELECT CASE WHEN admin_access THEN 1 ELSE 0 END, CASE WHEN app_access THEN 1 ELSE 0 END \
         FROM directus_roles WHERE id = '{role}'"
    ));
    assert_eq!(rows, [[Some("1".to_string()), Some("1".into())]]);
    assert!(!env.table_exists("directus_policies"));
}

each_fixture!(an_admin_role_made_by_roster_makes_its_users_admins);
fn an_admin_role_made_by_roster_makes_its_users_admins(env: &TestEnv) {
    let role = create_ops(env);
    create(env, "ops@example.com", "ops", NEW_PW).succeeds();
    let shown = shown(env, "ops@example.com");
    assert_eq!(shown["admin"], true, "{shown}");
    assert_eq!(shown["role"], "Ops");
    assert_eq!(shown["role_id"], role.as_str());
    // Two active admins now: the fixture admin may be suspended without --force.
    env.roster(["suspend", "admin@example.com"]).succeeds();
}

each_fixture!(a_role_made_without_admin_makes_no_admins);
fn a_role_made_without_admin_makes_no_admins(env: &TestEnv) {
    env.roster(["roles", "create", "Helpers"]).succeeds();
    create(env, "helper@example.com", "Helpers", NEW_PW).succeeds();
    assert_eq!(shown(env, "helper@example.com")["admin"], false);
}

/// Gives the editor the Administrator policy directly, as the Directus app allows.
fn editor_admin_by_own_access_row(env: &TestEnv) {
    let policy = val(
        env,
        "SELECT CAST(id AS TEXT) FROM directus_policies WHERE name = 'Administrator'",
    );
    env.exec(&format!(
        "INSERT INTO directus_access (id, role, \"user\", policy, sort) \
         VALUES ('11111111-1111-4111-8111-111111111111', NULL, '{EDITOR_ID}', '{policy}', 1)"
    ));
}

each_db!(admin_access_through_a_users_own_access_row_counts);
fn admin_access_through_a_users_own_access_row_counts(b: Via) {
    let env = TestEnv::directus11(b);
    editor_admin_by_own_access_row(&env);
    assert_eq!(shown(&env, "editor@example.com")["admin"], true);
    // Two active admins: either may go, but not both.
    env.roster(["suspend", "admin@example.com"]).succeeds();
    let line = env
        .roster(["suspend", "editor@example.com"])
        .fails(4)
        .error_line();
    assert!(
        line.starts_with("error: editor@example.com is the last active administrator"),
        "{line}"
    );
}

each_db!(admin_access_through_a_parent_role_counts);
fn admin_access_through_a_parent_role_counts(b: Via) {
    let env = TestEnv::directus11(b);
    editor_admin_by_own_access_row(&env);
    env.roster(["suspend", "admin@example.com"]).succeeds();
    env.roster(["roles", "create", "Parent", "--admin"])
        .succeeds();
    let parent = val(
        &env,
        "SELECT CAST(id AS TEXT) FROM directus_roles WHERE name = 'Parent'",
    );
    env.exec(&format!(
        "INSERT INTO directus_roles (id, name, parent) \
         VALUES ('22222222-2222-4222-8222-222222222222', 'Child', '{parent}')"
    ));
    create(&env, "kid@example.com", "Child", NEW_PW).succeeds();
    assert_eq!(shown(&env, "kid@example.com")["admin"], true);
    // The kid is an active admin, so the editor is not the last one.
    env.roster(["suspend", "editor@example.com"]).succeeds();
}
