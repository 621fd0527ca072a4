//! `invite --link`: a token the Directus app accepts, signed with the project's
//! SECRET (checked here with ring, an independent HMAC), on every backend.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too

use crate::common::{Run, TestEnv};
use crate::common::{Via, each_db};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const SECRET: &str = "a-long-random-project-secret-0123456789";

/// A Directus .env beside the database, holding the link settings.
fn env_file(env: &TestEnv, ttl: &str) -> String {
    let path = env.dir.path().join(".env");
    let text = format!(
        "KEY=\"k\"\nSECRET=\"string:{SECRET}\"\nPUBLIC_URL=\"https://cms.example.com/\"\nUSER_INVITE_TOKEN_TTL={ttl}\n"
    );
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The token's claims, after checking its header and HS256 signature with `secret`.
fn verified_claims(link: &str, secret: &str) -> serde_json::Value {
    claims_of(link, "accept-invite", secret)
}

/// The claims of a link to the app's `page`, its signature checked.
fn claims_of(link: &str, page: &str, secret: &str) -> serde_json::Value {
    let prefix = format!("https://cms.example.com/admin/{page}?token=");
    let token = link
        .strip_prefix(prefix.as_str())
        .unwrap_or_else(|| panic!("unexpected link {link}"));
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header, serde_json::json!({"alg": "HS256", "typ": "JWT"}));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    ring::hmac::verify(
        &key,
        format!("{}.{}", parts[0], parts[1]).as_bytes(),
        &signature,
    )
    .expect("the signature verifies with the project's secret");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
}

/// `--env-file FILE invite EMAIL --role Editor`, to which `--link` and more are added.
fn invite_with<'a>(env: &'a TestEnv, file: &str, email: &str) -> Run<'a> {
    env.roster(["--env-file", file, "invite", email, "--role", "Editor"])
}

each_db!(invite_link_is_a_directus_invite_token_signed_with_the_secret);
fn invite_link_is_a_directus_invite_token_signed_with_the_secret(b: Via) {
    let env = TestEnv::with_editor(b);
    let file = env_file(&env, "2h");
    let ran = invite_with(&env, &file, "New@Example.com")
        .arg("--link")
        .succeeds();
    let link = ran.out().trim().to_string();
    let claims = verified_claims(&link, SECRET);
    assert_eq!(claims["email"], "new@example.com");
    assert_eq!(claims["scope"], "invite");
    assert_eq!(claims["iss"], "directus");
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert_eq!(exp - iat, 7200);
    let err = ran.err();
    assert!(err.contains("invite link (valid until "), "{err}");
    assert_eq!(env.status_of("new@example.com"), "invited");
    // The same token does not verify under another secret.
    let token = link.rsplit('=').next().unwrap();
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let other = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"another secret");
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    assert!(ring::hmac::verify(&other, signed.as_bytes(), &signature).is_err());
}

each_db!(flags_override_the_env_file_and_json_carries_the_link);
fn flags_override_the_env_file_and_json_carries_the_link(b: Via) {
    let env = TestEnv::with_editor(b);
    let file = env_file(&env, "7d");
    let secret_file = env.dir.path().join("secret");
    std::fs::write(&secret_file, "from-a-file\n").unwrap();
    let json = env
        .roster([
            "--env-file",
            &file,
            "--format",
            "json",
            "invite",
            "a@example.com",
        ])
        .args(["--role", "Editor", "--link", "--invite-ttl", "30m"])
        .args(["--public-url", "https://cms.example.com", "--secret-file"])
        .arg(&secret_file)
        .succeeds()
        .json();
    assert_eq!(json["result"], "created");
    let claims = verified_claims(json["link"].as_str().unwrap(), "from-a-file");
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        1800
    );
    assert!(json["link_expires"].as_str().unwrap().ends_with('Z'));
}

each_db!(an_invited_user_gets_a_fresh_link_and_others_none);
fn an_invited_user_gets_a_fresh_link_and_others_none(b: Via) {
    let env = TestEnv::with_editor(b);
    let file = env_file(&env, "1d");
    let invite = |email: &str| {
        invite_with(&env, &file, email)
            .args(["--link", "--if-not-exists"])
            .succeeds()
    };
    invite("inv@example.com");
    verified_claims(invite("inv@example.com").out().trim(), SECRET);
    env.user_with_status("act@example.com", "Editor", "active");
    let active = invite("act@example.com");
    active.stdout("");
    let err = active.err();
    assert!(
        err.contains("no invite link: act@example.com is active"),
        "{err}"
    );
}

each_db!(missing_link_settings_are_usage_errors_that_change_nothing);
fn missing_link_settings_are_usage_errors_that_change_nothing(b: Via) {
    let env = TestEnv::with_editor(b);
    let invite = ["invite", "x@example.com", "--role", "Editor"];
    // No secret.
    let ran = env.roster(invite).arg("--link").fails(2);
    ran.db_unchanged().error_line();
    assert!(ran.err().contains("SECRET"), "{}", ran.err());
    let file = env_file(&env, "soon");
    let ran = invite_with(&env, &file, "x@example.com")
        .arg("--link")
        .fails(2);
    let err = ran.db_unchanged().err();
    assert!(err.contains("\"soon\" is not a lifetime"), "{err}");
    env.roster(invite)
        .args(["--public-url", "https://x"])
        .fails(2)
        .db_unchanged();
    // A dry run prints no link.
    invite_with(&env, &file, "x@example.com")
        .args(["--link", "--dry-run", "--invite-ttl", "1h"])
        .keeps_db()
        .succeeds()
        .stdout("")
        .db_unchanged();
}

/// A .env whose SECRET line is exactly `secret`.
fn env_with_secret(env: &TestEnv, secret: &str) -> String {
    let path = env.dir.path().join("typed.env");
    let text = format!("SECRET={secret}\nPUBLIC_URL=https://cms.example.com/\n");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

each_db!(secret_is_read_as_the_directus_of_the_database_reads_it);
fn secret_is_read_as_the_directus_of_the_database_reads_it(b: Via) {
    let refused = |kind: &str| {
        format!(
            "error: this Directus reads SECRET as {kind}, not text, and cannot sign links with it; neither does roster"
        )
    };
    // Directus 11.3 guesses types: digits are a number, a comma makes a list.
    let old = TestEnv::directus11(b);
    for (secret, kind) in [
        ("12345", "a number"),
        ("a,b", "a list"),
        ("true", "a boolean"),
    ] {
        let file = env_with_secret(&old, secret);
        invite_with(&old, &file, "n@example.com")
            .arg("-q")
            .arg("--link")
            .fails(2)
            .stderr_line(&refused(kind));
    }
    let file = env_with_secret(&old, "string:12345");
    let ran = invite_with(&old, &file, "n@example.com")
        .arg("-q")
        .arg("--link")
        .succeeds();
    verified_claims(ran.out().trim(), "12345");
    // Directus 12 reads SECRET as text unless a prefix says otherwise.
    let new = TestEnv::directus12(b);
    let file = env_with_secret(&new, "12345");
    let ran = invite_with(&new, &file, "n@example.com")
        .arg("-q")
        .arg("--link")
        .succeeds();
    verified_claims(ran.out().trim(), "12345");
    let file = env_with_secret(&new, "number:12345");
    invite_with(&new, &file, "m@example.com")
        .arg("-q")
        .arg("--link")
        .fails(2)
        .stderr_line(&refused("a number"));
}

/// Java's string hash as Directus's getSimpleHash computes it, written apart
/// from roster's: 64-bit arithmetic folded to 32 bits by hand.
fn java_hash_hex(text: &str) -> String {
    let mut h: i64 = 0;
    for unit in text.encode_utf16() {
        h = (h * 31 + i64::from(unit)) & 0xffff_ffff;
    }
    let signed = if h >= 1 << 31 { h - (1 << 32) } else { h };
    format!("{:x}", signed.abs())
}

each_db!(reset_link_is_directus_s_password_reset_token);
fn reset_link_is_directus_s_password_reset_token(b: Via) {
    let env = TestEnv::directus12(b);
    let file = env_file(&env, "2h");
    let ran = env
        .roster([
            "-q",
            "--env-file",
            &file,
            "reset-link",
            "Editor@Example.com",
        ])
        .succeeds();
    let claims = claims_of(ran.out().trim(), "reset-password", SECRET);
    let stored = env
        .value("SELECT password FROM directus_users WHERE email = 'editor@example.com'")
        .unwrap();
    assert_eq!(claims["email"], "editor@example.com");
    assert_eq!(claims["scope"], "password-reset");
    assert_eq!(claims["hash"], java_hash_hex(&stored));
    assert_eq!(claims["iss"], "directus");
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert_eq!(
        exp - iat,
        86_400,
        "a day, whatever USER_INVITE_TOKEN_TTL says"
    );
    let json = env
        .roster([
            "--env-file",
            &file,
            "--format",
            "json",
            "reset-link",
            "editor@example.com",
        ])
        .succeeds()
        .json();
    assert_eq!(json["email"], "editor@example.com");
    assert!(
        json["link"]
            .as_str()
            .unwrap()
            .contains("/admin/reset-password?token=")
    );
    // Only an active user who logs in with a password.
    env.roster([
        "-q",
        "--env-file",
        &file,
        "reset-link",
        "invited@example.com",
    ])
    .fails(4)
    .stderr(
        "error: invited@example.com is invited: Directus resets the password of active users only\n\
             hint: `roster invite --link` gives an invited user a link to choose a password\n",
    );
    env.exec("UPDATE directus_users SET provider = 'keycloak' WHERE email = 'editor@example.com'");
    env.roster(["-q", "--env-file", &file, "reset-link", "editor@example.com"])
        .fails(4)
        .stderr("error: editor@example.com logs in through keycloak: Directus resets passwords of local accounts only\n");
}

/// A real SMTP server (aiosmtpd) writing what it gets to a maildir, for one test.
struct SmtpSink {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts one, or `None` (the test is skipped) where aiosmtpd is missing and
    /// ROSTER_REQUIRE_SMTP is not set; CI sets it, and installs aiosmtpd.
    fn start() -> Option<SmtpSink> {
        // The first Python that has it: a pyenv's may not, Debian's package may.
        let python = ["python3", "/usr/bin/python3"].into_iter().find(|p| {
            std::process::Command::new(p)
                .args(["-c", "import aiosmtpd"])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        let Some(python) = python else {
            let required = std::env::var("ROSTER_REQUIRE_SMTP").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "ROSTER_REQUIRE_SMTP=1 but python3 has no aiosmtpd"
            );
            eprintln!("skipped: python3 has no aiosmtpd (apt install python3-aiosmtpd)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(dir.path().join("mail").join(sub)).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = std::process::Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(SmtpSink { child, port, dir });
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on port {port}");
    }

    /// The messages delivered so far, as text with quoted-printable undone.
    fn messages(&self) -> Vec<String> {
        let new = self.dir.path().join("mail").join("new");
        let mut all: Vec<String> = std::fs::read_dir(new)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .map(|m| {
                m.replace("=\r\n", "")
                    .replace("=\n", "")
                    .replace("=3D", "=")
            })
            .collect();
        all.sort();
        all
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A .env that signs links and mails through `port`.
fn mail_env(env: &TestEnv, port: u16) -> String {
    let path = env.dir.path().join("mail.env");
    let text = format!(
        "SECRET={SECRET}\nPUBLIC_URL=https://cms.example.com/\nEMAIL_TRANSPORT=smtp\nEMAIL_SMTP_HOST=127.0.0.1\n\
         EMAIL_SMTP_PORT={port}\nEMAIL_FROM=cms@example.com\n"
    );
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The link a delivered message holds for the app's `page`.
fn mailed_link(message: &str, page: &str) -> String {
    let start = message
        .find(&format!("https://cms.example.com/admin/{page}?token="))
        .unwrap_or_else(|| panic!("no {page} link in {message}"));
    message[start..]
        .split(|c: char| c.is_whitespace() || c == '"')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn invitations_and_reset_links_are_mailed_as_directus_mails_them() {
    let Some(smtp) = SmtpSink::start() else {
        return;
    };
    let env = TestEnv::directus12(crate::common::Backend::Sqlite);
    let file = mail_env(&env, smtp.port);
    // A dry run mails nothing.
    env.roster([
        "-q",
        "--env-file",
        &file,
        "invite",
        "new@example.com",
        "--role",
        "Editor",
        "--send",
        "--dry-run",
    ])
    .succeeds()
    .stdout("");
    assert!(smtp.messages().is_empty());
    env.roster([
        "-q",
        "--env-file",
        &file,
        "invite",
        "new@example.com",
        "--role",
        "Editor",
        "--send",
    ])
    .succeeds()
    .stdout("");
    env.roster([
        "-q",
        "--env-file",
        &file,
        "reset-link",
        "editor@example.com",
        "--send",
    ])
    .succeeds()
    .stdout("");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let invite = messages
        .iter()
        .find(|m| m.contains("To: new@example.com"))
        .unwrap();
    assert!(invite.contains("Subject: You've been invited"), "{invite}");
    assert!(
        invite.contains("From: Directus <cms@example.com>"),
        "{invite}"
    );
    let claims = claims_of(
        &mailed_link(invite, "accept-invite"),
        "accept-invite",
        SECRET,
    );
    assert_eq!(claims["email"], "new@example.com");
    assert_eq!(claims["scope"], "invite");
    let reset = messages
        .iter()
        .find(|m| m.contains("To: editor@example.com"))
        .unwrap();
    assert!(reset.contains("Subject: Password Reset Request"), "{reset}");
    let claims = claims_of(
        &mailed_link(reset, "reset-password"),
        "reset-password",
        SECRET,
    );
    assert_eq!(claims["scope"], "password-reset");
}

#[test]
fn a_mail_that_cannot_go_keeps_the_user_and_prints_the_link() {
    let env = TestEnv::directus12(crate::common::Backend::Sqlite);
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let file = mail_env(&env, port);
    let ran = env
        .roster([
            "-q",
            "--env-file",
            &file,
            "invite",
            "new@example.com",
            "--role",
            "Editor",
            "--send",
        ])
        .code(7);
    let claims = claims_of(ran.out().trim(), "accept-invite", SECRET);
    assert_eq!(claims["email"], "new@example.com");
    assert!(
        ran.err()
            .starts_with("error: the mail to new@example.com was not sent: "),
        "{}",
        ran.err()
    );
    assert_eq!(env.status_of("new@example.com"), "invited");
    // Mail settings that cannot work are refused before anything is written.
    std::fs::write(
        &file,
        "SECRET=s\nPUBLIC_URL=https://cms.example.com/\nEMAIL_TRANSPORT=smtp\n",
    )
    .unwrap();
    env.roster([
        "-q",
        "--env-file",
        &file,
        "invite",
        "other@example.com",
        "--role",
        "Editor",
        "--send",
    ])
    .fails(2)
    .stderr(&format!(
        "error: {file}: EMAIL_TRANSPORT is smtp, but EMAIL_SMTP_HOST is not set\n"
    ));
}

#[test]
fn an_import_mails_an_invitation_to_each_user_it_invites() {
    let Some(smtp) = SmtpSink::start() else {
        return;
    };
    let env = TestEnv::directus12(crate::common::Backend::Sqlite);
    let file = mail_env(&env, smtp.port);
    let csv = env.dir.path().join("u.csv");
    std::fs::write(
        &csv,
        "email,role\none@example.com,Editor\ntwo@example.com,Editor\nsuspended@example.com,Editor\n",
    )
    .unwrap();
    let import = |extra: &[&str]| {
        env.roster([
            "-q",
            "--env-file",
            &file,
            "import",
            "--send-invites",
            "--on-conflict",
            "skip",
        ])
        .args(extra)
        .arg(&csv)
    };
    import(&["--dry-run"]).succeeds();
    assert!(smtp.messages().is_empty(), "a dry run mails nothing");
    import(&[]).succeeds();
    let messages = smtp.messages();
    assert_eq!(
        messages.len(),
        2,
        "one per invited user, none for the skipped one"
    );
    for email in ["one@example.com", "two@example.com"] {
        let m = messages
            .iter()
            .find(|m| m.contains(&format!("To: {email}")))
            .unwrap();
        let claims = claims_of(&mailed_link(m, "accept-invite"), "accept-invite", SECRET);
        assert_eq!(claims["email"], email);
    }
}

#[test]
fn a_reset_link_opens_elsewhere_only_where_the_allow_list_says() {
    let env = TestEnv::directus12(crate::common::Backend::Sqlite);
    let path = env.dir.path().join("allow.env");
    std::fs::write(
        &path,
        format!("SECRET={SECRET}\nPUBLIC_URL=https://cms.example.com/\nPASSWORD_RESET_URL_ALLOW_LIST=https://app.example.com/reset,https://x.example.com/\n"),
    )
    .unwrap();
    let file = path.display().to_string();
    let reset = |url: &str| {
        env.roster([
            "-q",
            "--env-file",
            &file,
            "reset-link",
            "editor@example.com",
            "--reset-url",
            url,
        ])
    };
    let ran = reset("https://app.example.com/reset?from=mail").succeeds();
    let link = ran.out().trim().to_string();
    let token = link
        .strip_prefix("https://app.example.com/reset?from=mail&token=")
        .unwrap_or_else(|| panic!("{link}"));
    let same = format!("https://cms.example.com/admin/reset-password?token={token}");
    assert_eq!(
        claims_of(&same, "reset-password", SECRET)["scope"],
        "password-reset"
    );
    reset("https://evil.example.com/reset")
        .fails(2)
        .stderr(
            "error: https://evil.example.com/reset is not in PASSWORD_RESET_URL_ALLOW_LIST, so Directus would refuse it\n\
             hint: add it to PASSWORD_RESET_URL_ALLOW_LIST in the project's .env\n",
        );
}
