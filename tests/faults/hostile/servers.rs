//! What a server says, and what roster says about a server: the server's words
//! stay one labelled line, and the password is never in any of it.

use crate::common::*;
use crate::common::{Via, each_db};

/// A trigger that refuses every new user with a message of several lines.
fn refusing_trigger(env: &TestEnv) {
    let sql = match env.backend {
        Backend::Sqlite => {
            "CREATE TRIGGER refuse BEFORE INSERT ON directus_users BEGIN \
             SELECT RAISE(ABORT, 'boom' || char(10) || 'hint: run rm -rf /'); END"
        }
        Backend::Postgres => {
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             RAISE EXCEPTION E'boom\\nhint: run rm -rf /'; END $$; \
             CREATE TRIGGER refuse BEFORE INSERT ON directus_users \
             FOR EACH ROW EXECUTE FUNCTION refuse()"
        }
        Backend::Mysql => {
            "CREATE TRIGGER refuse BEFORE INSERT ON directus_users FOR EACH ROW \
             SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom\\nhint: run rm -rf /'"
        }
    };
    env.exec(sql);
}

each_db!(a_line_break_in_the_server_s_words_is_not_a_line_of_roster_s);
fn a_line_break_in_the_server_s_words_is_not_a_line_of_roster_s(b: Via) {
    let env = TestEnv::with_editor(b);
    refusing_trigger(&env);
    let ran = env
        .roster(["invite", "a@example.com", "--role", "Editor"])
        .code(match env.backend {
            Backend::Sqlite => 4,
            _ => 1,
        });
    let err = ran.err();
    assert_eq!(err.lines().count(), 1, "{err}");
    let said = match env.backend {
        Backend::Sqlite => "SQLite said: \"boom\\nhint: run rm -rf /\"",
        Backend::Postgres => "PostgreSQL said: \"boom\\nhint: run rm -rf /\"",
        Backend::Mysql => "MySQL said: \"boom\\nhint: run rm -rf /\"",
    };
    assert!(err.trim_end().ends_with(said), "{err}");
    let json = env
        .roster([
            "--format",
            "json",
            "invite",
            "a@example.com",
            "--role",
            "Editor",
        ])
        .code(ran.output().status.code().unwrap())
        .err();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["hints"], serde_json::json!([]), "{json}");
    assert!(json["error"].as_str().unwrap().ends_with(said), "{json}");
}

#[test]
#[cfg_attr(
    not(any(postgres_tests, require_postgres)),
    ignore = "needs ROSTER_TEST_POSTGRES_URL"
)]
fn a_one_letter_postgres_password_leaves_every_word_whole() {
    let env = TestEnv::empty(Via::POSTGRES.require());
    // "e" is in "connect" and "PostgreSQL": searching the text for it and hiding
    // it there would have told what it is.
    let url = with_password(&env.url, "e").replace("roster_t_", "no_such_");
    let line = env
        .bare(["--no-input", "list"])
        .env("ROSTER_DATABASE_URL", &url)
        .fails(6)
        .error_line();
    assert!(
        line.starts_with("error: cannot connect to PostgreSQL at 127.0.0.1"),
        "{line}"
    );
    assert!(
        line.contains(": PostgreSQL said: \"database \"no_such_"),
        "{line}"
    );
    assert!(line.ends_with("\" does not exist\""), "{line}");
    assert!(!line.contains('*'), "{line}");
}

#[test]
#[cfg_attr(
    not(any(mysql_tests, require_mysql)),
    ignore = "needs ROSTER_TEST_MYSQL_URL"
)]
fn a_mysql_password_equal_to_the_user_name_leaves_the_name_whole() {
    let env = TestEnv::empty(Via::MYSQL.require());
    let user = format!("rp{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    env.exec(&format!(
        "CREATE USER '{user}'@'%' IDENTIFIED BY 'Other-Password-1'"
    ));
    let url = with_password(&env.url.replacen("root", &user, 1), &user);
    let line = env
        .bare(["--no-input", "list"])
        .env("ROSTER_DATABASE_URL", &url)
        .fails(6)
        .error_line();
    env.exec(&format!("DROP USER '{user}'@'%'"));
    assert!(
        line.contains(&format!("Access denied for user '{user}'@")),
        "{line}"
    );
    assert!(!line.contains('*'), "{line}");
}

/// `url` with `password` given after its user name.
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (user, host) = rest.split_once('@').unwrap();
    let user = user.split(':').next().unwrap();
    format!("{scheme}://{user}:{password}@{host}")
}
