//! Mailing invitations to the users an import made: the import's rows pass
//! through, the emails of those it created or revived are kept, and once it is
//! committed each user still invited gets a link by mail.

use super::import::{Generated, RolesDone, Sink};
use crate::error::Result;
use crate::invitation::LinkSettings;
use crate::mail::{self, Mailer};
use crate::repo::{Repo, RowAction, RowResult};
use crate::status::Status;

/// A sink that passes every row on and keeps the emails of new or revived users.
pub struct Keeping<'a> {
    pub inner: &'a mut dyn Sink,
    pub made: Vec<String>,
}

impl Sink for Keeping<'_> {
    fn row(&mut self, result: RowResult, made: Option<Generated>) -> Result<()> {
        if matches!(result.action, RowAction::Created | RowAction::Revived) {
            self.made.push(result.email.clone());
        }
        self.inner.row(result, made)
    }

    fn finish(&mut self, roles: &RolesDone, dry_run: bool) -> Result<()> {
        self.inner.finish(roles, dry_run)
    }
}

/// What mailing the invitations did: how many went, and the (email, link) of
/// each that did not, so its link can be passed on by hand.
#[derive(Default)]
pub struct Mailed {
    pub sent: usize,
    pub failed: Vec<(String, String, String)>,
}

/// Mails an invitation to each of these users who is invited now.
pub fn send(
    repo: &mut dyn Repo,
    settings: &LinkSettings,
    mailer: &Mailer,
    emails: &[String],
) -> Result<Mailed> {
    let project = repo.settings()?.project_name;
    let project = project.as_deref().unwrap_or("Directus");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut mailed = Mailed::default();
    for email in emails {
        let Some(user) = repo.find_user(email)? else {
            continue;
        };
        if user.status() != Status::Invited {
            continue;
        }
        let (link, _) = settings.link(&user.email, now);
        match mailer.send(&mail::invitation(&user.email, project, &link)) {
            Ok(()) => mailed.sent += 1,
            Err(e) => mailed.failed.push((user.email, link, e.message())),
        }
    }
    Ok(mailed)
}
