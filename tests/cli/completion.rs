//! Completion that knows the project: the registered script asks roster, which
//! offers the emails and role names of the database the command line names,
//! statuses and themes, and fixed values of flags instead of file names.

use crate::common::*;

/// What roster offers for the word at `index` of `words` (`roster` first), as
/// bash's registered function asks it.
fn offered(env: &TestEnv, words: &[&str], index: usize) -> Vec<String> {
    let ran = env
        .bare(["--"])
        .args(words)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .env("_CLAP_IFS", "\n")
        .succeeds();
    ran.stderr("");
    ran.out().lines().map(str::to_string).collect()
}

each_db!(emails_and_roles_come_from_the_database_the_line_names);
fn emails_and_roles_come_from_the_database_the_line_names(b: Via) {
    let env = TestEnv::with_editor(b);
    env.invite("ann@example.com", "Editor");
    env.invite("anna@example.com", "Editor");
    env.invite("bob@example.com", "Editor");
    env.roster(["soft-delete", "bob@example.com", "--yes"])
        .succeeds();
    let d = env.url.as_str();
    assert_eq!(
        offered(&env, &["roster", "-d", d, "suspend", "an"], 4),
        ["ann@example.com", "anna@example.com"]
    );
    // -d after the command counts too; a deleted user is not offered.
    assert_eq!(
        offered(&env, &["roster", "show", "b", "-d", d], 2),
        Vec::<String>::new()
    );
    let roles = offered(
        &env,
        &["roster", "-d", d, "create", "x@example.com", "--role", ""],
        6,
    );
    assert!(roles.contains(&"Editor".to_string()), "{roles:?}");
    assert_eq!(
        offered(&env, &["roster", "-d", d, "roles", "delete", "Ed"], 5),
        ["Editor"]
    );
}

#[test]
fn fixed_values_complete_and_no_database_is_created_to_complete() {
    let env = TestEnv::empty(Backend::Sqlite);
    assert_eq!(
        offered(&env, &["roster", "list", "--status", "s"], 3),
        ["suspended"]
    );
    assert_eq!(
        offered(&env, &["roster", "edit", "a", "--theme", ""], 4),
        ["auto", "light", "dark"]
    );
    assert_eq!(offered(&env, &["roster", "--format", "p"], 2), ["plain"]);
    assert_eq!(
        offered(
            &env,
            &["roster", "import", "x.csv", "--on-conflict", "u"],
            4
        ),
        ["update"]
    );
    // Without a database named, the default roster.db is not made to offer emails.
    assert_eq!(
        offered(&env, &["roster", "show", "a"], 2),
        Vec::<String>::new()
    );
    assert!(!env.dir.path().join("roster.db").exists());
}

#[test]
fn the_committed_scripts_ask_roster_itself() {
    let bash = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/completions/roster.bash"
    ))
    .unwrap();
    assert!(bash.contains("COMPLETE=\"bash\""), "{bash}");
    assert!(
        bash.contains(
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_roster roster"
        ),
        "{bash}"
    );
    let fish = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/completions/roster.fish"
    ))
    .unwrap();
    assert!(fish.contains("COMPLETE=fish"), "{fish}");
}

/// bash itself, with the committed script sourced as its documentation says,
/// completing an email from the database named on the line.
#[test]
fn bash_with_the_committed_script_completes_an_email() {
    let env = TestEnv::with_editor(Backend::Sqlite);
    env.invite("ann@example.com", "Editor");
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_roster"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = format!(
        "source {}/completions/roster.bash
COMP_WORDS=(roster -d {} suspend an); COMP_CWORD=4; COMP_TYPE=9
_clap_complete_roster roster an suspend
printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        env!("CARGO_MANIFEST_DIR"),
        env.url
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "-c", &script])
        .env("PATH", path)
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ann@example.com\n");
}
