//! Files as people make them: formats told from the first bytes, a CSV from a
//! European spreadsheet or Excel, header names in any case, empty files, and an
//! apply file given to import (or the reverse).

use crate::common::*;
use crate::write;
use roster::password::verify;

/// The emails of the users the database holds, sorted.
fn emails(env: &TestEnv) -> Vec<String> {
    let rows = env.rows("SELECT email FROM directus_users ORDER BY email");
    rows.into_iter().filter_map(|r| r[0].clone()).collect()
}

each_db!(the_format_of_standard_input_is_told_from_its_first_bytes);
fn the_format_of_standard_input_is_told_from_its_first_bytes(b: Via) {
    let env = TestEnv::with_editor(b);
    let inputs = [
        "\u{feff}[{\"email\": \"json@example.com\", \"role\": \"Editor\"}]\n",
        "{\"email\": \"jsonl@example.com\", \"role\": \"Editor\"}\n",
        "# a seed\n\n[[users]]\nemail = \"toml@example.com\"\nrole = \"Editor\"\n",
        "Email\tRole\ntab@example.com\tEditor\n",
        "EMAIL;First_Name;ROLE\nsemi@example.com;Sam;Editor\n",
    ];
    for input in inputs {
        env.roster(["import", "-"]).stdin(input).succeeds();
    }
    // A file without an extension too.
    let path = write(&env, "users", "email,role\nplain@example.com,Editor\n");
    env.roster(["import"]).arg(&path).succeeds();
    assert_eq!(
        emails(&env),
        [
            "json@example.com",
            "jsonl@example.com",
            "plain@example.com",
            "semi@example.com",
            "tab@example.com",
            "toml@example.com"
        ]
    );
    assert_eq!(
        env.col("semi@example.com", "first_name").as_deref(),
        Some("Sam")
    );
}

each_db!(a_delimiter_given_wins_over_the_one_the_header_shows);
fn a_delimiter_given_wins_over_the_one_the_header_shows(b: Via) {
    let env = TestEnv::with_editor(b);
    // A comma inside a name, a semicolon between fields.
    let path = write(
        &env,
        "u.csv",
        "email;first_name;role\nann@example.com;\"Ann, Jr\";Editor\n",
    );
    env.roster(["import", "--delimiter", ";"])
        .arg(&path)
        .succeeds();
    assert_eq!(
        env.col("ann@example.com", "first_name").as_deref(),
        Some("Ann, Jr")
    );
    env.roster(["import", "--delimiter", "ab"])
        .arg(&path)
        .fails(2);
}

each_db!(line_numbers_are_real_whatever_the_line_ending);
fn line_numbers_are_real_whatever_the_line_ending(b: Via) {
    let env = TestEnv::with_editor(b);
    for (name, eol) in [("unix.csv", "\n"), ("windows.csv", "\r\n")] {
        let text = ["email,role", "a@example.com,Editor", "bad-email,Editor", ""].join(eol);
        let path = write(&env, name, &text);
        env.roster(["import"])
            .arg(&path)
            .fails(5)
            .stderr("error: line 3: invalid email \"bad-email\": it needs exactly one @\n")
            .db_unchanged();
    }
}

each_db!(an_empty_file_is_refused_unless_allowed);
fn an_empty_file_is_refused_unless_allowed(b: Via) {
    let env = TestEnv::with_editor(b);
    let refusal = "error: the file holds no users (it is empty, or has no rows after its header)\n\
                   hint: --allow-empty accepts a file with no users, for a job that means to import none\n";
    for (name, text) in [
        ("empty.csv", ""),
        ("header.csv", "email,role\n"),
        ("none.json", "[]"),
        ("blank", "\n\n"),
    ] {
        let path = write(&env, name, text);
        env.roster(["import"])
            .arg(&path)
            .fails(5)
            .stderr(refusal)
            .db_unchanged();
        env.roster(["import", "--allow-empty"])
            .arg(&path)
            .succeeds();
    }
    env.roster(["import", "-"])
        .stdin("")
        .fails(5)
        .stderr(refusal);
    // apply: nothing declared, or a prune with no users, would be a mistake.
    let nothing = write(&env, "nothing.toml", "# nothing yet\n");
    env.roster(["apply"])
        .arg(&nothing)
        .fails(5)
        .stderr(refusal)
        .db_unchanged();
    env.invite("keep@example.com", "Editor");
    let roles = write(&env, "roles.toml", "[[roles]]\nname = \"Editor\"\n");
    env.roster(["apply"]).arg(&roles).succeeds();
    env.roster(["apply", "--prune"])
        .arg(&roles)
        .fails(5)
        .stderr(refusal)
        .db_unchanged();
    assert_eq!(env.status_of("keep@example.com"), "invited");
}

each_db!(an_apply_file_given_to_import_and_the_reverse_name_the_other_command);
fn an_apply_file_given_to_import_and_the_reverse_name_the_other_command(b: Via) {
    let env = TestEnv::with_editor(b);
    let seed = write(
        &env,
        "seed.toml",
        "[[roles]]\nname = \"Ops\"\n\n[[users]]\nemail = \"a@example.com\"\nrole = \"Ops\"\n",
    );
    env.roster(["import"]).arg(&seed).fails(5).stderr(
        "error: roles: an import file has only [[users]] tables\n\
         hint: a file that declares [[roles]] is an apply file: `roster apply FILE` reads it\n",
    );
    let csv = write(&env, "u.csv", "email,role\na@example.com,Editor\n");
    let ran = env.roster(["apply"]).arg(&csv).fails(5);
    ran.db_unchanged();
    assert!(
        ran.err().ends_with(
            "hint: it looks like CSV: `roster import FILE` reads CSV, JSON and JSON Lines\n"
        ),
        "{}",
        ran.err()
    );
}

each_db!(a_seed_names_its_secrets_instead_of_holding_them);
fn a_seed_names_its_secrets_instead_of_holding_them(b: Via) {
    let env = TestEnv::with_editor(b);
    let pw_file = write(&env, "bot.pw", "File-Passw0rd!\nignored second line\n");
    let bot_token = "b".repeat(40);
    let csv = format!(
        "email,role,password_env,password_file,token_env,token\n\
         ann@example.com,Editor,ANN_PASSWORD,,,\n\
         bot@example.com,Editor,,{},BOT_TOKEN,\n\
         gen@example.com,Editor,,,,generate\n",
        pw_file.display()
    );
    let path = write(&env, "seed.csv", &csv);
    let out = env
        .roster(["import", "--random-password", "--format", "json"])
        .arg(&path)
        .env("ANN_PASSWORD", "Env-Passw0rd!x")
        .env("BOT_TOKEN", &bot_token)
        .succeeds()
        .json();
    assert!(verify(
        "Env-Passw0rd!x",
        &env.col("ann@example.com", "password").unwrap()
    ));
    assert!(verify(
        "File-Passw0rd!",
        &env.col("bot@example.com", "password").unwrap()
    ));
    assert_eq!(env.col("bot@example.com", "token"), Some(bot_token.clone()));
    let generated = env
        .col("gen@example.com", "token")
        .expect("a generated token");
    let shown = out["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["email"] == "gen@example.com")
        .unwrap();
    assert_eq!(shown["token"], generated.as_str(), "{out}");
    assert_eq!(
        env.col("ann@example.com", "token"),
        None,
        "only the row that asks gets one"
    );
    // A re-run rotates nothing and changes nothing.
    let again = env
        .roster(["import", "--on-conflict", "update", "--format", "json"])
        .arg(&path)
        .env("ANN_PASSWORD", "Env-Passw0rd!x")
        .env("BOT_TOKEN", &bot_token)
        .succeeds()
        .json();
    assert_eq!(again["unchanged"], 3, "{again}");
    assert_eq!(env.col("gen@example.com", "token"), Some(generated));
}

each_db!(a_secret_a_seed_names_that_is_not_there_is_exit_2_naming_the_row);
fn a_secret_a_seed_names_that_is_not_there_is_exit_2_naming_the_row(b: Via) {
    let env = TestEnv::with_editor(b);
    let cases = [
        (
            "email,role,password_env\nann@example.com,Editor,ROSTER_TEST_UNSET_VARIABLE\n",
            "error: line 2: password_env: environment variable ROSTER_TEST_UNSET_VARIABLE is not set\n",
        ),
        (
            "email,role,token_env\nann@example.com,Editor,ROSTER_TEST_UNSET_VARIABLE\n",
            "error: line 2: token_env: environment variable ROSTER_TEST_UNSET_VARIABLE is not set\n",
        ),
    ];
    for (text, said) in cases {
        let path = write(&env, "seed.csv", text);
        env.roster(["import", "--random-password"])
            .arg(&path)
            .fails(2)
            .stderr(said)
            .db_unchanged();
    }
    let path = write(
        &env,
        "seed.csv",
        "email,role,password_file\nann@example.com,Editor,/nonexistent/pw\n",
    );
    let err = env.roster(["import"]).arg(&path).fails(2).error_line();
    assert!(
        err.starts_with("error: line 2: password_file: cannot read password file /nonexistent/pw"),
        "{err}"
    );
    let both = write(
        &env,
        "both.csv",
        "email,role,password,password_env\nann@example.com,Editor,Pw-123456789!,X\n",
    );
    env.roster(["import"])
        .arg(&both)
        .fails(5)
        .stderr("error: line 2: give one of password, password_env and password_file\n");
}

each_db!(apply_generates_tokens_and_reads_secret_files_too);
fn apply_generates_tokens_and_reads_secret_files_too(b: Via) {
    let env = TestEnv::with_editor(b);
    let pw_file = write(&env, "pw", "File-Passw0rd!\n");
    let seed = write(
        &env,
        "seed.toml",
        &format!(
            "[[users]]\nemail = \"ann@example.com\"\nrole = \"Editor\"\npassword_file = \"{}\"\n\n\
             [[users]]\nemail = \"bot@example.com\"\nrole = \"Editor\"\n",
            pw_file.display()
        ),
    );
    env.roster(["apply", "--generate-token"])
        .arg(&seed)
        .succeeds();
    assert!(verify(
        "File-Passw0rd!",
        &env.col("ann@example.com", "password").unwrap()
    ));
    assert!(env.col("bot@example.com", "token").is_some());
    assert!(env.col("ann@example.com", "token").is_some());
}
