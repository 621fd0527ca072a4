//! What `2fa` says and prints: sentences, the documented JSON, and an otpauth
//! URI (with a QR code at a terminal) shown once.

use super::outcome::dry;
use super::{Out, secret};
use crate::cli::Format;
use crate::error::Result;
use crate::flows::two_fa::{Enrolment, TfaAction};
use crate::repo::User;
use serde::Serialize;
use std::io::IsTerminal;

/// The JSON printed by `2fa` (`otpauth_url` only for an enrolment that is stored).
#[derive(Serialize)]
struct TfaJson<'a> {
    id: &'a str,
    email: &'a str,
    action: TfaAction,
    dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    otpauth_url: Option<&'a str>,
}

impl Out {
    /// Shows an enrolment before it is committed: the URI once (or, in a dry
    /// run, only what would have happened).
    pub fn tfa_enrolling(&self, e: &Enrolment, dry_run: bool) -> Result<()> {
        if dry_run {
            self.note(dry(
                true,
                format!("enrolled {} in two-factor authentication", e.user.email),
            ));
            return self.tfa_json(&e.user, TfaAction::Enrolled, None, dry_run);
        }
        if self.format == Format::Json {
            return self.tfa_json(&e.user, TfaAction::Enrolled, Some(&e.uri), dry_run);
        }
        if !self.quiet && std::io::stderr().is_terminal() {
            super::safe::to_stderr(&qr(&e.uri));
        }
        self.note("otpauth URI for an authenticator app (shown once):");
        secret(&e.uri)
    }

    /// Says an enrolment is done, once it is stored: a failed commit is never reported as done.
    pub fn tfa_enrolled(&self, user: &User) {
        self.note(format!(
            "enrolled {} in two-factor authentication",
            user.email
        ));
    }

    /// Says what `2fa disable` did.
    pub fn tfa_disabled(&self, action: TfaAction, user: &User, dry_run: bool) -> Result<()> {
        self.note(match action {
            TfaAction::Unchanged => format!(
                "{} has no two-factor authentication; nothing to do",
                user.email
            ),
            _ => dry(
                dry_run,
                format!("disabled two-factor authentication for {}", user.email),
            ),
        });
        self.tfa_json(user, action, None, dry_run)
    }

    fn tfa_json(
        &self,
        user: &User,
        action: TfaAction,
        uri: Option<&str>,
        dry_run: bool,
    ) -> Result<()> {
        if self.format != Format::Json {
            return Ok(());
        }
        self.json(&TfaJson {
            id: &user.id,
            email: &user.email,
            action,
            dry_run,
            otpauth_url: uri,
        })
    }
}

/// The URI as a QR code of Unicode half blocks, for a terminal.
fn qr(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::unicode::Dense1x2>()
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}
