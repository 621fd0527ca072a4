//! Races beyond one email's creates: overlapping imports, the last two
//! administrators suspended at once, one token claimed twice. Every process ends
//! with a documented exit code and the database keeps its promises.

use crate::common::*;
use crate::common::{Via, each_db};
use std::process::{Command, Stdio};

/// Starts every command at once and returns their exit codes.
fn all_at_once(cmds: Vec<Command>) -> Vec<Option<i32>> {
    let children: Vec<_> = cmds
        .into_iter()
        .map(|mut c| {
            c.stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            c.spawn().expect("start")
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait").status.code())
        .collect()
}

each_db!(overlapping_imports_never_make_two_rows_for_one_email);
fn overlapping_imports_never_make_two_rows_for_one_email(b: Via) {
    let env = TestEnv::with_editor(b);
    let mut csv = String::from("email\n");
    for i in 0..50 {
        csv.push_str(&format!("Shared{i}@Example.com\n"));
    }
    let cmds = (0..6)
        .map(|i| {
            let file = env.dir.path().join(format!("part{i}.csv"));
            let text = if i % 2 == 0 {
                csv.clone()
            } else {
                csv.to_lowercase()
            };
            std::fs::write(&file, text).unwrap();
            let mut c = env.std_cmd();
            c.args(["--busy-timeout", "30000", "import", "--role", "Editor"])
                .arg(&file);
            c
        })
        .collect();
    let codes = all_at_once(cmds);
    assert_eq!(
        codes.iter().filter(|c| **c == Some(0)).count(),
        1,
        "{codes:?}"
    );
    assert!(
        codes.iter().all(|c| matches!(c, Some(0) | Some(4))),
        "{codes:?}"
    );
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 50,);
    assert_eq!(
        env.count("SELECT count(DISTINCT lower(email)) FROM directus_users"),
        50
    );
}

each_db!(the_last_two_administrators_suspended_at_once_leave_one);
fn the_last_two_administrators_suspended_at_once_leave_one(b: Via) {
    for _ in 0..3 {
        let env = TestEnv::standalone(b);
        for email in ["a1@example.com", "a2@example.com"] {
            env.roster(["create", email, "--role", "Administrator"])
                .args(["--password-env", "PW"])
                .env("PW", "Adm1n-Passw0rd!")
                .succeeds();
        }
        let cmds = ["a1@example.com", "a2@example.com"]
            .iter()
            .map(|e| {
                let mut c = env.std_cmd();
                c.args(["--busy-timeout", "30000", "suspend", e]);
                c
            })
            .collect();
        let mut codes = all_at_once(cmds);
        codes.sort();
        assert_eq!(codes, [Some(0), Some(4)]);
        assert_eq!(
            env.count("SELECT count(*) FROM directus_users WHERE status = 'active'"),
            1
        );
    }
}

each_db!(one_token_claimed_by_two_users_at_once_goes_to_one);
fn one_token_claimed_by_two_users_at_once_goes_to_one(b: Via) {
    let env = TestEnv::with_editor(b);
    for email in [
        "t1@example.com",
        "t2@example.com",
        "t3@example.com",
        "t4@example.com",
    ] {
        env.invite(email, "Editor");
    }
    let token = "race-token-0123456789abcdefghijklmnopqr";
    let cmds = [
        "t1@example.com",
        "t2@example.com",
        "t3@example.com",
        "t4@example.com",
    ]
    .iter()
    .map(|e| {
        let mut c = env.std_cmd();
        c.args(["--busy-timeout", "30000", "set-token", e, "--stdin"]);
        c
    })
    .collect::<Vec<_>>();
    let children: Vec<_> = cmds
        .into_iter()
        .map(|mut c| {
            c.stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut child = c.spawn().expect("start");
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            writeln!(stdin, "{token}").expect("token");
            child
        })
        .collect();
    let mut codes: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait").status.code())
        .collect();
    codes.sort();
    assert_eq!(codes, [Some(0), Some(4), Some(4), Some(4)]);
    assert_eq!(
        env.count(&format!(
            "SELECT count(*) FROM directus_users WHERE token = '{token}'"
        )),
        1
    );
}

each_db!(eight_concurrent_revivals_of_one_soft_deleted_email_make_one_live_row);
fn eight_concurrent_revivals_of_one_soft_deleted_email_make_one_live_row(b: Via) {
    let env = TestEnv::with_editor(b);
    let id = env.invite("gone@example.com", "Editor");
    env.roster(["soft-delete", "gone@example.com", "--yes"])
        .succeeds();
    let spellings = ["gone@example.com", "Gone@Example.com", "GONE@EXAMPLE.COM"];
    let cmds = (0..8)
        .map(|i| {
            // create, not invite: an invite of a user already invited is a no-op.
            let mut c = env.std_cmd();
            c.args(["--busy-timeout", "30000", "create", spellings[i % 3]])
                .args(["--role", "Editor", "--password-env", "RACE_PW"])
                .env("RACE_PW", "Race-Passw0rd!");
            c
        })
        .collect();
    let mut codes = all_at_once(cmds);
    codes.sort();
    let mut expected = vec![Some(4); 7];
    expected.insert(0, Some(0));
    assert_eq!(codes, expected, "one revival, seven conflicts");
    assert_eq!(
        env.count("SELECT count(*) FROM directus_users WHERE lower(email) = 'gone@example.com'"),
        1,
        "the row is revived, never duplicated"
    );
    assert_eq!(env.id_of("gone@example.com"), id, "the same row");
    assert_eq!(env.status_of("gone@example.com"), "active");
}

each_db!(suspends_and_unsuspends_racing_on_one_user_end_in_a_documented_state);
fn suspends_and_unsuspends_racing_on_one_user_end_in_a_documented_state(b: Via) {
    let env = TestEnv::with_editor(b);
    env.user_with_status("flip@example.com", "Editor", "active");
    let cmds = (0..8)
        .map(|i| {
            let verb = if i % 2 == 0 { "suspend" } else { "unsuspend" };
            let mut c = env.std_cmd();
            c.args(["--busy-timeout", "30000", verb, "flip@example.com"]);
            c
        })
        .collect();
    let codes = all_at_once(cmds);
    // A change the status no longer allows is exit 4; nothing else is possible.
    assert!(
        codes.iter().all(|c| matches!(c, Some(0) | Some(4))),
        "{codes:?}"
    );
    assert!(codes.contains(&Some(0)), "{codes:?}");
    let status = env.status_of("flip@example.com");
    assert!(
        ["active", "suspended"].contains(&status.as_str()),
        "{status}"
    );
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 1);
}

each_db!(a_create_and_an_import_of_one_email_at_once_make_one_row);
fn a_create_and_an_import_of_one_email_at_once_make_one_row(b: Via) {
    for _ in 0..3 {
        let env = TestEnv::with_editor(b);
        let file = env.dir.path().join("one.csv");
        std::fs::write(&file, "email\nBoth@Example.com\n").unwrap();
        let mut import = env.std_cmd();
        import
            .args(["--busy-timeout", "30000", "import", "--role", "Editor"])
            .arg(&file);
        // create, not invite: an invite of a user already invited is a no-op.
        let mut create = env.std_cmd();
        create.args(["--busy-timeout", "30000", "create", "both@example.com"]);
        create.args(["--role", "Editor", "--password-env", "RACE_PW"]);
        create.env("RACE_PW", "Race-Passw0rd!");
        let mut codes = all_at_once(vec![import, create]);
        codes.sort();
        assert_eq!(codes, [Some(0), Some(4)]);
        assert_eq!(
            env.count(
                "SELECT count(*) FROM directus_users WHERE lower(email) = 'both@example.com'"
            ),
            1,
        );
    }
}

each_db!(the_last_two_administrators_demoted_at_once_leave_one);
fn the_last_two_administrators_demoted_at_once_leave_one(b: Via) {
    let env = TestEnv::with_editor(b);
    for email in ["d1@example.com", "d2@example.com"] {
        env.user_with_status(email, "Administrator", "active");
    }
    let cmds = ["d1@example.com", "d2@example.com"]
        .iter()
        .map(|e| {
            let mut c = env.std_cmd();
            c.args(["--busy-timeout", "30000", "edit", e, "--role", "Editor"]);
            c
        })
        .collect();
    let mut codes = all_at_once(cmds);
    codes.sort();
    assert_eq!(codes, [Some(0), Some(4)]);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM directus_users u JOIN directus_roles r ON r.id = u.role \
                 WHERE u.status = 'active' AND r.name = 'Administrator'"
        ),
        1,
    );
}

each_db!(a_forget_racing_a_reviving_create_never_erases_a_live_user);
fn a_forget_racing_a_reviving_create_never_erases_a_live_user(b: Via) {
    let env = TestEnv::with_editor(b);
    let id = env.invite("gone@example.com", "Editor");
    env.roster(["soft-delete", "gone@example.com", "--yes"])
        .succeeds();
    // The create revives the row and is held before its COMMIT; the forget,
    // started meanwhile, must wait for it and then find a live user.
    let gate = env.dir.path().join("gate");
    let mut create = env.std_cmd();
    create
        .args(["invite", "gone@example.com", "--role", "Editor"])
        .env("ROSTER_PAUSE_BEFORE_COMMIT", &gate)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut create = create.spawn().expect("start create");
    wait_for_pause(&gate, &mut create);
    let mut forget = env.std_cmd();
    forget
        .args(["--busy-timeout", "30000", "forget", "gone@example.com"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let forget = forget.spawn().expect("start forget");
    std::thread::sleep(std::time::Duration::from_millis(700));
    std::fs::write(&gate, "").expect("release the create");
    assert_eq!(create.wait().expect("create").code(), Some(0));
    let forgot = forget.wait_with_output().expect("forget");
    assert_eq!(forgot.status.code(), Some(4), "{forgot:?}");
    assert_eq!(
        String::from_utf8_lossy(&forgot.stderr),
        "error: gone@example.com is invited: only a soft-deleted user can be forgotten (run `roster soft-delete` first)\n"
    );
    assert_eq!(
        env.id_of("gone@example.com"),
        id,
        "the live user keeps the email"
    );
    assert_eq!(env.status_of("gone@example.com"), "invited");
}
