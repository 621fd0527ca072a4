//! Enrolling a user in two-factor authentication (TOTP) as Directus does, or disabling it.

use super::{Run, commit_after};
use crate::config::encode;
use crate::error::Result;
use crate::repo::{Changed, Repo, User};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::Serialize;

/// What a `2fa` command did (its JSON `action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TfaAction {
    Enrolled,
    Disabled,
    /// Disabling a second factor the user does not have.
    Unchanged,
}

/// A user enrolled, with the URI an authenticator app reads (shown once).
pub struct Enrolment {
    pub user: User,
    pub uri: String,
}

/// Gives the user a new TOTP secret; `show` runs before the commit, so the URI
/// reaches the operator before the secret is stored.
pub fn enroll(
    run: &Run,
    repo: &mut dyn Repo,
    key: &str,
    dry_run: bool,
    show: impl FnOnce(&Enrolment) -> Result<()>,
) -> Result<Enrolment> {
    let user = repo
        .find_user(key)?
        .ok_or_else(|| crate::repo::no_user(key))?;
    let project = repo
        .settings()?
        .project_name
        .unwrap_or_else(|| "Directus".into());
    let secret = new_secret();
    let enrolment = Enrolment {
        uri: otpauth_uri(&project, &user.email, &secret),
        user,
    };
    let opts = run.write_opts(repo, dry_run, false)?;
    commit_after(
        repo,
        dry_run,
        |r| r.set_tfa_secret(&enrolment.user.id, Some(&secret), &opts),
        |_| show(&enrolment),
    )?;
    Ok(enrolment)
}

/// Removes the user's TOTP secret; a user without one is left [`TfaAction::Unchanged`].
pub fn disable(
    run: &Run,
    repo: &mut dyn Repo,
    key: &str,
    dry_run: bool,
) -> Result<(TfaAction, User)> {
    let opts = run.write_opts(repo, dry_run, false)?;
    Ok(match repo.set_tfa_secret(key, None, &opts)? {
        Changed::Done { user, .. } => (TfaAction::Disabled, user),
        Changed::AlreadyThere(user) => (TfaAction::Unchanged, user),
    })
}

/// Ten random bytes as sixteen base32 characters, as Directus (otplib) makes them.
fn new_secret() -> String {
    let mut bytes = [0u8; 10];
    OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// The URI Directus's app shows for the same secret.
pub fn otpauth_uri(project: &str, email: &str, secret: &str) -> String {
    let (p, e) = (encode(project), encode(email));
    format!("otpauth://totp/{p}:{e}?secret={secret}&period=30&digits=6&algorithm=SHA1&issuer={p}")
}
