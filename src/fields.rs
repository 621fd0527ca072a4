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
    /// Text that may span lines (tabs and line breaks kept), at most this many characters.
    Multiline(usize),
    /// JSON of this shape, stored compact.
    Json(Shape),
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A UUID (a row of another table).
    Uuid,
    /// An instant, RFC 3339 in files and output.
    Time,
    /// A custom field of the project: the one of [`custom`] at this index,
    /// checked by its column's type and Directus's rules for it.
    Custom(u16),
}

/// What a JSON field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An array of strings (Directus's tags).
    Strings,
    /// An object (the app's theme overrides).
    Object,
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
    /// A value of the account that import rows (and, with a flag, commands) set.
    Profile(Rule),
    /// Whether a secret column is set; the secret itself is never read for output.
    IsSet(&'static str),
}

/// One field of a user.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The JSON and CSV name, also the import and export key.
    pub name: &'static str,
    pub kind: Kind,
    /// The `directus_users` columns that may hold it, the first present wins
    /// (`appearance` since Directus 10.7, `theme` before).
    pub columns: &'static [&'static str],
    /// The name in messages ("first name").
    pub label: &'static str,
    /// The flag's help text, for profile fields that commands set by a flag
    /// (empty: files alone set it).
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
    /// The value a database without the column behaves as having: a file that
    /// gives it moves to such a database without a word (`text_direction` came
    /// with Directus 11.4, and every export from a later version carries `auto`).
    pub default: Option<&'static str>,
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
        default: None,
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
        default: None,
    }
}

/// An account value that files move and commands show, without a flag of its own.
const fn account(name: &'static str, rule: Rule, label: &'static str) -> Field {
    profile(name, rule, label, "", "")
}

/// Every field of a user in the order output shows them (the README's JSON shape).
pub const FIELDS: [Field; 30] = [
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
    // Set by `edit --avatar` (which checks the file) and by files.
    Field {
        columns: &["avatar"],
        ..account("avatar", Rule::Uuid, "avatar")
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
    // How the user logs in: `default` (a password) or an SSO provider's name.
    Field {
        columns: &["provider"],
        personal: false,
        default: Some("default"),
        ..account("provider", Rule::Text(128), "provider")
    },
    Field {
        columns: &["last_access"],
        personal: false,
        ..account("last_access", Rule::Time, "last access")
    },
    Field {
        columns: &["location"],
        ..account("location", Rule::Text(255), "location")
    },
    Field {
        columns: &["description"],
        ..account("description", Rule::Multiline(65_535), "description")
    },
    Field {
        columns: &["tags"],
        ..account("tags", Rule::Json(Shape::Strings), "tags")
    },
    // Preferences of the app, kept by forget as the theme is.
    Field {
        columns: &["text_direction"],
        personal: false,
        default: Some("auto"),
        ..account(
            "text_direction",
            Rule::Choice(&["auto", "ltr", "rtl"]),
            "text direction",
        )
    },
    Field {
        columns: &["theme_light"],
        personal: false,
        ..account("theme_light", Rule::Text(255), "light theme")
    },
    Field {
        columns: &["theme_dark"],
        personal: false,
        ..account("theme_dark", Rule::Text(255), "dark theme")
    },
    Field {
        columns: &["theme_light_overrides"],
        personal: false,
        ..account(
            "theme_light_overrides",
            Rule::Json(Shape::Object),
            "light theme overrides",
        )
    },
    Field {
        columns: &["theme_dark_overrides"],
        personal: false,
        ..account(
            "theme_dark_overrides",
            Rule::Json(Shape::Object),
            "dark theme overrides",
        )
    },
    // The user's id at the SSO provider: unique, and personal.
    Field {
        columns: &["external_identifier"],
        ..account(
            "external_identifier",
            Rule::Text(255),
            "external identifier",
        )
    },
    Field {
        columns: &["last_page"],
        ..account("last_page", Rule::Text(255), "last page")
    },
];

/// The secrets `export --with-secrets` adds and `import` reads: (name, column).
/// They are what a soft-delete clears and what the audit trail masks.
pub const SECRETS: [(&str, &str); 4] = [
    ("password_hash", "password"),
    ("token", "token"),
    ("tfa_secret", "tfa_secret"),
    // An SSO provider's tokens for the user: as secret as a password.
    ("auth_data", "auth_data"),
];

/// Whether a column holds a field roster already knows (or a secret).
pub fn known_column(column: &str) -> bool {
    FIELDS.iter().any(|f| f.columns.contains(&column)) || SECRETS.iter().any(|(_, c)| *c == column)
}

/// The columns of personal data that `forget` clears, where the database has them.
pub fn personal_columns() -> impl Iterator<Item = &'static str> {
    let personal = all().iter().filter(|f| f.personal);
    personal.flat_map(|f| f.columns.iter().copied())
}

/// The credential columns: what soft-delete clears, and what a revision never shows.
pub fn secret_columns() -> impl Iterator<Item = &'static str> {
    SECRETS.iter().map(|(_, column)| *column)
}

/// Whether the audit trail masks a column's value.
pub fn is_masked(column: &str) -> bool {
    secret_columns().any(|c| c == column)
}

/// Whether a column holds JSON (recorded in revisions as the value it is).
pub fn is_json(column: &str) -> bool {
    // auth_data is JSON too, though a secret's value is never recorded.
    let json = FIELDS
        .iter()
        .filter(|f| matches!(f.kind, Kind::Profile(Rule::Json(_))));
    column == "auth_data" || json.flat_map(|f| f.columns.iter()).any(|c| *c == column)
}

/// The profile fields, in output order.
pub fn profile_fields() -> impl Iterator<Item = &'static Field> {
    all().iter().filter(|f| matches!(f.kind, Kind::Profile(_)))
}

/// The profile fields commands set by a flag of their own.
pub fn flag_fields() -> impl Iterator<Item = &'static Field> {
    FIELDS
        .iter()
        .filter(|f| matches!(f.kind, Kind::Profile(_)) && !f.help.is_empty())
}

/// A field by its name.
pub fn by_name(name: &str) -> Option<&'static Field> {
    all().iter().find(|f| f.name == name)
}

/// The names of every field, in output order: the CSV header of `list`.
pub fn names() -> impl Iterator<Item = &'static str> {
    all().iter().map(|f| f.name)
}

/// The field table of this run: [`FIELDS`], then the custom fields of the
/// database roster opened (the table joins them when it reads the layout).
pub fn all() -> &'static [Field] {
    TABLE.get().map_or(&FIELDS[..], |t| t.0)
}

/// The custom fields of the database this run opened, in column order.
pub fn customs() -> &'static [crate::custom::CustomField] {
    TABLE.get().map_or(&[], |t| t.1)
}

/// The custom field a [`Rule::Custom`] names.
pub fn custom(i: u16) -> &'static crate::custom::CustomField {
    &TABLE
        .get()
        .expect("custom fields are registered before use")
        .1[usize::from(i)]
}

/// The field table with the custom fields, and those fields: set once, when
/// the first database is opened (a run works on one database).
static TABLE: std::sync::OnceLock<(&'static [Field], &'static [crate::custom::CustomField])> =
    std::sync::OnceLock::new();

/// Makes the custom fields of the database part of the field table. Their
/// names live as long as the run, as the fixed fields' do.
pub fn register_custom(found: Vec<crate::custom::CustomField>) {
    if found.is_empty() || TABLE.get().is_some() {
        return;
    }
    let customs: &'static [crate::custom::CustomField] = Vec::leak(found);
    let mut table = FIELDS.to_vec();
    table.extend(customs.iter().enumerate().map(|(i, c)| custom_field(c, i)));
    let _ = TABLE.set((Vec::leak(table), customs));
}

/// The field a custom column is: a profile field under its own name, stored in
/// the column of that name, moved by import and export, erased by forget
/// (unless its column cannot be empty).
fn custom_field(c: &'static crate::custom::CustomField, i: usize) -> Field {
    let name: &'static str = &c.name;
    Field {
        columns: Vec::leak(vec![name]),
        personal: c.nullable,
        ..profile(name, Rule::Custom(i as u16), name, "", "")
    }
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
