//! The repository: every read and write roster makes, as domain verbs behind
//! one [`Repo`] trait, served by SQLite, PostgreSQL and MySQL/MariaDB alike.

mod audit;
mod batch;
mod core;
mod credentials;
mod custom_fields;
pub mod db;
mod edit;
mod existing;
mod forget;
mod import;
mod listing;
mod locks;
mod mysql;
mod new_ids;
mod pipelined;
mod policies;
mod postgres;
mod role_changes;
mod role_edit;
mod roles;
mod rules;
pub mod schema;
mod seats;
mod select;
mod sessions;
mod settings;
mod sqlite;
mod status_changes;
mod taken;
mod target;
mod tfa;
mod tx;
mod users;
mod watchdog;

use crate::error::Result;
use crate::profile::Profile;
use crate::status::{Change, Status};
pub use existing::{Found, Known};
pub use locks::lock_bucket;
pub use policies::Policy;
pub use rules::{
    collation_twin, email_taken, email_taken_at, email_taken_text, is_collation_twin, no_user,
};
pub use schema::{Flavor, Schema};
use serde::Serialize;
pub use target::{ConnectOpts, Target, open};

/// A user as roster shows it: never a secret, only whether one is set.
/// Which fields there are is [`crate::fields::FIELDS`]; the profile holds the
/// stored profile values (a NULL column is absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    /// The status roster reads (`archived` shows as `deleted`).
    pub status: String,
    pub role: Option<String>,
    pub role_name: Option<String>,
    pub profile: Profile,
    pub has_password: bool,
    pub has_token: bool,
    pub tfa_enabled: bool,
    pub is_admin: bool,
}

impl User {
    /// The status as an enum.
    pub fn status(&self) -> Status {
        Status::from_db(&self.status)
    }

    /// The SSO provider the user logs in with; `None` for a password (`default`).
    pub fn sso_provider(&self) -> Option<&str> {
        self.profile.get("provider").filter(|p| *p != "default")
    }
}

/// A user read for `export`: the user, and the secrets when they were asked for
/// (name as in [`crate::fields::SECRETS`], stored value).
#[derive(Debug, Clone)]
pub struct Record {
    pub user: User,
    pub secrets: Vec<(&'static str, Option<String>)>,
}

/// One user of an import or apply, validated, with its role resolved and its
/// password already hashed.
#[derive(Debug, Clone, Default)]
pub struct ImportRow {
    /// Where it was in the file (line or index), for results.
    pub at: u64,
    /// The same for messages: "line 3", "users[2]".
    pub place: String,
    /// Already normalised.
    pub email: String,
    /// The id for a new row (kept), else a new one is made.
    pub id: Option<String>,
    pub profile: Profile,
    /// Role id.
    pub role: Option<String>,
    pub status: Option<Status>,
    pub password_hash: Option<String>,
    pub token: Option<String>,
    pub tfa_secret: Option<String>,
    /// An SSO provider's data for the user (JSON), a secret.
    pub auth_data: Option<String>,
}

impl ImportRow {
    /// Whether the row makes an SSO account: one that logs in through its
    /// provider, so it needs no password.
    pub fn is_sso(&self) -> bool {
        self.profile.get("provider").is_some_and(|p| p != "default")
    }
}

/// What to do with a row whose email a live user has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OnConflict {
    /// Refuse the whole file (exit 4)
    #[default]
    Fail,
    /// Leave the user as it is
    Skip,
    /// Give the user the fields the row gives
    Update,
}

/// A whole file of users to write in one transaction, known before its rows
/// are handed over: the emails it names decide the locks taken and the users read.
pub struct Import<'a> {
    /// Roles (by id) to change before the users are written (`apply`): the
    /// last-administrator rule holds over the state at the end.
    pub role_edits: &'a [(String, RoleEdit)],
    /// Policies to make and attach once the users are written (`apply`).
    pub policies: &'a [Policy],
    /// Whether a folded email is one a row names (the user may not exist yet).
    pub named: &'a dyn Fn(&str) -> bool,
    /// The lock buckets of the emails the rows name.
    pub buckets: &'a std::collections::BTreeSet<u64>,
    pub on_conflict: OnConflict,
    /// Soft-delete every live user the rows do not name (`apply --prune`).
    pub prune: bool,
    /// Update a user whose id differs from the row's, keeping the user's id
    /// (else such a row is refused: references a migration expects to line up would not).
    pub ignore_ids: bool,
    /// How many rows the file has: the new users' ids are drawn for that many up front.
    pub rows: u64,
}

/// The repository's side of an import under way, inside its transaction and
/// under its locks: the rows are handed to it a chunk at a time, in file order,
/// by the code that reads them, so a file of any size is never held whole.
pub trait ImportWriter {
    /// The status of the user with this folded email now (a live user over a
    /// soft-deleted twin); `None` when there is none.
    fn status_of(&self, email: &str) -> Result<Option<Status>>;
    /// Writes these rows; their results, in the same order.
    fn write(&mut self, rows: &[ImportRow]) -> Result<Vec<RowResult>>;
}

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Created,
    Revived,
    Updated,
    Skipped,
    Unchanged,
    SoftDeleted,
}

/// One field an update changed: (field name, old, new), secrets shown as set or not.
pub type FieldChange = (&'static str, Option<String>, Option<String>);

/// The outcome of one row of an import.
#[derive(Debug, Clone)]
pub struct RowResult {
    /// Where it was in the file; `None` for a user pruned because the file omits it.
    pub at: Option<u64>,
    pub email: String,
    pub id: String,
    pub action: RowAction,
    pub changes: Vec<FieldChange>,
}

/// A Directus session of a user (never its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user_id: String,
    pub email: String,
    /// Epoch milliseconds.
    pub expires: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub origin: Option<String>,
}

/// What `create` and `invite` ask for.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Already normalised (lower-case, validated).
    pub email: String,
    pub profile: Profile,
    /// Role id; required for a new row, optional for a revived one.
    pub role: Option<String>,
    pub status: Status,
    /// argon2 PHC string; `None` for invited users.
    pub password_hash: Option<String>,
    /// A live user with this email is not a conflict but [`Created::Existing`].
    pub if_not_exists: bool,
}

/// How a create ended: a new row, or a soft-deleted row brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    Inserted(User),
    Revived(User),
    /// Nothing written: a user with the email exists (only with `if_not_exists`).
    Existing(User),
}

impl Created {
    pub fn user(&self) -> &User {
        match self {
            Created::Inserted(u) | Created::Revived(u) | Created::Existing(u) => u,
        }
    }
}

/// What `edit` changes; `None` leaves a field as it is, an empty text clears it.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    pub profile: Profile,
    /// Role id.
    pub role: Option<String>,
    /// `Some(None)` clears the avatar; `Some(Some(id))` sets an existing file.
    pub avatar: Option<Option<String>>,
    /// A new email, already normalised.
    pub email: Option<String>,
}

/// Whether a status change did anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    Done { from: Status, user: User },
    AlreadyThere(User),
}

/// What `forget` did: the user, the columns it erased, and the revisions of the
/// row it scrubbed or left holding earlier values.
#[derive(Debug)]
pub struct Forgotten {
    pub changed: Changed,
    /// The columns that held a value and were erased.
    pub erased: Vec<&'static str>,
    pub revisions_scrubbed: u64,
    /// Revisions that still hold personal values (without `--scrub-revisions`).
    pub revisions_kept: u64,
}

impl Changed {
    /// The user as the change left them.
    pub fn user(&self) -> &User {
        match self {
            Changed::Done { user, .. } | Changed::AlreadyThere(user) => user,
        }
    }
}

/// Which users `list` returns.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Empty means every status but deleted (unless `include_deleted`).
    pub statuses: Vec<Status>,
    pub role: Option<String>,
    pub search: Option<String>,
    pub include_deleted: bool,
    /// Only users whose last login is before this (epoch ms), or who never logged in.
    pub inactive_before: Option<i64>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// The field to sort by instead of email.
    pub sort: Option<Sort>,
}

/// The sessions ended for one user, out of what [`Repo::take_sessions_ended`] gave.
pub fn sessions_ended_of(ended: &[(String, u64)], id: &str) -> u64 {
    ended.iter().filter(|(u, _)| u == id).map(|(_, n)| n).sum()
}

/// A sort order of a listing: a field of [`crate::fields::FIELDS`], and which way.
#[derive(Debug, Clone, Copy)]
pub struct Sort {
    pub field: &'static crate::fields::Field,
    pub descending: bool,
}

/// A role, with how access is granted to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub admin_access: bool,
    pub app_access: bool,
    pub users: i64,
}

/// What `roles create` asks for.
#[derive(Debug, Clone)]
pub struct NewRole {
    pub name: String,
    pub admin_access: bool,
    pub app_access: bool,
    /// An existing role with this name is returned instead of a conflict.
    pub if_not_exists: bool,
}

/// What `roles edit` (and `apply` converging a declared role) changes; `None`
/// leaves a value as it is, `Some(None)` clears the description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleEdit {
    pub admin: Option<bool>,
    pub app_access: Option<bool>,
    pub description: Option<Option<String>>,
}

/// The project settings roster reads.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub password_policy: Option<String>,
    pub login_attempts: Option<i64>,
    pub project_name: Option<String>,
}

/// What `doctor` reports about a database beyond its layout.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    /// The last Directus migration applied (Directus databases only).
    pub last_migration: Option<String>,
    pub active_admins: u64,
    /// Directus 12's licence seats: those in use, and those allowed (`None`
    /// with a licence, whose limit roster cannot read); `None` where not counted.
    pub seats: Option<(u64, Option<u64>)>,
}

/// How a write runs.
#[derive(Debug, Clone)]
pub struct WriteOpts {
    /// Do all the work, then roll back.
    pub dry_run: bool,
    /// Record directus_activity/directus_revisions rows.
    pub audit: bool,
    /// The acting user's id, for the audit trail.
    pub actor: Option<String>,
    /// Allow suspending or soft-deleting the last active administrator, and
    /// going past Directus 12's licence seats.
    pub force: bool,
    /// Where a warning about a forced write goes (the repository never prints).
    pub warn: fn(&str),
}

impl Default for WriteOpts {
    fn default() -> Self {
        WriteOpts {
            dry_run: false,
            audit: false,
            actor: None,
            force: false,
            warn: |_| {},
        }
    }
}

/// Every operation roster performs on a database.
pub trait Repo {
    /// The layout found when connecting; an error when it is not a Directus/roster database.
    fn schema(&self) -> Result<&Schema>;
    /// Starts a transaction that the following writes join instead of committing
    /// on their own, so a command can show a secret before it is stored.
    fn hold(&mut self) -> Result<()>;
    /// Ends the held transaction: commits when `commit`, else rolls back.
    fn finish(&mut self, commit: bool) -> Result<()>;
    /// Whose sessions the writes ended since this was last asked, and how many
    /// (in a dry run: would have ended), by user id.
    fn take_sessions_ended(&mut self) -> Vec<(String, u64)>;
    /// Creates roster's standalone schema in an empty database.
    fn init(&mut self, opts: &WriteOpts) -> Result<()>;
    /// A user by email (any case) or id; a soft-deleted one never by a collation
    /// twin (another email MySQL's collation treats as this one).
    fn find_user(&mut self, key: &str) -> Result<Option<User>>;
    /// The user a new row with this email would collide with: a collation twin included.
    fn email_holder(&mut self, email: &str) -> Result<Option<User>>;
    /// Inserts a user, or revives the soft-deleted row with that email.
    fn create_user(&mut self, new: &NewUser, opts: &WriteOpts) -> Result<Created>;
    /// Suspends, unsuspends, soft-deletes or activates a user (spec §3).
    fn change_status(&mut self, key: &str, change: Change, opts: &WriteOpts) -> Result<Changed> {
        let mut done = self.change_statuses(&[key], change, opts)?;
        Ok(done.remove(0))
    }
    /// The same change for several users, all or nothing, in one transaction.
    fn change_statuses(
        &mut self,
        keys: &[&str],
        change: Change,
        opts: &WriteOpts,
    ) -> Result<Vec<Changed>>;
    /// Changes profile fields, role or avatar; `AlreadyThere` when nothing differs.
    fn edit_user(&mut self, key: &str, edit: &Edit, opts: &WriteOpts) -> Result<Changed>;
    /// Sets a new password hash (activating an invited or draft user).
    fn set_password(&mut self, key: &str, hash: &str, opts: &WriteOpts) -> Result<Changed>;
    /// Sets or clears the static token; `AlreadyThere` when the user already has
    /// exactly this token (or, clearing, none).
    fn set_token(&mut self, key: &str, token: Option<&str>, opts: &WriteOpts) -> Result<Changed>;
    /// Stores a TOTP secret (enrol) or clears it (`None`: disable).
    fn set_tfa_secret(
        &mut self,
        key: &str,
        secret: Option<&str>,
        opts: &WriteOpts,
    ) -> Result<Changed>;
    /// Streams the users a filter selects, sorted by email.
    fn list_users(
        &mut self,
        filter: &ListFilter,
        each: &mut dyn FnMut(User) -> Result<()>,
    ) -> Result<()>;
    /// Writes a whole file of users in one transaction (spec §4a).
    /// `feed` hands the rows to the writer; then come the prune (whose results
    /// are returned) and the last-administrator rule.
    fn import_users(
        &mut self,
        import: &Import,
        feed: &mut dyn FnMut(&mut dyn ImportWriter) -> Result<()>,
        opts: &WriteOpts,
    ) -> Result<Vec<RowResult>>;
    /// The users with these (lower-cased) emails, in one pass, to plan an import
    /// before it runs.
    fn known_users(
        &mut self,
        emails: &std::collections::HashSet<String>,
    ) -> Result<std::collections::HashMap<String, Known>>;
    /// The sessions of a user, or of everyone.
    fn list_sessions(&mut self, user: Option<&str>) -> Result<Vec<Session>>;
    /// Ends every session of these users, in one transaction: (user, sessions ended).
    fn revoke_sessions(&mut self, users: &[&str], opts: &WriteOpts) -> Result<Vec<(User, u64)>>;
    /// Erases a soft-deleted user's personal data and credentials, keeping the
    /// row and id; with `scrub_revisions`, in the row's revisions too.
    fn forget_user(
        &mut self,
        key: &str,
        scrub_revisions: bool,
        opts: &WriteOpts,
    ) -> Result<Forgotten>;
    /// How many users a filter selects.
    fn count_users(&mut self, filter: &ListFilter) -> Result<u64>;
    /// Streams users for export, with their secrets when `with_secrets`.
    fn export_users(
        &mut self,
        filter: &ListFilter,
        with_secrets: bool,
        each: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()>;
    /// Every role, sorted by name.
    fn list_roles(&mut self) -> Result<Vec<Role>>;
    /// A role by name (any case) or id.
    fn find_role(&mut self, key: &str) -> Result<Option<Role>>;
    /// Every policy attached to a role or user (Directus 11 and later).
    fn policies(&mut self) -> Result<Vec<Policy>>;
    /// Creates a role whose users get the access asked for.
    fn create_role(&mut self, new: &NewRole, opts: &WriteOpts) -> Result<Role>;
    /// Renames a role (the new name unique in any case).
    fn rename_role(&mut self, key: &str, name: &str, opts: &WriteOpts) -> Result<Role>;
    /// Changes a role's access or description; the role after, and each change
    /// as (field, old, new). Taking the last active administrator's admin access
    /// is refused unless forced.
    fn edit_role(
        &mut self,
        key: &str,
        edit: &RoleEdit,
        opts: &WriteOpts,
    ) -> Result<(Role, Vec<FieldChange>)>;
    /// Deletes a role, moving its users to `reassign` (a role id) first; refused
    /// while users hold it without one. Returns the role and how many users moved.
    fn delete_role(
        &mut self,
        key: &str,
        reassign: Option<&str>,
        opts: &WriteOpts,
    ) -> Result<(Role, u64)>;
    /// The last migration and the number of active administrators.
    fn facts(&mut self) -> Result<Facts>;
    /// The project settings (password policy, login attempts, name).
    fn settings(&mut self) -> Result<Settings>;
}

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    audit::now_ms()
}

/// The canonical form of an id (lower-case, hyphenated) when `key` is a UUID in
/// any of its spellings, so SQLite's text ids and PostgreSQL's uuids match alike.
pub fn canonical_id(key: &str) -> Option<String> {
    uuid::Uuid::parse_str(key.trim())
        .ok()
        .map(|u| u.hyphenated().to_string())
}
