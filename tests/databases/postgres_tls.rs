//! TLS to PostgreSQL over rustls, against the local server when it has TLS on
//! (Debian enables it with a self-signed "snakeoil" certificate for `localhost`).
//! Without TLS on the server these tests say so and pass: they cannot run there.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::Via;
use crate::common::{Run, TestEnv};

/// The server's certificate file, when the server has TLS on and the file is readable.
fn server_cert(env: &TestEnv) -> Option<String> {
    let on = env.value("SELECT setting FROM pg_settings WHERE name = 'ssl'");
    let file = env.value("SELECT setting FROM pg_settings WHERE name = 'ssl_cert_file'")?;
    if on.as_deref() != Some("on") || std::fs::read(&file).is_err() {
        eprintln!("skipping: the PostgreSQL server has no TLS certificate roster can read");
        return None;
    }
    Some(file)
}

/// The test database's URL with another host and sslmode options.
fn url_with(env: &TestEnv, host: &str, query: &str) -> String {
    let url = env
        .url
        .split('?')
        .next()
        .unwrap()
        .replace("127.0.0.1", host);
    format!("{url}?{query}")
}

/// `roster list` against a URL other than the test's own (`env.roster` names that one).
fn list<'a>(env: &'a TestEnv, url: &str) -> Run<'a> {
    env.bare(["-d", url, "--no-input", "list", "--format", "json"])
}

/// Whether the certificate names `localhost` (Debian's snakeoil certificate does).
fn names_localhost(cert: &str) -> bool {
    std::process::Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-subject",
            "-ext",
            "subjectAltName",
            "-in",
            cert,
        ])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("localhost"))
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn require_and_prefer_encrypt_without_checking_the_certificate() {
    let env = TestEnv::standalone(Via::POSTGRES.require());
    if server_cert(&env).is_none() {
        return;
    }
    list(&env, &url_with(&env, "127.0.0.1", "sslmode=require")).succeeds();
    list(&env, &url_with(&env, "127.0.0.1", "sslmode=prefer")).succeeds();
}

/// A self-signed certificate of its own, which did not sign the server's.
fn stranger_ca(env: &TestEnv) -> Option<String> {
    let path = env.dir.path().join("stranger.pem");
    let key = env.dir.path().join("stranger.key");
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&path)
        .output()
        .is_ok_and(|o| o.status.success());
    made.then(|| path.display().to_string())
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn verify_full_refuses_a_certificate_its_root_did_not_sign() {
    let env = TestEnv::standalone(Via::POSTGRES.require());
    if server_cert(&env).is_none() {
        return;
    }
    let Some(ca) = stranger_ca(&env) else {
        eprintln!("skipping: openssl cannot make a certificate here");
        return;
    };
    for mode in ["verify-full", "verify-ca", "require"] {
        let url = url_with(
            &env,
            "localhost",
            &format!("sslmode={mode}&sslrootcert={ca}"),
        );
        // Under --format json the error is one JSON object on stderr.
        let stderr = list(&env, &url).fails(6).err();
        let json: serde_json::Value = serde_json::from_str(&stderr).expect("a JSON error");
        let stderr = format!("error: {}\n", json["error"].as_str().unwrap_or_default());
        assert!(
            stderr.starts_with("error: cannot connect to PostgreSQL"),
            "{mode}: {stderr}"
        );
        assert!(stderr.contains("certificate"), "{mode}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn verify_full_accepts_the_given_root_and_checks_the_host_name() {
    let env = TestEnv::standalone(Via::POSTGRES.require());
    let Some(cert) = server_cert(&env) else {
        return;
    };
    if !names_localhost(&cert) {
        eprintln!("skipping: the server certificate does not name localhost");
        return;
    }
    let root = format!("sslmode=verify-full&sslrootcert={cert}");
    list(&env, &url_with(&env, "localhost", &root)).succeeds();
    // The same trusted certificate, reached by a name it does not carry: verify-full
    // refuses it, verify-ca (and require with a root) only check the chain.
    let err = list(&env, &url_with(&env, "127.0.0.1", &root))
        .fails(6)
        .err();
    assert!(err.contains("not valid for name"), "{err}");
    for mode in ["verify-ca", "require"] {
        let url = url_with(
            &env,
            "127.0.0.1",
            &format!("sslmode={mode}&sslrootcert={cert}"),
        );
        list(&env, &url).succeeds();
    }
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn bad_tls_options_are_usage_errors() {
    let env = TestEnv::standalone(Via::POSTGRES.require());
    let missing = url_with(
        &env,
        "localhost",
        "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
    );
    let err = list(&env, &missing).fails(2).err();
    assert!(err.contains("/nonexistent/ca.pem"), "{err}");
    let err = list(&env, &url_with(&env, "localhost", "sslmode=sometimes"))
        .fails(2)
        .err();
    assert!(err.contains("sslmode=sometimes"), "{err}");
}
