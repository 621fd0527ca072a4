//! What `set-token` says and prints: a sentence, the documented JSON, and a
//! generated token shown once.

use super::outcome::dry;
use super::{Out, secret};
use crate::cli::Format;
use crate::error::Result;
use crate::flows::token::{TokenAction, TokenOutcome};
use serde::Serialize;

/// The JSON printed by `set-token` (`token` is null unless one was generated).
#[derive(Serialize)]
struct TokenJson<'a> {
    id: &'a str,
    email: &'a str,
    action: TokenAction,
    dry_run: bool,
    token: Option<&'a str>,
    sessions_ended: u64,
}

impl Out {
    /// Reports a token change; a generated token is printed (before it is committed).
    pub fn token(&self, o: &TokenOutcome) -> Result<()> {
        self.note(token_sentence(o));
        if self.format == Format::Json {
            return self.json(&TokenJson {
                id: &o.user.id,
                email: &o.user.email,
                action: o.action,
                dry_run: o.dry_run,
                token: o.shown,
                sessions_ended: o.sessions_ended,
            });
        }
        if let Some(t) = o.shown {
            self.note("token (shown once):");
            secret(t)?;
        }
        Ok(())
    }
}

fn token_sentence(o: &TokenOutcome) -> String {
    let verb = match o.action {
        TokenAction::Unchanged if o.user.has_token => {
            return format!(
                "{} already has this static token; nothing to do",
                o.user.email
            );
        }
        TokenAction::Unchanged => {
            return format!("{} has no static token; nothing to do", o.user.email);
        }
        TokenAction::Generated => "generated",
        TokenAction::Set => "set",
        TokenAction::Cleared => "cleared",
    };
    dry(
        o.dry_run,
        format!("{verb} the static token of {}", o.user.email),
    )
}
