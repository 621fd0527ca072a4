//! The typed outcomes of the shared flows, rendered once: the sentence for the
//! operator on stderr and the documented JSON on stdout.

use super::{Out, UserView, iso_time, secret};
use crate::cli::Format;
use crate::error::Result;
use crate::flows::create::{CreateResult, Shown};
use crate::flows::password::Stored;
use crate::flows::status::StatusOutcome;
use crate::repo::{Changed, Created, User};
use crate::status::{Change, Status};
use serde::Serialize;

/// The CSV and plain columns of a status change, as its JSON names them.
const STATUS_HEADER: [&str; 7] = [
    "id",
    "email",
    "previous_status",
    "status",
    "changed",
    "dry_run",
    "sessions_ended",
];

/// Prefixes a sentence for a dry run.
pub(super) fn dry(dry_run: bool, said: String) -> String {
    match dry_run {
        true => format!("dry run: would have {said}; nothing was changed"),
        false => said,
    }
}

/// The JSON printed by create and invite.
#[derive(Serialize)]
struct CreateJson<'a> {
    result: CreateResult,
    dry_run: bool,
    user: UserView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_expires: Option<String>,
}

/// The sentence for what create or invite did.
fn create_sentence(created: &Created) -> String {
    let user = created.user();
    match created {
        Created::Inserted(_) => {
            format!("created {} user {} ({})", user.status, user.email, user.id)
        }
        Created::Revived(_) => format!(
            "revived soft-deleted user {} ({}) as {}, keeping its earlier details",
            user.email, user.id, user.status
        ),
        Created::Existing(_) => format!(
            "{}; nothing changed",
            crate::repo::email_taken_text(&user.email, &user.status)
        ),
    }
}

impl Out {
    /// Says what create or invite did, once it is committed (or rolled back by a
    /// dry run): a note that is never printed for a change that then failed.
    pub fn created_note(&self, created: &Created, dry_run: bool) {
        let wrote = CreateResult::of(created) != CreateResult::Exists;
        self.note(dry(dry_run && wrote, create_sentence(created)));
    }

    /// Shows the result of create or invite before it is committed: a generated
    /// password or an invite link goes to stdout once, or the JSON that carries it.
    pub fn created(&self, created: &Created, shown: Shown, dry_run: bool) -> Result<()> {
        let user = created.user();
        let result = CreateResult::of(created);
        let wrote = result != CreateResult::Exists;
        let password = shown
            .password
            .filter(|c| c.generated && wrote && !dry_run)
            .map(|c| c.secret.as_str());
        // A link works only while the user is invited (Directus checks at acceptance).
        let link = shown
            .link
            .filter(|_| !dry_run && user.status() == Status::Invited);
        if shown.link.is_some() && link.is_none() && !dry_run {
            self.note(format!(
                "no invite link: {} is {}, and Directus accepts invitations only for invited users",
                user.email, user.status
            ));
        }
        if self.format == Format::Json {
            return self.json(&CreateJson {
                result,
                dry_run,
                user: user.into(),
                password,
                link: link.map(|l| l.0),
                link_expires: link.map(|l| iso_time(l.1 as i64 * 1000)),
            });
        }
        if let Some(pw) = password {
            self.note("generated password (shown once):");
            secret(pw)?;
        }
        if let Some((url, exp)) = link {
            let until = iso_time(exp as i64 * 1000);
            self.note(format!("invite link (valid until {until}):"));
            secret(url)?;
        }
        Ok(())
    }

    /// Says how many invitations an import mailed; those that did not go are
    /// printed (email and link, on stdout) and make the exit code 7.
    pub fn invitations_mailed(&self, m: &crate::flows::invitations::Mailed) -> Result<()> {
        self.note(format!(
            "mailed {}",
            super::counted(m.sent as u64, "invitation")
        ));
        let Some((_, _, why)) = m.failed.first() else {
            return Ok(());
        };
        for (email, link, _) in &m.failed {
            secret(&format!("{email} {link}"))?;
        }
        Err(crate::error::Error::Mail(format!(
            "{} not sent ({why})",
            super::counted(m.failed.len() as u64, "invitation")
        ))
        .hint("the users are stored; pass the links above on, or run invite --send for each"))
    }

    /// Prints a password-reset link once: the link on stdout, when it expires on
    /// stderr; JSON carries both.
    pub fn reset_link(&self, user: &User, link: &str, expires: u64) -> Result<()> {
        let until = iso_time(expires as i64 * 1000);
        if self.format == Format::Json {
            return self.json(&serde_json::json!({
                "id": user.id, "email": user.email, "link": link, "link_expires": until,
            }));
        }
        self.note(format!(
            "password reset link for {} (valid until {until}, once):",
            user.email
        ));
        secret(link)
    }

    /// Says what a status change did to each user; JSON is the array of outcomes.
    pub fn status_changes(&self, change: Change, outcomes: &[StatusOutcome]) -> Result<()> {
        for o in outcomes {
            self.note(status_sentence(o, change));
        }
        match self.format {
            Format::Json => self.json(&outcomes),
            Format::Csv | Format::Plain => self.records(outcomes, &STATUS_HEADER),
            Format::Table => Ok(()),
        }
    }

    /// Shows what storing a password did, before it is committed: a generated
    /// password once; under JSON the status-change object (in an array for
    /// `activate`, as its other outcomes), with the password when generated.
    pub fn password_stored(&self, stored: &Stored, dry_run: bool, in_list: bool) -> Result<()> {
        let shown = (stored.chosen.generated && !dry_run).then(|| stored.chosen.secret.as_str());
        if self.format == Format::Json {
            let user = stored.changed.user().id.clone();
            let ended = [(user, stored.ended)];
            let mut o = StatusOutcome::of(stored.changed.clone(), dry_run, &ended);
            o.password = shown.map(str::to_string);
            return match in_list {
                true => self.json(&[o]),
                false => self.json(&o),
            };
        }
        if let Some(pw) = shown {
            self.note("generated password (shown once):");
            secret(pw)?;
        }
        Ok(())
    }

    /// Says that a password was set (and the user activated).
    pub fn password_set(&self, changed: &Changed, dry_run: bool) {
        let Changed::Done { from, user } = changed else {
            return;
        };
        let activated = match from {
            Status::Invited | Status::Draft => " and activated the user",
            other if other.is_unverified() => " and activated the user",
            _ => "",
        };
        let msg = format!("set the password of {}{activated}", user.email);
        self.note(dry(dry_run, msg));
    }

    /// Says `activate` has nothing to do.
    pub fn already_active(&self, user: &User, dry_run: bool) -> Result<()> {
        let o = StatusOutcome::of(Changed::AlreadyThere(user.clone()), dry_run, &[]);
        self.status_changes(Change::Activate, &[o])
    }

    /// Says an SSO account now logs in with the password just set.
    pub fn left_sso(&self, user: &User, provider: &str) {
        self.note(format!(
            "{} logged in through {provider} (SSO); it now logs in with this password (provider default)",
            user.email
        ));
    }

    /// Says what `edit` did (each field: old → new); JSON `{"result", "dry_run", "user"}`.
    pub fn edited(
        &self,
        changed: &Changed,
        before: Option<&User>,
        (dry_run, sessions_ended): (bool, u64),
    ) -> Result<()> {
        let (result, user) = match changed {
            Changed::Done { user, .. } => (EditResult::Updated, user),
            Changed::AlreadyThere(user) => (EditResult::Unchanged, user),
        };
        self.note(match result {
            EditResult::Unchanged => {
                format!("{} already has these values; nothing to do", user.email)
            }
            EditResult::Updated => dry(
                dry_run,
                format!("updated {}", before.map_or(&user.email, |b| &b.email)),
            ),
        });
        if let (EditResult::Updated, Some(before)) = (result, before) {
            for (field, old, new) in differences(before, user)? {
                self.note(format!("  {field}: {old} → {new}"));
            }
        }
        if self.format == Format::Json {
            return self.json(&EditJson {
                result,
                dry_run,
                user: user.into(),
                sessions_ended,
            });
        }
        Ok(())
    }
}

/// The fields of the output view whose values differ, as shown: (name, old, new).
fn differences(before: &User, after: &User) -> Result<Vec<(String, String, String)>> {
    let as_map = |u: &User| match serde_json::to_value(UserView(u)) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Ok(serde_json::Map::new()),
        Err(e) => Err(super::io_err(e)),
    };
    let (old, new) = (as_map(before)?, as_map(after)?);
    let shown = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "(none)".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    Ok(old
        .iter()
        // The role's name says it; its id would repeat the change.
        .filter(|(k, v)| new.get(*k) != Some(*v) && *k != "role_id")
        .map(|(k, v)| (k.clone(), shown(Some(v)), shown(new.get(k))))
        .collect())
}

/// The result word of `edit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum EditResult {
    Updated,
    Unchanged,
}

#[derive(Serialize)]
struct EditJson<'a> {
    result: EditResult,
    dry_run: bool,
    user: UserView<'a>,
    sessions_ended: u64,
}

fn status_sentence(o: &StatusOutcome, change: Change) -> String {
    if !o.changed {
        return format!("{} is already {}; nothing to do", o.email, change.target());
    }
    let verb = match change {
        Change::Suspend => "suspended",
        Change::Unsuspend => "unsuspended",
        Change::SoftDelete => "soft-deleted",
        Change::Activate => "activated",
    };
    let restored = match change == Change::Unsuspend && o.status != "active" {
        true => format!(": {} again, as before the suspension", o.status),
        false => String::new(),
    };
    dry(
        o.dry_run,
        format!("{verb} {} (was {}){restored}", o.email, o.previous_status),
    )
}
