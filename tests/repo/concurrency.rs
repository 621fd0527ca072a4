//! Concurrent writers through the repository.
use crate::common::{Via, each_db};

use super::*;

/// Runs `work` on `n` connections at once, each on its own thread.
fn race<T: Send + 'static>(
    env: &TestEnv,
    n: usize,
    work: impl Fn(usize, &mut dyn Repo) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let work = std::sync::Arc::new(work);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (target, work, barrier) = (target(env, false), work.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut r = match open(&target, connect_opts()) {
                    Ok(r) => r,
                    Err(e) => panic!("open: {e}"),
                };
                barrier.wait();
                work(i, r.as_mut())
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect()
}

each_db!(concurrent_creates_of_one_email_make_one_row, poolers);
fn concurrent_creates_of_one_email_make_one_row(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    for round in 0..3 {
        let email = format!("race{round}@example.com");
        let (e, role) = (email.clone(), editor.clone());
        let results = race(&env, 4, move |_, r| {
            r.create_user(&new_user(&e, Some(&role), Status::Active), &plain())
                .map(|_| ())
                .map_err(|err| err.exit_code())
        });
        let ok = results.iter().filter(|x| x.is_ok()).count();
        assert_eq!(ok, 1, "{results:?}");
        assert!(
            results.iter().all(|x| matches!(x, Ok(()) | Err(4))),
            "{results:?}"
        );
        assert_eq!(
            env.count(&format!(
                "SELECT count(*) FROM directus_users WHERE lower(email) = '{email}'"
            )),
            1,
        );
    }
}

each_db!(concurrent_suspends_never_remove_the_last_admin, poolers);
fn concurrent_suspends_never_remove_the_last_admin(b: Via) {
    let (env, mut r) = standalone(b);
    let admin_role = role_id(r.as_mut(), "Administrator");
    for round in 0..3 {
        let ids: Vec<String> = (0..2)
            .map(|i| {
                add_user(
                    r.as_mut(),
                    &format!("adm{round}-{i}@example.com"),
                    &admin_role,
                    Status::Active,
                )
                .id
            })
            .collect();
        let targets = ids.clone();
        let results = race(&env, 2, move |i, r| {
            r.change_status(&targets[i], Change::Suspend, &plain())
                .map(|_| ())
                .map_err(|err| err.exit_code())
        });
        let ok = results.iter().filter(|x| x.is_ok()).count();
        assert_eq!(ok, 1, "round {round}: {results:?}");
        assert!(results.contains(&Err(4)), "{results:?}");
        let active = ids
            .iter()
            .filter(|id| column(&env, id, "status").as_deref() == Some("active"))
            .count();
        assert_eq!(active, 1, "round {round}");
        // Leave no active admin from this round behind, so the next round has two.
        for id in &ids {
            r.change_status(id, Change::SoftDelete, &forced())
                .expect("cleanup");
        }
    }
}

each_db!(
    edit_user_writes_only_differences_and_guards_the_last_admin,
    poolers
);
fn edit_user_writes_only_differences_and_guards_the_last_admin(b: Via) {
    let (_env, mut r) = standalone(b);
    let admin = role_id(r.as_mut(), "Administrator");
    let staff = plain_role(r.as_mut(), "Staff");
    let ann = add_user(r.as_mut(), "ann@example.com", &admin, Status::Active);
    let title = |t: &str| Edit {
        profile: Profile::of(&[("title", t)]).unwrap(),
        ..Edit::default()
    };
    match r
        .edit_user("ANN@example.com", &title("Lead"), &plain())
        .expect("edit")
    {
        Changed::Done { user, .. } => {
            assert_eq!(user.profile.get("title"), Some("Lead"))
        }
        other => panic!("{other:?}"),
    }
    let again = r
        .edit_user(&ann.id, &title("Lead"), &plain())
        .expect("edit again");
    assert!(matches!(again, Changed::AlreadyThere(_)));
    let cleared = r.edit_user(&ann.id, &title(""), &dry()).expect("dry edit");
    assert!(matches!(cleared, Changed::Done { .. }));
    let still = r.find_user(&ann.id).expect("find").expect("ann");
    assert_eq!(
        still.profile.get("title"),
        Some("Lead"),
        "a dry run changes nothing"
    );

    let to_staff = Edit {
        role: Some(staff.clone()),
        ..Edit::default()
    };
    let err = fails("last admin", r.edit_user(&ann.id, &to_staff, &plain()));
    assert_eq!(err.exit_code(), 4);
    let forced_edit = r.edit_user(&ann.id, &to_staff, &forced()).expect("forced");
    let Changed::Done { user, .. } = forced_edit else {
        panic!("")
    };
    assert_eq!(user.role.as_deref(), Some(staff.as_str()));
    assert!(!user.is_admin);
}
