//! Files as people make them: formats told from the first bytes, a CSV from a
//! European spreadsheet or Excel, header names in any case, empty files, and an
//! apply file given to import (or the reverse).

use crate::common::*;
use crate::write;

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
