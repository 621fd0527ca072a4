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
