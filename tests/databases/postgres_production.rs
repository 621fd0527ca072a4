//! PostgreSQL as production runs it: a read-only server (a standby, or
//! `default_transaction_read_only`), multi-host URLs that skip a dead host,
//! libpq's environment, and servers that accept a connection and never answer.
//! The last need no server; the others are skipped when ROSTER_TEST_POSTGRES_URL
//! is not set, and also run through each configured PgBouncer where it matters.

use crate::common::{TestEnv, Via, bare_cmd, each_db, stderr_of, stdout_of};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::str::FromStr;
use std::time::{Duration, Instant};

const READ_ONLY: &str = "error: the PostgreSQL server is read-only (a standby, or default_transaction_read_only is on); nothing was changed\n\
hint: connect to the primary: list every host in the URL with target_session_attrs=read-write (postgres://h1,h2/db?target_session_attrs=read-write), or give the primary's address\n";

/// The test database's name, user, host and port, from the URL roster is given.
fn parts(url: &str) -> (String, String, String, u16) {
    let c = postgres::Config::from_str(url).expect("URL parses");
    let host = match c.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".to_string(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432);
    let user = c.get_user().unwrap_or("postgres").to_string();
    (c.get_dbname().unwrap_or("").to_string(), user, host, port)
}

each_db!(
    a_write_on_a_read_only_server_exits_6_naming_the_way_to_the_primary,
    postgres
);
fn a_write_on_a_read_only_server_exits_6_naming_the_way_to_the_primary(via: Via) {
    let env = TestEnv::with_editor(via);
    env.invite("before@example.com", "Editor");
    let (db, ..) = parts(&env.url);
    // New sessions read the setting: end the old ones, a pooler's included.
    env.exec(&format!(
        "ALTER DATABASE {db} SET default_transaction_read_only = on; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{db}' AND pid <> pg_backend_pid()"
    ));
    env.roster(["create", "new@example.com", "--role", "Editor"])
        .args(["--password-env", "ROSTER_TEST_PW"])
        .env("ROSTER_TEST_PW", "Read-Only-123!")
        .fails(6)
        .stderr(READ_ONLY)
        .db_unchanged();
    env.roster(["suspend", "before@example.com"])
        .fails(6)
        .stderr(READ_ONLY)
        .db_unchanged();

    // Reading still works: a standby serves list and show.
    let csv = env.roster(["list", "--format", "csv"]).succeeds().out();
    assert!(csv.contains("before@example.com"), "{csv}");
}

each_db!(
    a_multi_host_url_skips_a_dead_host_and_writes_on_the_primary,
    postgres
);
fn a_multi_host_url_skips_a_dead_host_and_writes_on_the_primary(via: Via) {
    let env = TestEnv::with_editor(via);
    let (db, user, host, port) = parts(&env.url);
    // Port 1 refuses at once: libpq's rule is to try the next host.
    let url = format!(
        "postgres://{user}@127.0.0.1:1,{host}:{port}/{db}?target_session_attrs=read-write&sslmode=disable"
    );
    env.bare(["-d", &url, "--no-input", "invite", "multi@example.com"])
        .args(["--role", "Editor"])
        .succeeds();
    assert_eq!(env.status_of("multi@example.com"), "invited");

    // Every host dead: exit 6 naming them all.
    let dead = format!("postgres://{user}@127.0.0.1:1,127.0.0.1:2/{db}?sslmode=disable");
    let line = env
        .bare(["-d", &dead, "--no-input", "list"])
        .fails(6)
        .error_line();
    assert!(
        line.starts_with(&format!(
            "error: cannot connect to PostgreSQL at 127.0.0.1:1,127.0.0.1:2/{db}: "
        )),
        "{line}"
    );
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn libpq_variables_fill_what_the_url_leaves_out() {
    let via = Via::POSTGRES.require();
    let env = TestEnv::with_editor(via);
    env.invite("env@example.com", "Editor");
    let (db, user, host, port) = parts(&env.url);
    let ran = env
        .bare(["-d", "postgres://", "--no-input", "list", "--format", "csv"])
        .env("PGHOST", &host)
        .env("PGPORT", port.to_string())
        .env("PGUSER", &user)
        .env("PGDATABASE", &db)
        .env("PGSSLMODE", "disable")
        .succeeds();
    assert!(ran.out().contains("env@example.com"), "{}", ran.err());

    // PGSSLMODE is read: a value libpq does not know is a configuration error.
    env.bare(["-d", &env.url, "--no-input", "list"])
        .env("PGSSLMODE", "sometimes")
        .fails(2)
        .stderr("error: sslmode=sometimes is not supported: use disable, prefer, require, verify-ca or verify-full\n");
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn roster_names_itself_in_pg_stat_activity() {
    let via = Via::POSTGRES.require();
    let env = TestEnv::standalone(via);
    let (db, ..) = parts(&env.url);
    let opts = roster::repo::ConnectOpts {
        busy_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
        host_bound_credentials: false,
    };
    let target = roster::repo::Target::Postgres {
        url: env.url.clone(),
    };
    let repo = roster::repo::open(&target, opts).expect("open");
    let names = env.rows(&format!(
        "SELECT application_name FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()"
    ));
    assert_eq!(names, [[Some("roster".to_string())]]);
    drop(repo);
}

/// A server on a free local port that accepts connections; `login` makes it
/// finish the startup (no authentication) and then never answer a query, else
/// it never says anything at all.
fn silent_server(login: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            if login {
                finish_startup(&mut stream);
            }
            held.push(stream); // kept open, and silent
        }
    });
    port
}

/// Reads the startup packet and answers AuthenticationOk, then ReadyForQuery.
fn finish_startup(stream: &mut TcpStream) {
    let mut len = [0u8; 4];
    if stream.read_exact(&mut len).is_err() {
        return;
    }
    let mut body = vec![0u8; (u32::from_be_bytes(len) as usize).saturating_sub(4)];
    let _ = stream.read_exact(&mut body);
    let _ = stream.write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 0, b'Z', 0, 0, 0, 5, b'I']);
}

/// `roster list` against a silent server with a 1 s connect timeout from the config file.
fn list_against(port: u16, sslmode: &str) -> (String, Duration) {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("roster.toml"), "connect_timeout_s = 1\n").expect("config");
    let url = format!("postgres://postgres@127.0.0.1:{port}/silent?sslmode={sslmode}");
    let started = Instant::now();
    let out = bare_cmd(dir.path())
        .args(["--config", "roster.toml", "-d", &url, "--no-input", "list"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(6);
    assert!(stdout_of(&out).is_empty());
    (stderr_of(&out), started.elapsed())
}

const WAIT_LONGER: &str = "hint: wait longer with connect_timeout_s in the config file, PGCONNECT_TIMEOUT or connect_timeout= in the URL\n";

#[test]
fn a_server_that_accepts_and_never_answers_is_given_up_after_the_connect_timeout() {
    let port = silent_server(false);
    for sslmode in ["disable", "prefer", "require"] {
        let (stderr, took) = list_against(port, sslmode);
        assert_eq!(
            stderr,
            format!(
                "error: PostgreSQL at 127.0.0.1:{port}/silent did not complete the connection (TCP, TLS and login) within 1 s\n{WAIT_LONGER}"
            ),
            "sslmode={sslmode}"
        );
        assert!(
            took < Duration::from_secs(10),
            "sslmode={sslmode}: took {took:?}"
        );
    }
}

#[test]
fn a_server_that_logs_in_and_never_answers_a_query_is_given_up_too() {
    let port = silent_server(true);
    let (stderr, took) = list_against(port, "disable");
    assert_eq!(
        stderr,
        format!(
            "error: PostgreSQL at 127.0.0.1:{port}/silent accepted the login but did not answer a first query within 1 s\n{WAIT_LONGER}"
        )
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}
