//! Another writer between an import's first reading and its write: the import,
//! held at its pause point (debug builds), sees the change under its lock.

use crate::common::*;
use crate::{PW, write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

/// An import of `path` started and held at its pause point, between its first
/// reading of the file and its write; writing the gate file releases it.
fn import_held(env: &TestEnv, flags: &[&str], path: &Path) -> (PathBuf, Child) {
    import_paused(env, "IMPORT_WRITE", flags, path)
}

/// An import of `path` started and held at the pause point `pause` (its
/// `ROSTER_PAUSE_…` name); writing the gate file releases it.
fn import_paused(env: &TestEnv, pause: &str, flags: &[&str], path: &Path) -> (PathBuf, Child) {
    let gate = env.dir.path().join("gate");
    let mut child = env
        .std_cmd()
        .arg("import")
        .args(flags)
        .arg(path)
        .env(format!("ROSTER_PAUSE_{pause}"), &gate)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start import");
    wait_for_pause(&gate, &mut child);
    (gate, child)
}

/// Releases a held import, which must then be refused (exit 4) having printed
/// nothing; its stderr.
fn refused(gate: &Path, child: Child) -> String {
    std::fs::write(gate, "").expect("release the import");
    let out = child.wait_with_output().expect("wait for import");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    err
}

each_db!(a_user_created_while_an_import_runs_stops_it);
fn a_user_created_while_an_import_runs_stops_it(b: Via) {
    let env = TestEnv::with_editor(b);
    let path = write(
        &env,
        "u.csv",
        &format!(
            "email,role,password,status\nann@example.com,Editor,{PW},\ncid@example.com,Editor,,active\n"
        ),
    );
    let (gate, child) = import_held(&env, &["--random-password"], &path);
    env.roster(["invite", "cid@example.com", "--role", "Editor"])
        .succeeds();
    let cid = |env: &TestEnv| {
        let audit = env.count("SELECT count(*) FROM directus_activity");
        let pw = env.col("cid@example.com", "password");
        (
            env.id_of("cid@example.com"),
            pw,
            env.status_of("cid@example.com"),
            audit,
        )
    };
    let before = cid(&env);
    let err = refused(&gate, child);
    assert_eq!(
        err,
        "error: line 3: cid@example.com was created, changed or deleted by another writer while this import ran; nothing was written\nhint: run the import again\n"
    );
    assert_eq!(cid(&env), before);
    assert_eq!((before.1.as_deref(), before.2.as_str()), (None, "invited"));
    let ann = "SELECT count(*) FROM directus_users WHERE email = 'ann@example.com'";
    assert_eq!(env.count(ann), 0);
}

each_db!(a_file_rewritten_while_an_import_waits_is_imported_as_it_was_read);
fn a_file_rewritten_while_an_import_waits_is_imported_as_it_was_read(b: Via) {
    // The rows are read twice (checked, then written); the second reading is of
    // the copy the first made, so what is written is what was checked.
    let env = TestEnv::with_editor(b);
    let path = write(&env, "u.csv", "email,role\nann@example.com,Editor\n");
    let (gate, child) = import_held(&env, &[], &path);
    std::fs::write(
        &path,
        "email,role\nann@example.com,Editor\nann@example.com,Nobody\n",
    )
    .expect("rewrite the file");
    std::fs::write(&gate, "").expect("release the import");
    let out = child.wait_with_output().expect("wait for import");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let users = "SELECT count(*) FROM directus_users WHERE email LIKE 'ann%'";
    assert_eq!(env.count(users), 1);
    assert_eq!(env.status_of("ann@example.com"), "invited");
}

each_db!(
    a_row_written_behind_the_locks_stops_the_import_whole,
    servers
);
/// Directus takes none of roster's locks: a user it creates after the import
/// read the users is found by the database itself, in the bulk write that runs
/// while the import reads on. That write's error is the import's, exit 4,
/// and nothing of the import is written.
fn a_row_written_behind_the_locks_stops_the_import_whole(b: Via) {
    let env = TestEnv::with_editor(b);
    let mut csv = String::from("email,role\n");
    for i in 0..12_000 {
        csv.push_str(&format!("user{i:05}@example.com,Editor\n"));
    }
    let path = write(&env, "u.csv", &csv);
    let (gate, child) = import_paused(&env, "IMPORT_LOCKED", &[], &path);
    let audit = env.count("SELECT count(*) FROM directus_activity");
    let editor = env
        .value("SELECT id FROM directus_roles WHERE name = 'Editor'")
        .unwrap();
    env.exec(&format!(
        "INSERT INTO directus_users (id, email, role, status) VALUES \
         ('00000000-0000-4000-8000-000000000001', 'user11111@example.com', '{editor}', 'active')"
    ));
    let err = refused(&gate, child);
    assert_eq!(
        env.count("SELECT count(*) FROM directus_users WHERE email LIKE 'user%'"),
        1
    );
    assert_eq!(env.status_of("user11111@example.com"), "active");
    assert_eq!(env.count("SELECT count(*) FROM directus_activity"), audit);
    assert!(
        err.starts_with("error: the database refused the change: "),
        "{err}"
    );
}
