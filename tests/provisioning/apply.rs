//! apply: a seed file's plan, what it writes, re-runs that change nothing,
//! pruning, and roles whose access it will not change.

use crate::common::*;
use crate::{PW, write};

const SEED: &str = r#"
[[roles]]
name = "Staff"
app_access = true

[[users]]
email = "boss@example.com"
role = "Administrator"
password_env = "SEED_PW"

[[users]]
email = "ann@example.com"
first_name = "Ann"
role = "Staff"
password_env = "SEED_PW"

[[users]]
email = "bob@example.com"
role = "Staff"
"#;

/// What apply prints for SEED on an empty database.
const SEED_PLAN: &str = "+ role Staff\n+ boss@example.com\n+ ann@example.com\n+ bob@example.com\n";

/// `roster apply ARGS FILE` with `pw` in SEED_PW.
fn apply<'a>(env: &'a TestEnv, pw: &str, args: &[&str], file: &std::path::Path) -> Run<'a> {
    env.roster(["apply"])
        .args(args)
        .arg(file)
        .env("SEED_PW", pw)
}

/// A standalone database that SEED was applied to, and the seed file.
fn seeded(b: Via) -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::standalone(b);
    let path = write(&env, "seed.toml", SEED);
    apply(&env, PW, &[], &path).succeeds().stdout(SEED_PLAN);
    (env, path)
}

each_db!(a_dry_run_of_apply_shows_the_plan_and_writes_nothing);
fn a_dry_run_of_apply_shows_the_plan_and_writes_nothing(b: Via) {
    let env = TestEnv::standalone(b);
    let path = write(&env, "seed.toml", SEED);
    apply(&env, PW, &["--dry-run"], &path)
        .keeps_db()
        .succeeds()
        .stdout(SEED_PLAN)
        .db_unchanged();
    assert_eq!(env.count("SELECT count(*) FROM directus_users"), 0);
}

each_db!(apply_creates_what_it_planned);
fn apply_creates_what_it_planned(b: Via) {
    let (env, _) = seeded(b);
    assert_eq!(env.status_of("ann@example.com"), "active");
    assert_eq!(env.status_of("bob@example.com"), "invited");
}

each_db!(apply_plans_then_a_second_run_changes_nothing);
fn apply_plans_then_a_second_run_changes_nothing(b: Via) {
    let (env, path) = seeded(b);
    let hash = env.col("ann@example.com", "password");
    // Passwords included: another SEED_PW does not change a set password.
    apply(&env, "Other-Passw0rd!", &[], &path)
        .keeps_db()
        .succeeds()
        .stdout("")
        .stderr("nothing to change: the database matches the file\n")
        .db_unchanged();
    assert_eq!(env.col("ann@example.com", "password"), hash);
}

each_db!(apply_shows_the_field_it_changes);
fn apply_shows_the_field_it_changes(b: Via) {
    let (env, _) = seeded(b);
    let changed = write(
        &env,
        "changed.toml",
        &SEED.replace("first_name = \"Ann\"", "first_name = \"Anna\""),
    );
    apply(&env, PW, &[], &changed)
        .succeeds()
        .stdout("~ ann@example.com first_name: Ann → Anna\n");
}

each_db!(apply_prune_keeps_the_last_administrator);
fn apply_prune_keeps_the_last_administrator(b: Via) {
    let (env, path) = seeded(b);
    // Without boss, pruning would soft-delete the only administrator.
    let no_boss = write(&env, "no-boss.toml", &SEED.replace("boss@example.com", "ann@example.com").replacen("[[users]]\nemail = \"ann@example.com\"\nrole = \"Administrator\"\npassword_env = \"SEED_PW\"\n", "", 1));
    let ran = apply(&env, PW, &["--prune"], &no_boss).fails(4);
    ran.db_unchanged();
    assert!(
        ran.err().contains("no active administrator"),
        "{}",
        ran.err()
    );
    apply(&env, PW, &["--prune", "--force"], &no_boss)
        .succeeds()
        .stdout("- boss@example.com\n");
    assert_eq!(env.status_of("boss@example.com"), "deleted");
    assert_eq!(env.col("boss@example.com", "password"), None);

    // Apply again with boss: revived, with a password.
    apply(&env, PW, &[], &path)
        .succeeds()
        .stdout("+ boss@example.com (revived)\n");
    assert_eq!(env.status_of("boss@example.com"), "active");
}

each_db!(apply_converges_a_declared_role_with_the_last_administrator_rule_at_the_end);
fn apply_converges_a_declared_role_with_the_last_administrator_rule_at_the_end(b: Via) {
    let env = TestEnv::directus11(b);
    let roles = |text: &str| write(&env, "roles.toml", text);
    // Administrator gives its admin access up and Editor takes it over: between
    // the two no one is an administrator, at the end editor@example.com is.
    let swap = roles(
        "[[roles]]\nname = \"Administrator\"\nadmin = false\napp_access = true\n\n\
         [[roles]]\nname = \"Editor\"\nadmin = true\n",
    );
    env.roster(["apply", "--dry-run"])
        .arg(&swap)
        .keeps_db()
        .succeeds()
        .stdout(
            "~ role Administrator admin: true → false\n\
             ~ role Editor admin: false → true\n",
        )
        .db_unchanged();
    env.roster(["apply"]).arg(&swap).succeeds();
    let listed = env
        .roster(["roles", "list", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(listed[0]["admin_access"], false, "{listed}");
    assert_eq!(listed[1]["admin_access"], true, "{listed}");
    env.roster(["apply"])
        .arg(&swap)
        .keeps_db()
        .succeeds()
        .stdout("")
        .stderr("nothing to change: the database matches the file\n")
        .db_unchanged();
    // Taking admin access from every role locks everyone out: refused whole.
    let none = roles("[[roles]]\nname = \"Editor\"\nadmin = false\napp_access = true\n");
    env.roster(["apply"]).arg(&none).fails(4).stderr(
        "error: this would leave no active administrator; roster will not lock everyone out (use --force to do it anyway)\n",
    );
}

each_db!(apply_twice_with_or_without_reset_passwords_changes_nothing);
fn apply_twice_with_or_without_reset_passwords_changes_nothing(b: Via) {
    let (env, path) = seeded(b);
    env.add_session("ann-session", &env.id_of("ann@example.com"));
    let matches = "nothing to change: the database matches the file\n";
    for args in [&["--reset-passwords"][..], &[]] {
        apply(&env, PW, args, &path)
            .keeps_db()
            .succeeds()
            .stdout("")
            .stderr(matches)
            .db_unchanged();
    }
    // Another password is a real change: shown, set, and the sessions end.
    let other = "Other-Passw0rd!";
    apply(&env, other, &["--reset-passwords"], &path)
        .succeeds()
        .stdout("~ boss@example.com password_hash: (none) → (new value)\n~ ann@example.com password_hash: (none) → (new value)\n");
    let hash = env.col("ann@example.com", "password").unwrap();
    assert!(roster::password::verify(other, &hash));
    assert_eq!(env.count("SELECT count(*) FROM directus_sessions"), 0);
    apply(&env, other, &["--reset-passwords", "-v"], &path)
        .keeps_db()
        .succeeds()
        .stdout("= boss@example.com\n= ann@example.com\n= bob@example.com\n")
        .db_unchanged();
}

each_db!(a_malformed_file_never_quotes_a_secret);
fn a_malformed_file_never_quotes_a_secret(b: Via) {
    // The parser's own message quotes the line it stopped at.
    let env = TestEnv::with_editor(b);
    let text = "[[users]]\nemail = \"ann@example.com\"\npassword = \"Sup3r-Secret!\" oops\n";
    let path = write(&env, "seed.toml", text);
    let ran = env.roster(["apply"]).arg(&path).fails(5);
    let err = ran.db_unchanged().err();
    assert!(!err.contains("Sup3r-Secret!"), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains("is not valid TOML: line 3, column 28: "),
        "{err}"
    );
    let path = write(&env, "u.toml", text);
    let ran = env.roster(["import"]).arg(&path).fails(5);
    let err = ran.db_unchanged().err();
    assert!(!err.contains("Sup3r-Secret!"), "{err}");
    assert!(
        err.starts_with("error: the TOML file: not valid TOML: line 3, column 28: "),
        "{err}"
    );
}

each_db!(a_role_declared_twice_is_refused_naming_both);
fn a_role_declared_twice_is_refused_naming_both(b: Via) {
    let env = TestEnv::with_editor(b);
    let path = write(
        &env,
        "seed.toml",
        "[[roles]]\nname = \"Support\"\n\n[[roles]]\nname = \"Sales\"\n\n[[roles]]\nname = \"support\"\nadmin = true\n",
    );
    env.roster(["apply"])
        .arg(&path)
        .fails(5)
        .stderr_line("error: roles[0] and roles[2] both declare the role support")
        .db_unchanged();
}
