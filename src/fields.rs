//! A user's fields, described once: the output name (JSON, CSV, import and
//! export), where each is stored, its flag and its validation. The SELECT list,
//! row reading, profile validation, the edit diff, the output view, the CSV
//! header and the import/export columns are all derived from [`FIELDS`].

/// How a profile field's value is checked (spec §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Trimmed text of at most this many characters.
    Text(usize),
    /// An IANA zone name.
    Timezone,
    /// A BCP 47 tag.
    Language,
    /// light, dark or auto.
    Theme,
    /// true or false.
    Bool,
}

/// What a field is, which decides how it is read and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Id,
    Email,
    Status,
    /// The role's name (joined from directus_roles).
    RoleName,
    /// The role's id.
    RoleId,
    /// Whether the user is an administrator (computed from roles and access).
    Admin,
    /// A profile field the user's flags, import rows and `edit` may set.
    Profile(Rule),
    /// Any other stored text shown as it is.
    Text,
    /// Whether a secret column is set; the secret itself is never read for output.
    IsSet(&'static str),
    /// A timestamp, shown as RFC 3339 in UTC.
    Time,
}

/// One field of a user.
#[derive(Debug)]
pub struct Field {
    /// The JSON and CSV name, also the import and export key.
    pub name: &'static str,
    pub kind: Kind,
    /// The `directus_users` columns that may hold it, the first present wins
    /// (`appearance` since Directus 10.7, `theme` before).
    pub columns: &'static [&'static str],
    /// The name in messages ("first name").
    pub label: &'static str,
    /// The flag's help text, for profile fields.
    pub help: &'static str,
    /// The flag's value name in `--help`.
    pub value_name: &'static str,
    /// A second, visible flag name.
    pub alias: Option<&'static str>,
    /// Read and written by `export` and `import`.
    pub portable: bool,
    /// Data about the person, which `forget` erases (profile fields are, unless
    /// they say otherwise, so a new one cannot survive an erasure unnoticed).
    pub personal: bool,
}

const fn field(name: &'static str, kind: Kind, columns: &'static [&'static str]) -> Field {
    Field {
        name,
        kind,
        columns,
        label: name,
        help: "",
        value_name: "",
        alias: None,
        portable: false,
        personal: false,
    }
}

const fn profile(
    name: &'static str,
    rule: Rule,
    label: &'static str,
    value_name: &'static str,
    help: &'static str,
) -> Field {
    Field {
        name,
        kind: Kind::Profile(rule),
        columns: &[],
        label,
        help,
        value_name,
        alias: None,
        portable: true,
        personal: true,
    }
}

/// Every field of a user in the order output shows them (the README's JSON shape).
pub const FIELDS: [Field; 20] = [
    Field {
        portable: true,
        ..field("id", Kind::Id, &["id"])
    },
    Field {
        portable: true,
        ..field("email", Kind::Email, &["email"])
    },
    Field {
        columns: &["first_name"],
        ..profile(
            "first_name",
            Rule::Text(50),
            "first name",
            "NAME",
            "First name (at most 50 characters)",
        )
    },
    Field {
        columns: &["last_name"],
        ..profile(
            "last_name",
            Rule::Text(50),
            "last name",
            "NAME",
            "Last name (at most 50 characters)",
        )
    },
    Field {
        portable: true,
        ..field("status", Kind::Status, &["status"])
    },
    Field {
        portable: true,
        ..field("role", Kind::RoleName, &[])
    },
    field("role_id", Kind::RoleId, &["role"]),
    field("admin", Kind::Admin, &[]),
    Field {
        columns: &["title"],
        ..profile(
            "title",
            Rule::Text(50),
            "title",
            "TITLE",
            "Job title (at most 50 characters)",
        )
    },
    Field {
        columns: &["company"],
        ..profile(
            "company",
            Rule::Text(255),
            "company",
            "COMPANY",
            "Company (needs a company column, as roster init creates)",
        )
    },
    Field {
        columns: &["timezone"],
        ..profile(
            "timezone",
            Rule::Timezone,
            "timezone",
            "ZONE",
            "IANA time zone such as Europe/Berlin (needs a timezone column)",
        )
    },
    Field {
        columns: &["language"],
        alias: Some("locale"),
        ..profile(
            "language",
            Rule::Language,
            "language",
            "TAG",
            "Locale as a BCP 47 tag such as en-US",
        )
    },
    // A preference of the app, not data about the person: forget keeps it.
    Field {
        columns: &["appearance", "theme"],
        personal: false,
        ..profile(
            "theme",
            Rule::Theme,
            "theme",
            "THEME",
            "Theme of the Directus app: light, dark or auto",
        )
    },
    Field {
        personal: true,
        ..field("avatar", Kind::Text, &["avatar"])
    },
    // A preference too.
    Field {
        columns: &["email_notifications"],
        personal: false,
        ..profile(
            "email_notifications",
            Rule::Bool,
            "email notifications",
            "BOOL",
            "Whether the user gets email notifications: true or false",
        )
    },
    field("password_set", Kind::IsSet("password"), &["password"]),
    field("token_set", Kind::IsSet("token"), &["token"]),
    field("tfa_enabled", Kind::IsSet("tfa_secret"), &["tfa_secret"]),
    field("provider", Kind::Text, &["provider"]),
    field("last_access", Kind::Time, &["last_access"]),
];

/// The secrets `export --with-secrets` adds and `import` reads: (name, column).
pub const SECRETS: [(&str, &str); 3] = [
    ("password_hash", "password"),
    ("token", "token"),
    ("tfa_secret", "tfa_secret"),
];

/// A `directus_users` column that no field shows, but that roster must treat
/// as personal data or as a secret all the same.
#[derive(Debug)]
pub struct Hidden {
    pub column: &'static str,
    /// Erased by `forget`.
    pub personal: bool,
    /// Masked in the audit trail. (What a soft-delete clears is [`SECRETS`],
    /// which these columns are not part of.)
    pub secret: bool,
}

const fn hidden(column: &'static str) -> Hidden {
    Hidden {
        column,
        personal: true,
        secret: false,
    }
}

/// The columns of Directus's own that roster never shows but `forget` erases.
pub const HIDDEN: [Hidden; 6] = [
    hidden("location"),
    hidden("description"),
    hidden("tags"),
    // An SSO provider's refresh token: as secret as a password, and personal.
    Hidden {
        secret: true,
        ..hidden("auth_data")
    },
    hidden("external_identifier"),
    hidden("last_page"),
];

/// The columns of personal data that `forget` clears, where the database has them.
pub fn personal_columns() -> impl Iterator<Item = &'static str> {
    let shown = FIELDS.iter().filter(|f| f.personal);
    let shown = shown.flat_map(|f| f.columns.iter().copied());
    shown.chain(HIDDEN.iter().filter(|h| h.personal).map(|h| h.column))
}

/// The credential columns: what soft-delete clears, and what a revision never shows.
pub fn secret_columns() -> impl Iterator<Item = &'static str> {
    SECRETS.iter().map(|(_, column)| *column)
}

/// Whether the audit trail masks a column's value.
pub fn is_masked(column: &str) -> bool {
    let hidden = HIDDEN.iter().filter(|h| h.secret).map(|h| h.column);
    secret_columns().chain(hidden).any(|c| c == column)
}

/// The profile fields, in output order.
pub fn profile_fields() -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(|f| matches!(f.kind, Kind::Profile(_)))
}

/// A field by its name.
pub fn by_name(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The names of every field, in output order: the CSV header of `list`.
pub fn names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|f| f.name)
}

impl Field {
    /// The profile rule, for a profile field.
    pub fn rule(&self) -> Option<Rule> {
        match self.kind {
            Kind::Profile(rule) => Some(rule),
            _ => None,
        }
    }

    /// The long flag that sets it: the name with hyphens.
    pub fn flag(&self) -> String {
        self.name.replace('_', "-")
    }
}
