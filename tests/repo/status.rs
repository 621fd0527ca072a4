//! Status transitions (spec §3) on the standalone schema and on Directus.
use crate::common::{Via, each_db};

use super::*;

#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Changed::Done, now shown as this status.
    To(&'static str),
    /// Changed::AlreadyThere.
    Same,
    /// A conflict (exit 4) naming the current status.
    Refused,
}

/// Every (stored status, change) pair: the table of spec §3, the no-ops and the refusals.
const TRANSITIONS: &[(&str, Change, Expect)] = &[
    ("invited", Change::Activate, Expect::To("active")),
    ("draft", Change::Activate, Expect::To("active")),
    ("active", Change::Activate, Expect::Same),
    ("suspended", Change::Activate, Expect::Refused),
    ("deleted", Change::Activate, Expect::Refused),
    // Directus's public registration: activate approves, suspend blocks.
    ("unverified", Change::Activate, Expect::To("active")),
    ("draft", Change::Suspend, Expect::To("suspended")),
    ("invited", Change::Suspend, Expect::To("suspended")),
    ("active", Change::Suspend, Expect::To("suspended")),
    ("suspended", Change::Suspend, Expect::Same),
    ("deleted", Change::Suspend, Expect::Refused),
    ("unverified", Change::Suspend, Expect::To("suspended")),
    ("suspended", Change::Unsuspend, Expect::To("active")),
    ("active", Change::Unsuspend, Expect::Same),
    ("invited", Change::Unsuspend, Expect::Refused),
    ("draft", Change::Unsuspend, Expect::Refused),
    ("deleted", Change::Unsuspend, Expect::Refused),
    ("unverified", Change::Unsuspend, Expect::Refused),
    ("draft", Change::SoftDelete, Expect::To("deleted")),
    ("invited", Change::SoftDelete, Expect::To("deleted")),
    ("active", Change::SoftDelete, Expect::To("deleted")),
    ("suspended", Change::SoftDelete, Expect::To("deleted")),
    ("unverified", Change::SoftDelete, Expect::To("deleted")),
    ("deleted", Change::SoftDelete, Expect::Same),
];

/// Checks what a change from stored status `raw` (shown as `from`) of user `id`
/// returned. Gives back the status it now shows (None: still `raw`) and how
/// many of its one session are left, with why.
fn outcome(
    case: &str,
    (id, from, raw): (&str, &str, &str),
    expect: Expect,
    got: Result<Changed, Error>,
) -> (Option<&'static str>, i64, &'static str) {
    match (expect, got) {
        (Expect::To(to), Ok(Changed::Done { from: was, user })) => {
            assert_eq!(was, Status::from_db(raw), "{case}");
            assert_eq!((user.id.as_str(), user.status.as_str()), (id, to), "{case}");
            (Some(to), 0, "a status change ends sessions")
        }
        (Expect::Same, Ok(Changed::AlreadyThere(user))) => {
            assert_eq!(
                (user.id.as_str(), user.status.as_str()),
                (id, from),
                "{case}"
            );
            (None, 1, "a no-op changes nothing")
        }
        (Expect::Refused, Err(e)) => {
            assert_eq!(e.exit_code(), 4, "{case}: {e}");
            let named = e.to_string().contains(from);
            assert!(named, "{case}: message names the status: {e}");
            (None, 1, "a refusal changes nothing")
        }
        (_, got) => panic!("{case}: expected {expect:?}, got {got:?}"),
    }
}

/// Runs every transition on fresh users of `role`; `deleted` is the stored word.
fn check_transitions(label: &str, env: &TestEnv, r: &mut dyn Repo, role: &str, deleted: &str) {
    let stored = |shown: &str| match shown {
        "deleted" => deleted.to_string(),
        _ => shown.to_string(),
    };
    for (i, &(from, change, expect)) in TRANSITIONS.iter().enumerate() {
        let email = format!("t{i}@example.com");
        let u = add_user(r, &email, role, Status::Active);
        let raw = stored(from);
        set_stored_status(env, &u.id, &raw);
        env.add_session(&format!("session-{i}"), &u.id);
        // Half the cases name the user by id, half by email in capitals.
        let key = if i % 2 == 0 {
            u.id.clone()
        } else {
            email.to_uppercase()
        };
        let case = format!("{label}: {change:?} from {from} (#{i})");
        let got = r.change_status(&key, change, &plain());
        let (to, sessions, why) = outcome(&case, (&u.id, from, &raw), expect, got);
        let status = to.map_or(raw, stored);
        assert_eq!(column(env, &u.id, "status"), Some(status), "{case}");
        assert_eq!(sessions_of(env, &u.id), sessions, "{case}: {why}");
    }
    let missing = r.change_status("nobody@example.com", Change::Suspend, &plain());
    refused(label, 3, missing);
}

each_db!(change_status_follows_the_transition_table, poolers);
fn change_status_follows_the_transition_table(b: Via) {
    let (env, mut r) = standalone(b);
    let editor = plain_role(r.as_mut(), "Editor");
    check_transitions("standalone", &env, r.as_mut(), &editor, "deleted");
}

each_db!(
    change_status_follows_the_transition_table_on_directus,
    poolers
);
fn change_status_follows_the_transition_table_on_directus(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        check_transitions(label, &env, r.as_mut(), EDITOR_ROLE, "archived");
    }
}

each_db!(change_status_on_directus_fixture_users, poolers);
fn change_status_on_directus_fixture_users(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let invited = find(r.as_mut(), "invited@example.com").id;
        let cases: [(&str, Change, &str); 4] = [
            (EDITOR_ID, Change::Suspend, "suspended"),
            (SUSPENDED_ID, Change::Unsuspend, "active"),
            (&invited, Change::Activate, "active"),
            (EDITOR_ID, Change::SoftDelete, "archived"),
        ];
        for (id, change, stored) in cases {
            let what = format!("{label}: {change:?} {id}");
            let (_, user) = done(r.change_status(id, change, &plain()).expect(&what));
            assert_eq!(user.status, Status::from_db(stored).as_str(), "{what}");
            assert_eq!(
                column(&env, id, "status").as_deref(),
                Some(stored),
                "{what}"
            );
        }
    }
}

each_db!(an_archived_directus_user_is_already_deleted, poolers);
fn an_archived_directus_user_is_already_deleted(b: Via) {
    for (label, env) in directus_envs(b) {
        let mut r = repo(&env);
        let delete = r.change_status("ARCHIVED@example.com", Change::SoftDelete, &plain());
        match delete {
            Ok(Changed::AlreadyThere(u)) => assert_eq!(u.status, "deleted", "{label}"),
            other => panic!("{label}: soft-delete archived: {other:?}"),
        }
        let suspend = r.change_status(ARCHIVED_ID, Change::Suspend, &plain());
        let err = refused(label, 4, suspend);
        assert!(err.to_string().contains("deleted"), "{label}: {err}");
        let status = column(&env, ARCHIVED_ID, "status");
        assert_eq!(status.as_deref(), Some("archived"), "{label}");
    }
}
