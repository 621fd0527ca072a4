//! Passwords and tokens on every backend: every password source, the password
//! policy, sessions ending on credential and status changes, static tokens, and
//! soft-delete removing credentials (spec §4, §5, §6).
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a failure is a test failure

mod common;
use common::{Backend, TestEnv, backends, json_of, stderr_of, stdout_of};
use roster::password::verify;

const PW: &str = "Str0ng!Pass";
const PASSWORD_FLAG_WARNING: &str =
    "warning: --password shows the password in the process list; prefer --password-stdin";
const WEAK_WARNING: &str = "warning: the password does not meet the password policy; accepted because of --allow-weak-password";

// ---------------------------------------------------------------- helpers

fn hash_of(env: &TestEnv, email: &str) -> String {
    env.col(email, "password")
        .unwrap_or_else(|| panic!("{email} has no password"))
}

/// An active user without a password hash (invited, then activated by SQL), cheap to make.
fn active_user(env: &TestEnv, email: &str) -> String {
    env.user_with_status(email, "Administrator", "active")
}

fn sessions_of(env: &TestEnv, user_id: &str) -> Vec<String> {
    env.rows(&format!(
        "SELECT token FROM directus_sessions WHERE \"user\" = '{user_id}' ORDER BY token"
    ))
    .into_iter()
    .map(|r| r[0].clone().unwrap())
    .collect()
}

/// The audit trail records changes with secrets masked: none of `secrets` appears in it.
fn assert_no_secret_in_audit(env: &TestEnv, secrets: &[&str]) {
    let rows = env.rows("SELECT CAST(data AS TEXT), CAST(delta AS TEXT) FROM directus_revisions");
    assert!(!rows.is_empty(), "{:?}: changes are recorded", env.backend);
    for text in rows.into_iter().flatten().flatten() {
        for s in secrets {
            assert!(
                !text.contains(s),
                "{:?}: a secret in directus_revisions: {text}",
                env.backend
            );
        }
    }
}

/// A config file with a `[password_policy]` table, in the test's folder.
fn policy_config(env: &TestEnv, body: &str) -> String {
    let path = env.dir.path().join("roster.toml");
    std::fs::write(&path, format!("[password_policy]\n{body}\n")).unwrap();
    path.display().to_string()
}

const POLICY_12: &str = "min_length = 12\nrequire_digit = true\nrequire_upper = true";
const POLICY_12_ERROR: &str = "error: the password does not meet the password policy: it needs at least 12 \
                               characters, a digit, an upper-case letter\n";

// ---------------------------------------------------------------- password sources

#[test]
fn password_stdin_stores_a_hash_of_the_first_line() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let a = env
            .cmd()
            .args([
                "create",
                "in@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ])
            .write_stdin(format!("{PW}\r\nsecond line\n"))
            .assert()
            .code(0);
        assert_eq!(stdout_of(&a), "", "{b:?}");
        let hash = hash_of(&env, "in@example.com");
        assert!(
            hash.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"),
            "{b:?}: {hash}"
        );
        assert!(
            verify(PW, &hash),
            "{b:?}: the line ending is not part of the password"
        );
        assert!(!stderr_of(&a).contains(PW), "{b:?}");
        assert_no_secret_in_audit(&env, &[PW, &hash]);
    }
}

#[test]
fn password_file_reads_its_first_line() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let file = env.dir.path().join("pw.txt");
        std::fs::write(&file, "F1le!Password\nnot this one\n").unwrap();
        env.cmd()
            .args([
                "create",
                "file@example.com",
                "--role",
                "Administrator",
                "--password-file",
            ])
            .arg(&file)
            .assert()
            .code(0);
        assert!(
            verify("F1le!Password", &hash_of(&env, "file@example.com")),
            "{b:?}"
        );

        // A file that cannot be read is a usage error that changes nothing.
        let before = env.dump();
        let missing = env.dir.path().join("absent.txt");
        let a = env
            .cmd()
            .args([
                "create",
                "file2@example.com",
                "--role",
                "Administrator",
                "--password-file",
            ])
            .arg(&missing)
            .assert()
            .code(2);
        let err = stderr_of(&a);
        assert!(
            err.starts_with(&format!(
                "error: cannot read password file {}: ",
                missing.display()
            )),
            "{b:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{b:?}: {err}");
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

#[test]
fn password_env_reads_the_variable() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        env.cmd()
            .args([
                "create",
                "env@example.com",
                "--role",
                "Administrator",
                "--password-env",
                "ROSTER_T_PW",
            ])
            .env("ROSTER_T_PW", "Env!Passw0rd")
            .assert()
            .code(0);
        assert!(
            verify("Env!Passw0rd", &hash_of(&env, "env@example.com")),
            "{b:?}"
        );

        let before = env.dump();
        let a = env
            .cmd()
            .args([
                "create",
                "env2@example.com",
                "--role",
                "Administrator",
                "--password-env",
                "ROSTER_T_UNSET",
            ])
            .env_remove("ROSTER_T_UNSET")
            .assert()
            .code(2);
        assert_eq!(
            stderr_of(&a),
            "error: environment variable ROSTER_T_UNSET is not set\n",
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

#[test]
fn random_password_is_printed_once_and_matches_the_hash() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let a = env
            .cmd()
            .args([
                "create",
                "rnd@example.com",
                "--role",
                "Administrator",
                "--random-password",
            ])
            .assert()
            .code(0);
        let out = stdout_of(&a);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{b:?}: the password alone on stdout: {out:?}"
        );
        let pw = lines[0];
        assert!(
            pw.len() >= 16 && !pw.contains(char::is_whitespace),
            "{b:?}: {pw:?}"
        );
        let err = stderr_of(&a);
        assert!(
            err.contains("generated password (shown once):"),
            "{b:?}: {err}"
        );
        assert!(!err.contains(pw), "{b:?}: the password goes to stdout only");
        assert!(verify(pw, &hash_of(&env, "rnd@example.com")), "{b:?}");

        // set-password too, and a new password each time.
        let a = env
            .cmd()
            .args(["set-password", "rnd@example.com", "--random-password"])
            .assert()
            .code(0);
        let out = stdout_of(&a);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{b:?}: {out:?}");
        assert_ne!(lines[0], pw, "{b:?}");
        assert!(verify(lines[0], &hash_of(&env, "rnd@example.com")), "{b:?}");
    }
}

#[test]
fn random_password_is_in_the_json_of_create() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let a = env
            .cmd()
            .args([
                "create",
                "json@example.com",
                "--role",
                "Administrator",
                "--random-password",
                "--format",
                "json",
            ])
            .assert()
            .code(0);
        let out = json_of(&a);
        assert_eq!(out["result"], "created", "{b:?}");
        assert_eq!(out["user"]["email"], "json@example.com", "{b:?}");
        assert_eq!(out["user"]["password_set"], true, "{b:?}");
        let pw = out["password"].as_str().unwrap();
        assert!(!stderr_of(&a).contains(pw), "{b:?}");
        assert!(verify(pw, &hash_of(&env, "json@example.com")), "{b:?}");
    }
}

#[test]
fn password_flag_works_with_a_warning() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let a = env
            .cmd()
            .args([
                "create",
                "flag@example.com",
                "--role",
                "Administrator",
                "--password",
                "Fl4g!Password",
            ])
            .assert()
            .code(0);
        let err = stderr_of(&a);
        assert!(
            err.lines().any(|l| l == PASSWORD_FLAG_WARNING),
            "{b:?}: {err}"
        );
        assert!(!err.contains("Fl4g!Password"), "{b:?}: {err}");
        assert_eq!(stdout_of(&a), "", "{b:?}");
        assert!(
            verify("Fl4g!Password", &hash_of(&env, "flag@example.com")),
            "{b:?}"
        );
    }
}

#[test]
fn two_password_sources_are_a_usage_error() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let before = env.dump();
        env.cmd()
            .args([
                "create",
                "two@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
                "--random-password",
            ])
            .write_stdin(format!("{PW}\n"))
            .assert()
            .code(2);
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

// ---------------------------------------------------------------- policy

#[test]
fn config_policy_refuses_a_weak_password_everywhere_one_is_set() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let config = policy_config(&env, POLICY_12);
        env.cmd()
            .args(["invite", "inv@example.com", "--role", "Administrator"])
            .assert()
            .code(0);
        active_user(&env, "act@example.com");
        let before = env.dump();
        for args in [
            vec![
                "create",
                "weak@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ],
            vec!["activate", "inv@example.com", "--password-stdin"],
            vec!["set-password", "act@example.com", "--password-stdin"],
        ] {
            let a = env
                .cmd()
                .args(["--config", &config])
                .args(&args)
                .write_stdin("short1X\n")
                .assert()
                .code(5);
            assert_eq!(stderr_of(&a), POLICY_12_ERROR, "{b:?}: {args:?}");
            assert_eq!(env.dump(), before, "{b:?}: {args:?}");
        }

        // A password that meets it is accepted.
        env.cmd()
            .args([
                "--config",
                &config,
                "create",
                "ok@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ])
            .write_stdin("Long3nough!Password\n")
            .assert()
            .code(0);
        assert!(
            hash_of(&env, "ok@example.com").starts_with("$argon2id$"),
            "{b:?}"
        );
    }
}

#[test]
fn allow_weak_password_accepts_it_with_a_warning() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let config = policy_config(&env, POLICY_12);
        let a = env
            .cmd()
            .args([
                "--config",
                &config,
                "create",
                "weak@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
                "--allow-weak-password",
            ])
            .write_stdin("weak\n")
            .assert()
            .code(0);
        let err = stderr_of(&a);
        assert!(err.lines().any(|l| l == WEAK_WARNING), "{b:?}: {err}");
        assert!(verify("weak", &hash_of(&env, "weak@example.com")), "{b:?}");
    }
}

#[test]
fn database_policy_applies_and_the_config_policy_wins_over_it() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        env.exec(&format!(
            "UPDATE directus_settings SET auth_password_policy = '{}'",
            roster::policy::DIRECTUS_STRONG.replace('\'', "''")
        ));
        let before = env.dump();
        let a = env
            .cmd()
            .args([
                "create",
                "weak@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ])
            .write_stdin("password\n")
            .assert()
            .code(5);
        assert_eq!(
            stderr_of(&a),
            "error: the password does not meet the password policy: it needs at least 8 characters with a \
             digit, a lower-case letter, an upper-case letter and a special character (one of !@#$%^&*()_+}{';'?>.<,), and no whitespace\n",
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");

        // The config file's policy is found first.
        let config = policy_config(&env, "min_length = 4");
        env.cmd()
            .args([
                "--config",
                &config,
                "create",
                "cfg@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ])
            .write_stdin("abcd\n")
            .assert()
            .code(0);
    }
}

#[test]
fn an_empty_password_is_always_refused() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        active_user(&env, "act@example.com");
        let before = env.dump();
        let cases: Vec<(Vec<&str>, &str)> = vec![
            (
                vec![
                    "create",
                    "e@example.com",
                    "--role",
                    "Administrator",
                    "--password-stdin",
                ],
                "\n",
            ),
            (
                vec![
                    "create",
                    "e@example.com",
                    "--role",
                    "Administrator",
                    "--password-stdin",
                ],
                "",
            ),
            (
                vec![
                    "create",
                    "e@example.com",
                    "--role",
                    "Administrator",
                    "--password-stdin",
                    "--allow-weak-password",
                ],
                "\n",
            ),
            (
                vec!["set-password", "act@example.com", "--password-stdin"],
                "\r\n",
            ),
        ];
        for (args, input) in cases {
            let a = env.cmd().args(&args).write_stdin(input).assert().code(5);
            assert_eq!(
                stderr_of(&a),
                "error: the password is empty\n",
                "{b:?}: {args:?}"
            );
            assert_eq!(env.dump(), before, "{b:?}: {args:?}");
        }
        let a = env
            .cmd()
            .args([
                "create",
                "e@example.com",
                "--role",
                "Administrator",
                "--password",
                "",
            ])
            .assert()
            .code(5);
        assert_eq!(
            stderr_of(&a),
            format!("{PASSWORD_FLAG_WARNING}\nerror: the password is empty\n"),
            "{b:?}"
        );
        let file = env.dir.path().join("empty.txt");
        std::fs::write(&file, "").unwrap();
        let a = env
            .cmd()
            .args(["set-password", "act@example.com", "--password-file"])
            .arg(&file)
            .assert()
            .code(5);
        assert_eq!(stderr_of(&a), "error: the password is empty\n", "{b:?}");
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

// ---------------------------------------------------------------- set-password

#[test]
fn set_password_replaces_the_hash_and_ends_sessions() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        let id = active_user(&env, "pw@example.com");
        let other = active_user(&env, "other@example.com");
        env.add_session("sess-a", &id);
        env.add_session("sess-b", &id);
        env.add_session("sess-other", &other);
        let a = env
            .cmd()
            .args(["set-password", "PW@example.com", "--password-stdin"])
            .write_stdin(format!("{PW}\n"))
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "set the password of pw@example.com\n",
            "{b:?}"
        );
        assert_eq!(stdout_of(&a), "", "{b:?}");
        assert!(verify(PW, &hash_of(&env, "pw@example.com")), "{b:?}");
        assert_eq!(
            env.col("pw@example.com", "status").as_deref(),
            Some("active"),
            "{b:?}"
        );
        assert_eq!(
            sessions_of(&env, &id),
            Vec::<String>::new(),
            "{b:?}: old sessions end at once"
        );
        assert_eq!(
            sessions_of(&env, &other),
            vec!["sess-other"],
            "{b:?}: other users keep theirs"
        );
    }
}

#[test]
fn set_password_activates_an_invited_user_and_refuses_a_deleted_one() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        env.cmd()
            .args(["invite", "inv@example.com", "--role", "Administrator"])
            .assert()
            .code(0);
        let a = env
            .cmd()
            .args(["set-password", "inv@example.com", "--password-stdin"])
            .write_stdin(format!("{PW}\n"))
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "set the password of inv@example.com and activated the user\n",
            "{b:?}"
        );
        assert_eq!(
            env.col("inv@example.com", "status").as_deref(),
            Some("active"),
            "{b:?}"
        );

        env.cmd()
            .args(["invite", "gone@example.com", "--role", "Administrator"])
            .assert()
            .code(0);
        env.cmd()
            .args(["soft-delete", "gone@example.com", "--yes"])
            .assert()
            .code(0);
        let before = env.dump();
        let a = env
            .cmd()
            .args(["set-password", "gone@example.com", "--password-stdin"])
            .write_stdin(format!("{PW}\n"))
            .assert()
            .code(4);
        assert_eq!(
            stderr_of(&a),
            "error: cannot set a password for gone@example.com: the user is deleted (create or invite them \
             again to restore the account)\n",
            "{b:?}"
        );
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

// ---------------------------------------------------------------- tokens

#[test]
fn set_token_generates_a_token_printed_once() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        active_user(&env, "tok@example.com");
        let a = env
            .cmd()
            .args(["set-token", "TOK@example.com"])
            .assert()
            .code(0);
        let out = stdout_of(&a);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{b:?}: {out:?}");
        let token = lines[0];
        // At least 256 bits even where tokens match in any case (MySQL's collation):
        // lower-case letters and digits, log2(36) * 50 > 256.
        assert!(token.len() >= 50, "{b:?}: {token}");
        assert!(
            token
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "{b:?}: {token}"
        );
        assert_eq!(
            env.col("tok@example.com", "token").as_deref(),
            Some(token),
            "{b:?}"
        );
        let err = stderr_of(&a);
        assert_eq!(
            err, "generated the static token of tok@example.com\ntoken (shown once):\n",
            "{b:?}"
        );

        // A second generation gives another token; JSON carries it.
        let a = env
            .cmd()
            .args(["set-token", "tok@example.com", "--format", "json"])
            .assert()
            .code(0);
        let out = json_of(&a);
        assert_eq!(out["action"], "generated", "{b:?}");
        let token2 = out["token"].as_str().unwrap();
        assert_ne!(token2, token, "{b:?}");
        assert_eq!(
            env.col("tok@example.com", "token").as_deref(),
            Some(token2),
            "{b:?}"
        );

        // show and list never print it.
        for args in [
            vec!["show", "tok@example.com", "--format", "json"],
            vec!["list", "--format", "json"],
        ] {
            let a = env.cmd().args(&args).assert().code(0);
            assert!(!stdout_of(&a).contains(token2), "{b:?}: {args:?}");
        }
        assert_no_secret_in_audit(&env, &[token, token2]);
        let a = env
            .cmd()
            .args(["show", "tok@example.com", "--format", "json"])
            .assert()
            .code(0);
        let shown = json_of(&a);
        assert_eq!(shown["token_set"], true, "{b:?}");
    }
}

#[test]
fn set_token_from_stdin_and_clear() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        active_user(&env, "tok@example.com");
        let given = "Given-token_0123456789abcdef0123456789";
        let a = env
            .cmd()
            .args(["set-token", "tok@example.com", "--stdin"])
            .write_stdin(format!("{given}\n"))
            .assert()
            .code(0);
        assert_eq!(stdout_of(&a), "", "{b:?}: a given token is not echoed");
        assert_eq!(
            stderr_of(&a),
            "set the static token of tok@example.com\n",
            "{b:?}"
        );
        assert_eq!(
            env.col("tok@example.com", "token").as_deref(),
            Some(given),
            "{b:?}"
        );

        // Setting the same token again on the same user is fine.
        env.cmd()
            .args(["set-token", "tok@example.com", "--stdin"])
            .write_stdin(format!("{given}\n"))
            .assert()
            .code(0);

        let a = env
            .cmd()
            .args(["set-token", "tok@example.com", "--clear"])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "cleared the static token of tok@example.com\n",
            "{b:?}"
        );
        assert_eq!(stdout_of(&a), "", "{b:?}");
        assert_eq!(env.col("tok@example.com", "token"), None, "{b:?}");

        // The bounds: exactly 32 and exactly 255 characters are accepted.
        for len in [32, 255] {
            let t = "t".repeat(len);
            env.cmd()
                .args(["set-token", "tok@example.com", "--stdin"])
                .write_stdin(format!("{t}\n"))
                .assert()
                .code(0);
            assert_eq!(env.col("tok@example.com", "token"), Some(t), "{b:?}");
        }
    }
}

#[test]
fn set_token_refuses_bad_tokens_with_exit_5() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        active_user(&env, "tok@example.com");
        let before = env.dump();
        let long = "x".repeat(256);
        let cases: Vec<(String, &str)> = vec![
            (
                "x".repeat(31),
                "error: a token must be 32 to 255 characters long (this one has 31)\n",
            ),
            (
                long,
                "error: a token must be 32 to 255 characters long (this one has 256)\n",
            ),
            (
                String::new(),
                "error: a token must be 32 to 255 characters long (this one has 0)\n",
            ),
            (
                format!("{} {}", "a".repeat(20), "b".repeat(20)),
                "error: a token may hold only printable ASCII characters, without whitespace\n",
            ),
            (
                format!("{}\t{}", "a".repeat(20), "b".repeat(20)),
                "error: a token may hold only printable ASCII characters, without whitespace\n",
            ),
            (
                format!("{}\u{7}", "a".repeat(40)),
                "error: a token may hold only printable ASCII characters, without whitespace\n",
            ),
        ];
        for (token, want) in cases {
            let a = env
                .cmd()
                .args(["set-token", "tok@example.com", "--stdin"])
                .write_stdin(format!("{token}\n"))
                .assert()
                .code(5);
            assert_eq!(stderr_of(&a), want, "{b:?}: {token:?}");
            assert_eq!(env.dump(), before, "{b:?}: {token:?}");
        }
    }
}

#[test]
fn set_token_refuses_a_token_another_user_has() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        active_user(&env, "a@example.com");
        active_user(&env, "b@example.com");
        let token = "Shared-token-0123456789abcdef01234567";
        env.cmd()
            .args(["set-token", "a@example.com", "--stdin"])
            .write_stdin(format!("{token}\n"))
            .assert()
            .code(0);
        let before = env.dump();
        let a = env
            .cmd()
            .args(["set-token", "b@example.com", "--stdin"])
            .write_stdin(format!("{token}\n"))
            .assert()
            .code(4);
        assert_eq!(
            stderr_of(&a),
            "error: another user already has this token\n",
            "{b:?}"
        );
        assert!(!stderr_of(&a).contains(token), "{b:?}");
        assert_eq!(env.dump(), before, "{b:?}");
        assert_eq!(env.col("b@example.com", "token"), None, "{b:?}");
    }
}

#[test]
fn set_token_refuses_a_deleted_user() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        active_user(&env, "keep@example.com");
        active_user(&env, "gone@example.com");
        env.cmd()
            .args(["soft-delete", "gone@example.com", "--yes"])
            .assert()
            .code(0);
        let before = env.dump();
        let a = env
            .cmd()
            .args(["set-token", "gone@example.com"])
            .assert()
            .code(4);
        assert_eq!(
            stderr_of(&a),
            "error: cannot set a token for gone@example.com: the user is deleted (create or invite them again \
             to restore the account)\n",
            "{b:?}"
        );
        assert_eq!(stdout_of(&a), "", "{b:?}: no token printed");
        assert_eq!(env.dump(), before, "{b:?}");
    }
}

// ---------------------------------------------------------------- sessions and soft-delete

#[test]
fn token_and_status_changes_end_sessions() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        active_user(&env, "keep@example.com");
        let id = active_user(&env, "s@example.com");
        let steps: Vec<Vec<&str>> = vec![
            vec!["set-token", "s@example.com"],
            vec!["set-token", "s@example.com", "--clear"],
            vec!["suspend", "s@example.com"],
            vec!["unsuspend", "s@example.com"],
        ];
        for (i, args) in steps.iter().enumerate() {
            env.add_session(&format!("sess-{i}"), &id);
            env.cmd().args(args).assert().code(0);
            assert_eq!(
                sessions_of(&env, &id),
                Vec::<String>::new(),
                "{b:?}: {args:?}"
            );
        }
    }
}

#[test]
fn soft_delete_removes_every_credential_and_session() {
    for b in backends() {
        let env = TestEnv::standalone(b);
        active_user(&env, "keep@example.com");
        env.cmd()
            .args([
                "create",
                "del@example.com",
                "--role",
                "Administrator",
                "--password-stdin",
            ])
            .write_stdin(format!("{PW}\n"))
            .assert()
            .code(0);
        let id = env.id_of("del@example.com");
        let keep = env.id_of("keep@example.com");
        env.cmd()
            .args(["set-token", "del@example.com"])
            .assert()
            .code(0);
        env.exec(&format!(
            "UPDATE directus_users SET tfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = '{id}'"
        ));
        env.add_session("sess-del-1", &id);
        env.add_session("sess-del-2", &id);
        env.add_session("sess-keep", &keep);
        let row = |env: &TestEnv| {
            env.rows(&format!(
                "SELECT CASE WHEN password IS NULL THEN 0 ELSE 1 END, CASE WHEN token IS NULL THEN 0 ELSE 1 END, \
                 CASE WHEN tfa_secret IS NULL THEN 0 ELSE 1 END, status FROM directus_users WHERE id = '{id}'"
            ))
        };
        let set = |s: &str| Some(s.to_string());
        assert_eq!(
            row(&env),
            vec![vec![set("1"), set("1"), set("1"), set("active")]],
            "{b:?}"
        );

        let a = env
            .cmd()
            .args(["soft-delete", "del@example.com", "--yes"])
            .assert()
            .code(0);
        assert_eq!(
            stderr_of(&a),
            "soft-deleted del@example.com (was active)\n",
            "{b:?}"
        );
        assert_eq!(
            row(&env),
            vec![vec![set("0"), set("0"), set("0"), set("deleted")]],
            "{b:?}"
        );
        assert_eq!(sessions_of(&env, &id), Vec::<String>::new(), "{b:?}");
        assert_eq!(sessions_of(&env, &keep), vec!["sess-keep"], "{b:?}");

        // The revision written for it masks nothing it no longer has, and never holds a secret.
        let revisions = env.rows(&format!(
            "SELECT CAST(data AS TEXT) FROM directus_revisions WHERE item = '{id}'"
        ));
        for r in revisions {
            let data = r[0].clone().unwrap_or_default();
            assert!(
                !data.contains("$argon2") && !data.contains("JBSWY3DPEHPK3PXP"),
                "{b:?}: {data}"
            );
        }
    }
}

#[test]
fn a_secret_that_would_go_nowhere_is_refused_before_anything_changes() {
    for b in backends() {
        let env = TestEnv::with_editor(b);
        env.user_with_status("ed@example.com", "Editor", "active");
        let before = env.dump();
        for args in [
            vec!["set-token", "ed@example.com"],
            vec!["set-password", "ed@example.com", "--random-password"],
            vec![
                "create",
                "new@example.com",
                "--role",
                "Editor",
                "--random-password",
            ],
        ] {
            let out = env
                .std_cmd()
                .args(&args)
                .stdout(std::process::Stdio::null())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{b:?} {args:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("the secret would be lost"),
                "{b:?} {args:?}: {stderr}"
            );
            assert_eq!(env.dump(), before, "{b:?} {args:?}");
        }
    }
}

#[test]
fn the_directus_policy_counts_only_ascii_digits_as_javascript_does() {
    let env = TestEnv::directus11(Backend::Sqlite);
    let check = |pw: &str| {
        env.cmd()
            .args(["policy", "check"])
            .write_stdin(format!("{pw}\n"))
            .assert()
    };
    check("Passwordx\u{661}!").code(5);
    check("Passwordx1!").success();
}
