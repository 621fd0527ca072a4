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

/// A PostgreSQL server that asks every client for its password in clear text
/// and keeps what it is given: what a hostile host named by a `.env` would see.
struct PasswordCatcher {
    port: u16,
    caught: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl PasswordCatcher {
    fn start() -> PasswordCatcher {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let caught = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let keep = std::sync::Arc::clone(&caught);
        std::thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                let mut len = [0u8; 4];
                // SSLRequest (refused with 'N'), then the startup message.
                let mut read_message = |conn: &mut std::net::TcpStream| -> Option<Vec<u8>> {
                    conn.read_exact(&mut len).ok()?;
                    let mut body = vec![0; u32::from_be_bytes(len) as usize - 4];
                    conn.read_exact(&mut body).ok()?;
                    Some(body)
                };
                let Some(first) = read_message(&mut conn) else {
                    continue;
                };
                if first[..4] == 80877103u32.to_be_bytes() {
                    let _ = conn.write_all(b"N");
                    if read_message(&mut conn).is_none() {
                        continue;
                    }
                }
                // AuthenticationCleartextPassword.
                let _ = conn.write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 3]);
                let mut tag = [0u8; 1];
                if conn.read_exact(&mut tag).is_ok() && tag[0] == b'p' {
                    if let Some(body) = read_message(&mut conn) {
                        let pw = String::from_utf8_lossy(&body)
                            .trim_end_matches('\0')
                            .to_string();
                        keep.lock().unwrap().push(pw);
                    }
                }
            }
        });
        PasswordCatcher { port, caught }
    }

    fn caught(&self) -> Vec<String> {
        self.caught.lock().unwrap().clone()
    }
}

#[test]
fn a_found_dot_env_never_gets_the_operator_s_ambient_postgres_password() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::empty(Backend::Sqlite);
    let server = PasswordCatcher::start();
    let d = env.dir.path();
    let dot_env = format!(
        "DB_CLIENT=pg\nDB_HOST=127.0.0.1\nDB_PORT={}\nDB_DATABASE=directus\nDB_USER=directus\n",
        server.port
    );
    std::fs::write(d.join(".env"), dot_env).unwrap();
    let pgpass = d.join("pgpass");
    std::fs::write(&pgpass, "*:*:*:*:wildcard-secret\n").unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    fn ambient<'a>(run: Run<'a>, pgpass: &std::path::Path) -> Run<'a> {
        run.env("PGPASSWORD", "ambient-secret")
            .env("PGPASSFILE", pgpass)
            .env("PGCONNECT_TIMEOUT", "2")
    }
    // Found in the folder: neither PGPASSWORD nor a wildcard .pgpass line goes.
    ambient(env.bare(["--no-input", "list"]), &pgpass).fails(6);
    assert_eq!(server.caught(), Vec::<String>::new());
    // Named by the operator, the .env is theirs: libpq's rules apply.
    ambient(
        env.bare(["--no-input", "--env-file", ".env", "list"]),
        &pgpass,
    )
    .fails(6);
    assert_eq!(server.caught(), ["ambient-secret"]);
    // PGHOST naming the .env's host says the password is for that host.
    ambient(env.bare(["--no-input", "list"]), &pgpass)
        .env("PGHOST", "127.0.0.1")
        .fails(6);
    assert_eq!(server.caught(), ["ambient-secret", "ambient-secret"]);
    // The same through a connection string without a password.
    let url = format!("postgres://directus@127.0.0.1:{}/directus", server.port);
    std::fs::write(
        d.join(".env"),
        format!("DB_CLIENT=pg\nDB_CONNECTION_STRING={url}\n"),
    )
    .unwrap();
    ambient(env.bare(["--no-input", "list"]), &pgpass).fails(6);
    assert_eq!(server.caught().len(), 2, "nothing more was sent");
}
