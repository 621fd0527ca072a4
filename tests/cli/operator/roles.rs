//! `roles create`, `roles rename` and `roles delete` on a Directus database.

use super::*;

each_db!(roles_create_if_not_exists_refuses_a_role_whose_access_differs);
fn roles_create_if_not_exists_refuses_a_role_whose_access_differs(b: Via) {
    let env = TestEnv::directus11(b);
    env.roster(["roles", "create", "Editor", "--if-not-exists", "--admin"])
        .fails(4)
        .stderr(
            "error: role Editor exists with admin = false, but admin = true was asked for\n\
             hint: `roster roles edit` changes a role's access\n",
        )
        .db_unchanged();
    env.roster([
        "roles",
        "create",
        "administrator",
        "--if-not-exists",
        "--admin",
    ])
    .succeeds();
}

/// The Directus fixture with a Staff role renamed to Crew.
fn with_crew(b: Via) -> TestEnv {
    let env = TestEnv::directus11(b);
    env.roster(["roles", "create", "Staff", "--app-access"])
        .succeeds();
    let err = env
        .roster(["roles", "rename", "staff", "EDITOR"])
        .code(4)
        .err();
    assert!(err.starts_with("error: a role named \"Editor\" already exists"));
    let err = env
        .roster(["roles", "rename", "staff", "Crew"])
        .succeeds()
        .err();
    assert!(err.starts_with("renamed role Staff to Crew"), "{err}");
    env
}

each_db!(roles_are_renamed_and_deleted_keeping_every_user_in_a_role);
fn roles_are_renamed_and_deleted_keeping_every_user_in_a_role(b: Via) {
    let env = with_crew(b);
    env.roster(["roles", "delete", "Editor"])
        .fails(4)
        .stderr("error: 3 users (and 1 soft-deleted) hold the role Editor: give --reassign OTHER to move them first\n")
        .db_unchanged();
    let err = env
        .roster(["roles", "delete", "Editor", "--reassign", "crew"])
        .succeeds()
        .err();
    assert!(err.starts_with("deleted role Editor, moving 4 users to Crew"));
    for table in ["directus_roles", "directus_access"] {
        let column = if table == "directus_roles" {
            "id"
        } else {
            "role"
        };
        let sql =
            format!("SELECT count(*) FROM {table} WHERE CAST({column} AS TEXT) = '{EDITOR_ROLE}'");
        assert_eq!(env.count(&sql), 0, "{sql}");
    }
    assert_eq!(
        env.count("SELECT count(*) FROM directus_users WHERE role IS NULL"),
        0
    );
}

each_db!(the_administrators_role_is_not_deleted_where_no_admin_is_left);
fn the_administrators_role_is_not_deleted_where_no_admin_is_left(b: Via) {
    let env = with_crew(b);
    env.roster(["roles", "delete", "Editor", "--reassign", "crew"])
        .succeeds();
    let ran = env
        .roster(["roles", "delete", "Administrator", "--reassign", "Crew"])
        .fails(4);
    let err = ran.db_unchanged().err();
    assert!(err.contains("would leave no active administrator"), "{err}");
}

each_db!(a_role_s_own_policy_follows_its_rename_and_goes_with_its_delete);
fn a_role_s_own_policy_follows_its_rename_and_goes_with_its_delete(b: Via) {
    let env = TestEnv::directus11(b);
    let policies = |env: &TestEnv| -> Vec<String> {
        env.rows("SELECT name FROM directus_policies ORDER BY name")
            .into_iter()
            .filter_map(|r| r[0].clone())
            .collect()
    };
    let before = policies(&env);
    env.roster(["roles", "create", "Ops", "--admin"]).succeeds();
    env.roster(["roles", "rename", "Ops", "Operators"])
        .succeeds();
    let mut renamed = before.clone();
    renamed.push("Operators".to_string());
    renamed.sort();
    assert_eq!(
        policies(&env),
        renamed,
        "the policy took the role's new name"
    );
    env.roster(["roles", "delete", "Operators"]).succeeds();
    assert_eq!(policies(&env), before, "no admin policy left behind");
    // A policy the role shares with another role is the project's: it stays.
    env.roster(["roles", "create", "Ops", "--admin"]).succeeds();
    let ops = env
        .value("SELECT id FROM directus_roles WHERE name = 'Ops'")
        .unwrap();
    let editor_access = format!(
        "INSERT INTO directus_access (id, role, policy, sort) SELECT '{}', '{EDITOR_ROLE}', p.id, 2 \
         FROM directus_policies p WHERE p.name = 'Ops'",
        "00000000-0000-4000-8000-0000000000aa"
    );
    env.exec(&editor_access);
    env.roster(["roles", "delete", &ops]).succeeds();
    assert!(
        policies(&env).contains(&"Ops".to_string()),
        "a shared policy stays"
    );
}

each_db!(roles_edit_changes_access_and_description_and_audits_it);
fn roles_edit_changes_access_and_description_and_audits_it(b: Via) {
    let env = TestEnv::directus11(b);
    let audited = "SELECT count(*) FROM directus_activity WHERE collection = 'directus_roles'";
    let before = env.count(audited);
    env.roster(["roles", "edit", "editor", "--admin"])
        .succeeds()
        .stderr("changed role Editor admin: false → true\n");
    let roles = env
        .roster(["roles", "list", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(roles[1]["name"], "Editor");
    assert_eq!(roles[1]["admin_access"], true);
    // The Editor's users are administrators now: the Administrator role may go.
    env.roster(["roles", "edit", "Administrator", "--no-admin"])
        .succeeds();
    env.roster(["roles", "edit", "Editor", "--no-admin", "--description", "Writes"])
        .fails(4)
        .stderr("error: taking admin access from Editor would leave no active administrator; roster will not lock everyone out (use --force to do it anyway)\n")
        .db_unchanged();
    env.roster([
        "roles",
        "edit",
        "Administrator",
        "--admin",
        "--description",
        "Everything",
    ])
    .succeeds()
    .stderr(
        "changed role Administrator admin: false → true\n\
             changed role Administrator description: $t:admin_description → Everything\n",
    );
    env.roster(["roles", "edit", "Administrator", "--admin"])
        .keeps_db()
        .succeeds()
        .stderr("role Administrator already is so; nothing to do\n")
        .db_unchanged();
    assert_eq!(env.count(audited), before + 3);
    assert_eq!(
        env.value("SELECT description FROM directus_roles WHERE name = 'Administrator'")
            .as_deref(),
        Some("Everything")
    );
    env.roster(["roles", "edit", "Editor"])
        .fails(2)
        .stderr("error: nothing to change: give --admin, --no-admin, --app-access, --no-app-access or --description\n");
}

each_db!(roles_edit_never_changes_a_policy_the_project_shares);
fn roles_edit_never_changes_a_policy_the_project_shares(b: Via) {
    let env = TestEnv::directus11(b);
    // The Editor policy gains a second role: it is the project's now, not the Editor's own.
    env.roster(["roles", "create", "Writer"]).succeeds();
    env.exec(
        "INSERT INTO directus_access (id, role, policy) SELECT '4f1b2c3d-0000-4000-8000-000000000001', r.id, p.id \
         FROM directus_roles r, directus_policies p WHERE r.name = 'Writer' AND p.name = 'Editor'",
    );
    env.roster(["roles", "edit", "Editor", "--no-app-access"])
        .fails(4)
        .stderr("error: role Editor's app access comes from policy \"Editor\", which roster did not make for it (it is shared, or holds permissions); change that policy in the Directus app\n");
    // Granting more needs no shared policy changed: a policy of the role's own is made.
    env.roster(["roles", "edit", "Editor", "--admin"])
        .succeeds();
    assert_eq!(
        env.count(
            "SELECT count(*) FROM directus_policies p JOIN directus_access a ON a.policy = p.id \
             JOIN directus_roles r ON r.id = a.role WHERE r.name = 'Editor'"
        ),
        2
    );
}
