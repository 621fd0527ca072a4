//! What every `--help` and man page says beyond the flags: each command's
//! examples, the exit codes, the environment and the files roster reads. Each is
//! written here once; `--help` and the man pages are made from it.

/// An example: what it does, and the command line.
pub type Example = (&'static str, &'static str);

/// The examples of a command, by its path (`roles create`), as kubectl and
/// mmctl end their help with.
pub fn examples(path: &str) -> &'static [Example] {
    match path {
        "" => &[
            (
                "Make the first administrator of a new roster.db here",
                "roster create admin@example.com --role Administrator --random-password",
            ),
            (
                "Work on a Directus project's database, named by its .env",
                "roster --env-file /srv/directus/.env list",
            ),
            (
                "The same on a named project of the config file",
                "roster --project prod list --status suspended",
            ),
        ],
        "init" => &[
            (
                "Create roster's own schema in a new SQLite file",
                "roster -d sqlite:team.db init",
            ),
            (
                "See what it would create in a PostgreSQL database",
                "roster -d postgres://roster@db.example.com/team init --dry-run",
            ),
        ],
        "create" => &[
            (
                "An active administrator with a generated password, shown once",
                "roster create admin@example.com --role Administrator --random-password",
            ),
            (
                "A password from a variable, never on the command line",
                "roster create ann@example.com --role Editor --first-name Ann --password-env ANN_PASSWORD",
            ),
            (
                "A re-run in a script changes nothing",
                "roster create ci@example.com --role Editor --if-not-exists --password-env CI_PASSWORD",
            ),
        ],
        "invite" => &[
            (
                "Invite a user and print the link to pass on",
                "roster --env-file .env invite ann@example.com --role Editor --link",
            ),
            (
                "Mail the invitation through the project's mail settings",
                "roster --env-file .env invite ann@example.com --role Editor --send",
            ),
        ],
        "activate" => &[
            (
                "Let an invited user in with a password typed at the prompt",
                "roster activate ann@example.com",
            ),
            (
                "Approve a user who registered (their password is kept)",
                "roster activate bob@example.com",
            ),
        ],
        "suspend" => &[
            (
                "Lock a leaver out and end their sessions",
                "roster suspend ann@example.com",
            ),
            (
                "Several at once, all or none",
                "roster suspend ann@example.com bob@example.com --format json",
            ),
        ],
        "unsuspend" => &[
            (
                "Let a suspended user back in",
                "roster unsuspend ann@example.com",
            ),
            (
                "See first what would change",
                "roster unsuspend ann@example.com --dry-run",
            ),
        ],
        "soft-delete" => &[
            (
                "Soft-delete a user after a confirmation",
                "roster soft-delete ann@example.com",
            ),
            (
                "In a script, where nobody can confirm",
                "roster soft-delete ann@example.com --yes",
            ),
        ],
        "edit" => &[
            (
                "Move a user to another role",
                "roster edit ann@example.com --role Administrator",
            ),
            (
                "Change the email and the name at once",
                "roster edit ann@example.com --email ann.lee@example.com --last-name Lee",
            ),
        ],
        "set-password" => &[
            (
                "Type a new password at the prompt (asked twice)",
                "roster set-password ann@example.com",
            ),
            (
                "From a password manager, through standard input",
                "pass show ann | roster set-password ann@example.com --password-stdin",
            ),
        ],
        "set-token" => &[
            (
                "Generate a static API token and print it once",
                "roster set-token ci-bot@example.com",
            ),
            ("Remove it", "roster set-token ci-bot@example.com --clear"),
        ],
        "reset-link" => &[
            (
                "Print a password-reset link for an active user",
                "roster --env-file .env reset-link ann@example.com",
            ),
            (
                "Mail it to them instead",
                "roster --env-file .env reset-link ann@example.com --send",
            ),
        ],
        "list" => &[
            (
                "Who has not logged in for 90 days",
                "roster list --inactive-since 90d",
            ),
            (
                "Chosen columns, the latest login first",
                "roster list --columns email,role,last_access --sort -last_access",
            ),
            (
                "Emails of suspended users, for a pipe",
                "roster list --status suspended --format plain --no-headers --columns email",
            ),
        ],
        "show" => &[
            ("Every field of a user", "roster show ann@example.com"),
            (
                "As JSON, for jq",
                "roster show ann@example.com --format json",
            ),
        ],
        "import" => &[
            (
                "Create users from a CSV file, all or none",
                "roster import users.csv --role Editor",
            ),
            (
                "Re-run a seed: update those there, create the rest",
                "roster import seed.json --on-conflict update",
            ),
            (
                "Invite from standard input and mail the invitations",
                "roster --env-file .env import - --input-format csv --send-invites",
            ),
        ],
        "export" => &[
            (
                "Every user, as JSON that import reads back",
                "roster export > users.json",
            ),
            (
                "A whole project as an apply file, secrets included",
                "roster export --output-format toml --with-roles --with-secrets > seed.toml",
            ),
        ],
        "apply" => &[
            (
                "See what a seed would change",
                "roster apply seed.toml --dry-run",
            ),
            (
                "Make the database match it, removing users it does not list",
                "roster apply seed.toml --prune --yes",
            ),
        ],
        "sessions" => &[
            (
                "Where a user is logged in",
                "roster sessions list ann@example.com",
            ),
            (
                "Log a user out everywhere",
                "roster sessions revoke ann@example.com",
            ),
        ],
        "sessions list" => &[
            (
                "Where a user is logged in",
                "roster sessions list ann@example.com",
            ),
            (
                "Every session, as JSON",
                "roster sessions list --format json",
            ),
        ],
        "sessions revoke" => &[
            (
                "Log a user out everywhere",
                "roster sessions revoke ann@example.com",
            ),
            (
                "Several users",
                "roster sessions revoke ann@example.com bob@example.com",
            ),
        ],
        "forget" => &[
            (
                "Erase a soft-deleted user's personal data",
                "roster forget ann@example.com",
            ),
            (
                "Their earlier values in the revisions too",
                "roster forget ann@example.com --scrub-revisions",
            ),
        ],
        "doctor" => &[
            (
                "Check which database roster uses, and that it works",
                "roster doctor",
            ),
            (
                "The same report for a monitoring script",
                "roster --project prod doctor --format json",
            ),
        ],
        "roles" => &[
            ("Every role with its users", "roster roles list"),
            (
                "A role for people who read",
                "roster roles create Viewer --app-access",
            ),
        ],
        "roles list" => &[
            ("Every role with its users", "roster roles list"),
            (
                "Their names, for a pipe",
                "roster roles list --format plain --no-headers",
            ),
        ],
        "roles create" => &[
            (
                "A role with access to the app",
                "roster roles create Viewer --app-access",
            ),
            (
                "In a script that runs again",
                "roster roles create Viewer --app-access --if-not-exists",
            ),
        ],
        "roles rename" => &[("Rename a role", "roster roles rename Viewer Reader")],
        "roles edit" => &[
            (
                "Give a role access to the app",
                "roster roles edit Viewer --app-access",
            ),
            (
                "Describe it",
                "roster roles edit Viewer --description 'Reads, never writes'",
            ),
        ],
        "roles delete" => &[
            (
                "Delete a role, moving its users to another",
                "roster roles delete Viewer --reassign Editor",
            ),
            (
                "In a script that runs again",
                "roster roles delete Viewer --reassign Editor --if-exists",
            ),
        ],
        "policy show" => &[
            (
                "The password policy in force and where it comes from",
                "roster policy show",
            ),
            ("As JSON", "roster policy show --format json"),
        ],
        "policy" => &[
            (
                "The password policy in force and where it comes from",
                "roster policy show",
            ),
            ("Check a password against it", "roster policy check"),
        ],
        "policy check" => &[
            (
                "Check a password typed at the prompt",
                "roster policy check",
            ),
            (
                "From standard input, in a script",
                "pass show ann | roster policy check --no-input",
            ),
        ],
        "projects" => &[
            ("The projects of the config file", "roster projects"),
            ("As JSON, for a script", "roster projects --format json"),
        ],
        "2fa enroll" => &[
            (
                "Enrol a user (shows a QR code to scan)",
                "roster 2fa enroll ann@example.com",
            ),
            (
                "The secret and its otpauth URL as JSON",
                "roster 2fa enroll ann@example.com --format json",
            ),
        ],
        "2fa" => &[
            (
                "Enrol a user in two-factor authentication (shows a QR code)",
                "roster 2fa enroll ann@example.com",
            ),
            (
                "Turn it off for a user who lost their phone",
                "roster 2fa disable ann@example.com",
            ),
        ],
        "2fa disable" => &[(
            "Turn two-factor authentication off",
            "roster 2fa disable ann@example.com",
        )],
        "completions" => &[
            (
                "Bash completion for this user",
                "roster completions bash > ~/.local/share/bash-completion/completions/roster",
            ),
            (
                "Fish",
                "roster completions fish > ~/.config/fish/completions/roster.fish",
            ),
        ],
        _ => &[],
    }
}

/// The exit codes, for `--help` and every man page's EXIT STATUS.
pub const EXIT_CODES: [(u8, &str); 9] = [
    (
        0,
        "success, including a change that was already made (idempotent no-op)",
    ),
    (1, "unexpected failure"),
    (
        2,
        "usage or configuration error (also: a file named on the command line cannot be read)",
    ),
    (3, "user or role not found"),
    (
        4,
        "conflict: already exists, or a change the user's status does not allow",
    ),
    (
        5,
        "validation: password policy, bad email, bad field value, missing column",
    ),
    (
        6,
        "database unavailable, locked, or not a Directus/roster database",
    ),
    (
        7,
        "the change is made, but a mail about it could not be sent (--send)",
    ),
    (130, "interrupted"),
];

/// The environment variables roster reads, for the man pages' ENVIRONMENT.
pub const ENVIRONMENT: [(&str, &str); 9] = [
    (
        "ROSTER_DATABASE_URL",
        "The database, when no -d, --env-file or --project names one.",
    ),
    (
        "DATABASE_URL",
        "The database, after a Directus .env found here or in a parent folder.",
    ),
    (
        "ROSTER_PROJECT",
        "The named project of the config file, as --project.",
    ),
    ("ROSTER_CONFIG", "The config file, as --config."),
    (
        "XDG_CONFIG_HOME, HOME",
        "Where the default config file is: $XDG_CONFIG_HOME/roster/config.toml, else ~/.config/roster/config.toml.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour unless --color always asks for it.",
    ),
    (
        "COLUMNS",
        "The width tables fit, instead of the terminal's.",
    ),
    (
        "PGPASSWORD, PGPASSFILE, PGHOST, PGUSER, PGSSLMODE, ...",
        "libpq's variables, for what a postgres:// URL leaves out (never sent to a server named only by a .env roster found).",
    ),
    (
        "SECRET, PUBLIC_URL, EMAIL_*",
        "Read from the project's .env (not the environment) for invite and reset links and mail.",
    ),
];

/// The order in which roster picks the database, for the man pages.
pub const DATABASE_PRECEDENCE: &str = "The database is the first of: -d; --env-file; --project (or ROSTER_PROJECT); ROSTER_DATABASE_URL; a Directus .env that sets DB_CLIENT in this folder or the nearest parent; DATABASE_URL; database_url in the config file; roster.db in this folder (created on first use).";

/// The files roster reads, for the man pages' FILES.
pub const FILES: [(&str, &str); 4] = [
    (
        "~/.config/roster/config.toml",
        "The config file: database_url, busy_timeout_ms, connect_timeout_s, [password_policy] and [projects.NAME] (see examples/config.toml).",
    ),
    (
        "./.env",
        "A Directus project's settings (DB_CLIENT, DB_FILENAME, DB_HOST, ..., SECRET, EMAIL_*), here or in the nearest parent folder.",
    ),
    (
        "./roster.db",
        "The embedded default database, created with roster's schema on first use.",
    ),
    (
        "~/.pgpass",
        "libpq's password file, for PostgreSQL URLs without a password.",
    ),
];

/// The text `--help` ends with: the examples, then (for roster itself) the exit codes.
pub fn after_help(path: &str) -> String {
    let mut text = String::new();
    let examples = examples(path);
    if !examples.is_empty() {
        text.push_str("Examples:\n");
        let shown: Vec<String> = examples
            .iter()
            .map(|(what, line)| format!("  # {what}\n  {line}"))
            .collect();
        text.push_str(&shown.join("\n\n"));
    }
    if path.is_empty() {
        text.push_str("\n\nExit codes:\n");
        for (code, meaning) in EXIT_CODES {
            text.push_str(&format!("  {code:<4} {meaning}\n"));
        }
    }
    text.trim_end().to_string()
}

/// The command tree with each command's examples (and roster's exit codes)
/// after its help: the one tree the parser, `--help`, man pages and
/// completions all come from.
pub fn with_examples(cmd: clap::Command) -> clap::Command {
    add(cmd, "")
}

fn add(cmd: clap::Command, path: &str) -> clap::Command {
    let text = after_help(path);
    let cmd = match text.is_empty() {
        true => cmd,
        false => cmd.after_help(text),
    };
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let path = match path.is_empty() {
            true => name,
            false => format!("{path} {name}"),
        };
        add(sub, &path)
    })
}
