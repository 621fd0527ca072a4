//! Roles: create, rename, delete, and what they grant.
use crate::common::{Via, each_db};

use super::*;

each_db!(roles_list_find_and_create, poolers);
fn roles_list_find_and_create(b: Via) {
    let (env, mut r) = standalone(b);
    let admin_role = role_id(r.as_mut(), "Administrator");

    let editor = r
        .create_role(
            &NewRole {
                name: "Editor".into(),
                admin_access: false,
                app_access: false,
                if_not_exists: false,
            },
            &plain(),
        )
        .expect("editor");
    assert_eq!(
        (editor.admin_access, editor.app_access, editor.users),
        (false, false, 0),
    );
    let ops = r
        .create_role(
            &NewRole {
                name: "Ops".into(),
                admin_access: true,
                app_access: false,
                if_not_exists: false,
            },
            &plain(),
        )
        .expect("ops");
    assert!(
        ops.admin_access && ops.app_access,
        "admin implies app access: {ops:?}"
    );
    let apps = r
        .create_role(
            &NewRole {
                name: "apps".into(),
                admin_access: false,
                app_access: true,
                if_not_exists: false,
            },
            &plain(),
        )
        .expect("apps");
    assert!(!apps.admin_access && apps.app_access, "{apps:?}");
    for role in [&editor, &ops, &apps] {
        let id = uuid::Uuid::parse_str(&role.id).expect("uuid");
        assert_eq!(id.get_version_num(), 4);
        assert_eq!(role.id, role.id.to_lowercase());
    }

    // Users of an admin role are administrators; others are not.
    let o = add_user(r.as_mut(), "ops@example.com", &ops.id, Status::Active);
    assert!(o.is_admin, "{o:?}");
    let a = add_user(r.as_mut(), "apps@example.com", &apps.id, Status::Active);
    assert!(!a.is_admin);
    let gone = add_user(r.as_mut(), "gone@example.com", &ops.id, Status::Active);
    r.change_status(&gone.id, Change::SoftDelete, &plain())
        .expect("delete");

    // Sorted by name, case-insensitively; deleted users are not counted.
    let roles = r.list_roles().expect("list");
    let names: Vec<&str> = roles.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["Administrator", "apps", "Editor", "Ops"]);
    let ops_now = Role {
        users: 1,
        ..ops.clone()
    };
    assert_eq!(roles[3], ops_now);
    assert_eq!(roles[0].id, admin_role);

    // Found by name in any case, or by id.
    for key in ["ops", "OPS", ops.id.as_str(), &ops.id.to_uppercase()] {
        assert_eq!(
            r.find_role(key).expect("find"),
            Some(ops_now.clone()),
            "{key:?}"
        );
    }
    assert_eq!(r.find_role("nope").expect("find"), None);
    assert_eq!(
        r.find_role(&uuid::Uuid::new_v4().to_string())
            .expect("find"),
        None,
    );

    // A name that exists, in any case, is a conflict.
    for name in ["Editor", "EDITOR", "administrator"] {
        let dup = NewRole {
            name: name.into(),
            admin_access: false,
            app_access: false,
            if_not_exists: false,
        };
        assert_eq!(
            fails(name, r.create_role(&dup, &plain())).exit_code(),
            4,
            "{name}"
        );
    }
    assert_eq!(env.count("SELECT count(*) FROM directus_roles"), 4);

    // The standalone schema keeps access on policies, as Directus 11 does.
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
    assert_eq!(fails("ambiguous", r.find_role("TWIN")).exit_code(), 2,);
}

each_db!(roles_on_directus, poolers);
fn roles_on_directus(b: Via) {
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
        assert_eq!(
            r.find_role("editor").expect("find").map(|x| x.id),
            Some(EDITOR_ROLE.into()),
            "{label}"
        );
        assert_eq!(
            r.find_role(EDITOR_ROLE).expect("find").map(|x| x.name),
            Some("Editor".into()),
            "{label}"
        );

        // An admin role made by roster makes its users administrators in that version.
        let ops = r
            .create_role(
                &NewRole {
                    name: "Ops".into(),
                    admin_access: true,
                    app_access: false,
                    if_not_exists: false,
                },
                &plain(),
            )
            .expect("ops");
        assert!(ops.admin_access && ops.app_access, "{label}: {ops:?}");
        let u = add_user(r.as_mut(), "ops@example.com", &ops.id, Status::Active);
        assert!(u.is_admin, "{label}");
        if label.starts_with("directus11") {
            // Directus 11 reads admin access from a policy linked through directus_access.
            let links = env.rows(&format!(
                "SELECT a.id, p.id FROM directus_access a JOIN directus_policies p ON p.id = a.policy \
                 WHERE a.role = '{}' AND a.\"user\" IS NULL AND p.admin_access = true AND p.app_access = true",
                ops.id
            ));
            assert_eq!(links.len(), 1, "{label}: {links:?}");
            for id in links[0].iter().flatten() {
                let parsed = uuid::Uuid::parse_str(id).expect("uuid");
                assert_eq!(parsed.get_version_num(), 4, "{label}: {id}");
                assert_eq!(*id, id.to_lowercase(), "{label}");
            }
        } else {
            assert_eq!(
                env.rows(&format!(
                    "SELECT admin_access, app_access FROM directus_roles WHERE id = '{}'",
                    ops.id
                )),
                vec![vec![Some("1".into()), Some("1".into())]],
                "{label}"
            );
        }
        let plain_one = r
            .create_role(
                &NewRole {
                    name: "Viewer".into(),
                    admin_access: false,
                    app_access: true,
                    if_not_exists: false,
                },
                &plain(),
            )
            .expect("viewer");
        let v = add_user(
            r.as_mut(),
            "viewer@example.com",
            &plain_one.id,
            Status::Active,
        );
        assert!(!v.is_admin, "{label}");
        let dup = NewRole {
            name: "editor".into(),
            admin_access: false,
            app_access: false,
            if_not_exists: false,
        };
        assert_eq!(
            fails(label, r.create_role(&dup, &plain())).exit_code(),
            4,
            "{label}"
        );

        // Now admin@ is no longer the last admin.
        r.change_status("admin@example.com", Change::Suspend, &plain())
            .expect("not last");
    }
    // 10.x: access on the role itself.
    let env = TestEnv::directus10();
    let mut r = repo(&env);
    let ops = r
        .create_role(
            &NewRole {
                name: "Ops".into(),
                admin_access: true,
                app_access: false,
                if_not_exists: false,
            },
            &plain(),
        )
        .expect("ops");
    assert_eq!(
        env.rows(&format!(
            "SELECT admin_access, app_access FROM directus_roles WHERE id = '{}'",
            ops.id
        )),
        vec![vec![Some("1".into()), Some("1".into())]]
    );
}
