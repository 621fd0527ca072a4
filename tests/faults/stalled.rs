//! A server that stops answering after roster connected (here a proxy that
//! holds everything): the run ends with exit 6 saying what it waited for,
//! within twice the busy timeout plus a second, and nothing is written. A
//! connection lost at COMMIT says the outcome is unknown.

use crate::common::*;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// roster run through `proxy` with `args`, started and held at its pause point
/// `pause` (`ROSTER_PAUSE_<pause>`); writing the gate file releases it.
fn held_at(env: &TestEnv, proxy: &Proxy, pause: &str, args: &[&str]) -> (PathBuf, Child) {
    let gate = env.dir.path().join("gate");
    let url = proxy.url(&env.url);
    let mut child = bare_std_cmd(env.dir.path())
        .args(["-d", &url, "--no-input"])
        .args(args)
        .env(format!("ROSTER_PAUSE_{pause}"), &gate)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start roster");
    wait_for_pause(&gate, &mut child);
    (gate, child)
}

each_db!(a_server_that_stops_answering_ends_the_run, servers);
fn a_server_that_stops_answering_ends_the_run(b: Via) {
    let env = TestEnv::with_editor(b);
    let proxy = Proxy::in_front_of(&env.url);
    let path = env.dir.path().join("u.csv");
    std::fs::write(&path, "email,role\nann@example.com,Editor\n").expect("write file");
    let before = env.snapshot();
    let file = path.display().to_string();
    let args = ["--busy-timeout", "1000", "import", file.as_str()];
    let (gate, mut child) = held_at(&env, &proxy, "IMPORT_WRITE", &args);
    proxy.stall();
    let stalled = Instant::now();
    std::fs::write(&gate, "").expect("release the import");
    // Without its watchdog roster would wait forever: give up after 30 s.
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll import") {
            break status;
        }
        if stalled.elapsed() > Duration::from_secs(30) {
            child.kill().expect("kill import");
            panic!("roster still waited for the stalled server after 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let waited = stalled.elapsed();
    let mut err = String::new();
    let stderr = child.stderr.as_mut().expect("stderr");
    std::io::Read::read_to_string(stderr, &mut err).expect("read stderr");
    assert_eq!(status.code(), Some(6), "{err}");
    let db = env.url.rsplit('/').next().expect("database");
    assert_eq!(
        err,
        format!(
            "error: the database server at 127.0.0.1:{}/{db} did not answer for 3 s while roster waited for its answer to BEGIN; nothing was committed\nhint: check the server and the network to it; --busy-timeout waits longer\n",
            proxy.port
        )
    );
    assert!(
        waited >= Duration::from_secs(3) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
    drop(proxy);
    assert_eq!(env.snapshot(), before);
}

each_db!(
    a_connection_lost_at_commit_says_the_outcome_is_unknown,
    servers
);
fn a_connection_lost_at_commit_says_the_outcome_is_unknown(b: Via) {
    let env = TestEnv::with_editor(b);
    let proxy = Proxy::in_front_of(&env.url);
    let before = env.snapshot();
    let args = ["invite", "ann@example.com", "--role", "Editor"];
    let (gate, child) = held_at(&env, &proxy, "BEFORE_COMMIT", &args);
    proxy.cut();
    std::fs::write(&gate, "").expect("release the invite");
    let out = child.wait_with_output().expect("wait for invite");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{err}");
    let server = if b.backend == Backend::Mysql {
        "MySQL"
    } else {
        "PostgreSQL"
    };
    assert_eq!(
        err,
        format!(
            "error: the connection to {server} was lost while committing: the change may or may not have been made (check with `roster show`)\n"
        )
    );
    // Here the cut came before the COMMIT reached the server, which rolled back.
    drop(proxy);
    assert_eq!(env.snapshot(), before);
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn a_mariadb_init_cut_off_midway_never_says_nothing_was_changed() {
    let env = TestEnv::empty(Via::MYSQL.require());
    let proxy = Proxy::in_front_of(&env.url);
    let (gate, child) = held_at(&env, &proxy, "INIT_MIDWAY", &["init"]);
    proxy.cut();
    std::fs::write(&gate, "").expect("release init");
    let out = child.wait_with_output().expect("wait for init");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert!(!err.contains("nothing was changed"), "{err}");
    assert!(
        err.contains(
            "; init had made directus_roles, directus_policies, directus_users before it stopped\n"
        ),
        "{err}"
    );
    assert!(
        err.ends_with(
            "hint: if they are still there, `roster init` again makes the rest and finishes\n"
        ),
        "{err}"
    );
    drop(proxy);
    env.roster(["init"]).succeeds();
    env.roster(["list"]).succeeds();
}
