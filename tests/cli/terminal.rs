//! roster at a real terminal (a pseudo-terminal made by `script`): prompts that
//! ask again, confirmations that need Enter, a role picker that opens safely.

use crate::common::*;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs roster with `args` at a terminal, typing `keys` one after another.
fn at_terminal(env: &TestEnv, args: &str, keys: &[&str]) -> (Option<i32>, String) {
    at_terminal_bare(env, &format!("-d {} {args}", env.url), keys)
}

/// The same, without naming the database (the config file or a project does).
pub fn at_terminal_bare(env: &TestEnv, args: &str, keys: &[&str]) -> (Option<i32>, String) {
    let bin = env!("CARGO_BIN_EXE_roster");
    let line = format!("{bin} {args}");
    let mut child = Command::new("timeout")
        .args(["30", "script", "-qec", &line, "/dev/null"])
        .current_dir(env.dir.path())
        .env("HOME", env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .env("NO_COLOR", "1")
        // Ctrl-C reaches the whole foreground group, the shell included: bash waits
        // for roster and goes on, dash dies with it (and /bin/sh is dash where SHELL
        // is unset), losing the lines printed after roster.
        .env("SHELL", "/bin/bash")
        .env_remove("DATABASE_URL")
        .env_remove("ROSTER_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script(1) runs roster at a pseudo-terminal");
    let mut stdin = child.stdin.take().expect("stdin");
    for key in keys {
        std::thread::sleep(Duration::from_millis(700));
        stdin.write_all(key.as_bytes()).expect("type");
        stdin.flush().expect("flush");
    }
    // The terminal stays open until roster and the shell are done: an early end
    // of input would hang up on them while a loaded machine is still working.
    let out = child.wait_with_output().expect("wait");
    drop(stdin);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn with_policy(env: &TestEnv) -> String {
    let path = env.dir.path().join("policy.toml");
    std::fs::write(&path, "[password_policy]\nmin_length = 12\n").expect("config");
    path.display().to_string()
}

#[test]
fn a_weak_password_typed_at_the_prompt_is_asked_again() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    env.invite("ann@example.com", "Editor");
    let config = with_policy(&env);
    // A weak one is refused before it is repeated; a repeat that differs starts over.
    let keys = [
        "short\r",
        "Long-enough-pass\r",
        "Long-enough-typo\r",
        "Long-enough-pass\r",
        "Long-enough-pass\r",
    ];
    let (code, screen) = at_terminal(
        &env,
        &format!("--config {config} set-password ann@example.com"),
        &keys,
    );
    assert_eq!(code, Some(0), "{screen}");
    let weak = screen
        .find("it needs at least 12 characters; try again")
        .expect(&screen);
    let first_repeat = screen.find("Repeat password").expect(&screen);
    assert!(
        weak < first_repeat,
        "refused before it is repeated: {screen}"
    );
    assert!(
        screen.contains("the passwords do not match; try again"),
        "{screen}"
    );
    assert_eq!(env.status_of("ann@example.com"), "active");
}

#[test]
fn a_soft_delete_is_confirmed_by_y_and_enter_not_by_one_key() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    env.invite("ann@example.com", "Editor");
    let before = env.dump();
    // y alone does not confirm: n then Enter answers no.
    let (code, screen) = at_terminal(&env, "soft-delete ann@example.com", &["y", "n", "\r"]);
    assert_eq!(code, Some(2), "{screen}");
    assert_eq!(env.dump(), before);
    let (code, screen) = at_terminal(&env, "soft-delete ann@example.com", &["y", "\r"]);
    assert_eq!(code, Some(0), "{screen}");
    assert_eq!(env.status_of("ann@example.com"), "deleted");
}

#[test]
fn the_role_picker_opens_on_the_least_privileged_role() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let (code, screen) = at_terminal(&env, "invite ann@example.com", &["\r"]);
    assert_eq!(code, Some(0), "{screen}");
    let role = env.value(
        "SELECT r.name FROM directus_users u JOIN directus_roles r ON r.id = u.role WHERE u.email = 'ann@example.com'",
    );
    assert_eq!(
        role.as_deref(),
        Some("Editor"),
        "Enter never makes an administrator"
    );
}

#[test]
fn ctrl_c_at_a_prompt_gives_the_terminal_back_and_writes_nothing() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    env.invite("ann@example.com", "Editor");
    let before = env.dump();
    // After roster, the same terminal reports whether echo is on.
    let args =
        "set-password ann@example.com; echo rc=$?; stty -a | grep -o -- ' -\\?echo ' | head -1";
    let (_, screen) = at_terminal(&env, args, &["abc", "\u{3}"]);
    assert!(screen.contains("error: interrupted"), "{screen}");
    assert!(screen.contains("rc=130"), "{screen}");
    assert!(screen.contains(" echo "), "echo is back on: {screen}");
    assert_eq!(env.dump(), before);
}

#[test]
fn import_of_standard_input_at_a_terminal_says_how_to_end_it() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    let keys = ["email,role\r", "typed@example.com,Editor\r", "\u{4}"];
    let (code, screen) = at_terminal(&env, "import - --input-format csv", &keys);
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains("reading users from standard input; end with Ctrl-D on a line of its own"),
        "{screen}"
    );
    assert_eq!(env.status_of("typed@example.com"), "invited");
}
