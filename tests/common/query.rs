//! What a test reads and sets up in its database by SQL: rows, single values,
//! a dump of roster's tables, and users made without paying for a password hash.

use super::{Backend, TestEnv, sql};

impl TestEnv {
    /// Rows of a query, every value as text (NULL as None). Booleans read as
    /// 1/0 on SQLite and t/f on PostgreSQL: cast in SQL when it matters.
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        sql::rows(self.backend, &self.direct, sql)
    }

    /// The single value of a query.
    pub fn value(&self, sql: &str) -> Option<String> {
        self.rows(sql)
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .flatten()
    }

    /// Runs SQL the read-only helpers cannot (UPDATE, INSERT, DDL; several
    /// statements at once), on a connection of its own.
    pub fn exec(&self, sql: &str) {
        sql::exec(self.backend, &self.direct, sql)
    }

    /// Every row of every table, as text: equal before and after means
    /// unchanged (roster's tables and, in a Directus database, all of Directus's).
    pub fn dump(&self) -> String {
        let mut conn = sql::Conn::open(self.backend, &self.direct);
        let mut out = String::new();
        for t in conn.rows(self.tables_sql()).into_iter().flatten().flatten() {
            let rows = conn.rows(&format!("SELECT * FROM {t} ORDER BY 1"));
            out.push_str(&format!("{t}: {rows:?}\n"));
        }
        out
    }

    /// The query that lists the database's tables, by name.
    fn tables_sql(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
            }
            Backend::Mysql => {
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1"
            }
        }
    }

    pub fn table_exists(&self, table: &str) -> bool {
        self.value(&self.exists_sql(table)).as_deref() == Some("1")
    }

    fn exists_sql(&self, table: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("SELECT count(*) FROM sqlite_master WHERE name = '{table}'"),
            Backend::Postgres => format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{table}'"
            ),
            Backend::Mysql => format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{table}'"
            ),
        }
    }

    /// The SQLite file's bytes (for byte-for-byte comparisons).
    pub fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.url).unwrap_or_default()
    }

    /// The single value of a query, which must be a whole number.
    pub fn count(&self, sql: &str) -> i64 {
        self.value(sql)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("not a count: {sql}"))
    }

    /// One column of the user with this exact email, as text.
    pub fn col(&self, email: &str, column: &str) -> Option<String> {
        self.value(&format!(
            "SELECT CAST({column} AS TEXT) FROM directus_users WHERE email = '{email}'"
        ))
    }

    /// The id of the user with this exact email, who must exist.
    pub fn id_of(&self, email: &str) -> String {
        self.col(email, "id")
            .unwrap_or_else(|| panic!("no row for {email}"))
    }

    /// The stored status of the user with this exact email, who must exist.
    pub fn status_of(&self, email: &str) -> String {
        self.col(email, "status")
            .unwrap_or_else(|| panic!("no row for {email}"))
    }

    /// A user invited by roster (no password, so no hashing cost); returns its id.
    pub fn invite(&self, email: &str, role: &str) -> String {
        self.roster(["invite", email, "--role", role]).succeeds();
        self.id_of(email)
    }

    /// A user in any status without paying for a password hash each time: invited
    /// by roster (leaving no audit trail unless invited is what was asked, since
    /// the trail would say "invited"), then moved by SQL; an active or suspended
    /// one gets a password (one hash, made once). Tests of the transitions use roster's commands.
    pub fn user_with_status(&self, email: &str, role: &str, status: &str) -> String {
        if status == "invited" {
            return self.invite(email, role);
        }
        self.roster(["--no-audit", "invite", email, "--role", role])
            .succeeds();
        let id = self.id_of(email);
        let password = match status {
            "active" | "suspended" => format!(", password = '{}'", active_hash()),
            _ => String::new(),
        };
        self.exec(&format!(
            "UPDATE directus_users SET status = '{status}'{password} WHERE id = '{id}'"
        ));
        id
    }

    /// An active user row written by SQL with its email exactly as given, as
    /// another writer (Directus, a script) may store it; returns its id.
    pub fn stored_user(&self, email: &str, role: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.exec(&format!(
            "INSERT INTO directus_users (id, email, status, role, provider) \
             VALUES ('{id}', '{email}', 'active', '{role}', 'default')"
        ));
        id
    }

    /// A `directus_sessions` row for a user, as Directus writes one at login,
    /// expiring in 2100.
    pub fn add_session(&self, token: &str, user: &str) {
        let expires = match self.backend {
            Backend::Sqlite => "4102444800000", // epoch milliseconds
            Backend::Postgres => "'2100-01-01 00:00:00+00'",
            // A MySQL timestamp ends in 2038.
            Backend::Mysql => "'2038-01-01 00:00:00'",
        };
        self.exec(&format!(
            "INSERT INTO directus_sessions (token, \"user\", expires) VALUES ('{token}', '{user}', {expires})"
        ));
    }
}

/// The hash of `ActivePass123!`, made once per test binary.
pub fn active_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| roster::password::hash("ActivePass123!").expect("hash"))
}
