//! Bad values (exit 5).

use super::*;

each_db!(bad_emails_are_refused_with_exit_5);
fn bad_emails_are_refused_with_exit_5(b: Via) {
    let env = populated(b);
    let long = format!("{}@example.com", "a".repeat(117));
    assert_eq!(long.len(), 129);
    let cases = [
            ("Not-An-Email", r#"invalid email "not-an-email": it needs exactly one @"#.to_string()),
            ("a@@example.com", r#"invalid email "a@@example.com": it needs exactly one @"#.into()),
            ("a@b", r#"invalid email "a@b": the domain needs at least two labels, like example.com"#.into()),
            ("@example.com", r#"invalid email "@example.com": the part before @ is empty"#.into()),
            ("a b@example.com", r#"invalid email "a b@example.com": it contains whitespace or control characters"#.into()),
            (
                "a@exa_mple.com",
                r#"invalid email "a@exa_mple.com": the domain may hold only letters, digits and hyphens (IDN as punycode)"#
                    .into(),
            ),
            (
                "a@bücher.de",
                r#"invalid email "a@bücher.de": the domain may hold only letters, digits and hyphens (IDN as punycode)"#
                    .into(),
            ),
            ("a@example..com", r#"invalid email "a@example..com": the domain may hold only letters, digits and hyphens (IDN as punycode)"#.into()),
            ("   ", r#"invalid email "": it is empty"#.into()),
            (long.as_str(), format!("invalid email {long:?}: it is longer than 128 characters")),
        ];
    for (email, want) in &cases {
        let want = format!("error: {want}");
        let invite = env.roster(["invite", email, "--role", "Editor"]);
        invite.fails(5).stderr_line(&want).db_unchanged();
        // The email is checked before the role, the password and the database.
        let create = env.roster(["create", email, "--role", "Nope"]);
        create.fails(5).stderr_line(&want).db_unchanged();
    }
}

each_db!(the_longest_valid_email_and_names_are_accepted);
fn the_longest_valid_email_and_names_are_accepted(b: Via) {
    let env = populated(b);
    let email = format!("{}@example.com", "a".repeat(116));
    let name = "é".repeat(50);
    env.roster(["invite", &email, "--role", "Editor", "--first-name", &name])
        .args(["--last-name", &name, "--title", &name])
        .succeeds();
    let row = env.rows(&format!(
        "SELECT first_name, last_name, title FROM directus_users WHERE email = '{email}'"
    ));
    assert_eq!(
        row,
        vec![vec![
            Some(name.clone()),
            Some(name.clone()),
            Some(name.clone())
        ]],
    );
}

each_db!(too_long_names_are_refused_with_exit_5);
fn too_long_names_are_refused_with_exit_5(b: Via) {
    let env = populated(b);
    for long in ["x".repeat(51), "é".repeat(51)] {
        for (flag, what) in [
            ("--first-name", "first name"),
            ("--last-name", "last name"),
            ("--title", "title"),
        ] {
            let want = format!("error: {what} is longer than 50 characters");
            for cmd in ["invite", "create"] {
                env.roster([cmd, "n@example.com", "--role", "Editor", flag, &long])
                    .fails(5)
                    .stderr_line(&want)
                    .db_unchanged();
            }
        }
    }
}

each_db!(bad_timezone_language_and_theme_are_refused);
fn bad_timezone_language_and_theme_are_refused(b: Via) {
    let env = populated(b);
    let zone =
        |v: &str| format!("error: timezone {v:?} is not an IANA zone name such as Europe/Berlin");
    let tag = |v: &str| format!("error: language {v:?} is not a BCP 47 tag such as en-US");
    for (flag, value, want) in [
        ("--timezone", "Mars/Base", zone("Mars/Base")),
        ("--timezone", "CEST+2", zone("CEST+2")),
        ("--language", "english please", tag("english please")),
        ("--locale", "e", tag("e")),
    ] {
        env.roster(["invite", "t@example.com", "--role", "Editor", flag, value])
            .fails(5)
            .stderr_line(&want)
            .db_unchanged();
    }
    // A bad theme is a validation error (5) too, as the spec's table says.
    env.roster([
        "invite",
        "t@example.com",
        "--role",
        "Editor",
        "--theme",
        "pink",
    ])
    .fails(5)
    .stderr("error: theme \"pink\" must be light, dark or auto\n")
    .db_unchanged();
}

each_db!(values_longer_than_their_column_are_refused_with_exit_5);
fn values_longer_than_their_column_are_refused_with_exit_5(b: Via) {
    let env = populated(b);
    let company = "c".repeat(256);
    let language = format!("en{}", "-abcdefgh".repeat(30));
    for (flag, value) in [("--company", company), ("--language", language)] {
        env.roster(["invite", "c@example.com", "--role", "Editor", flag, &value])
            .fails(5)
            .db_unchanged()
            .error_line();
    }
}
