//! What `roster policy` shows: the password policy in force and where it comes from.

use super::{Out, line};
use crate::cli::Format;
use crate::error::Result;
use crate::policy::Policy;
use serde::Serialize;

/// The policy as `policy show` prints it (and its JSON).
#[derive(Serialize)]
struct PolicyView {
    source: String,
    requirements: Vec<String>,
    regex: Option<String>,
    login_attempts: Option<i64>,
}

impl Out {
    /// Shows the policy, its source and the login attempts allowed (`None`: unlimited).
    pub fn policy(&self, policy: &Policy, login_attempts: Option<i64>) -> Result<()> {
        let shown = PolicyView {
            source: policy.sources(),
            requirements: policy.requirements(),
            regex: policy.layers.iter().find_map(|l| l.rules.regex.clone()),
            login_attempts,
        };
        if self.format == Format::Json {
            return self.json(&shown);
        }
        line(format!("source:         {}", shown.source))?;
        line(format!("requires:       {}", shown.requirements.join(", ")))?;
        if let Some(re) = &shown.regex {
            line(format!("regex:          {re}"))?;
        }
        let attempts = shown
            .login_attempts
            .map_or("unlimited".to_string(), |n| n.to_string());
        line(format!("login attempts: {attempts}"))
    }

    /// Says `policy check` accepted the password (JSON: `{"meets_policy": true, "source"}`).
    pub fn password_meets_policy(&self, policy: &Policy) -> Result<()> {
        self.note("the password meets the policy");
        match self.format {
            Format::Json => self.json(&serde_json::json!({
                "meets_policy": true, "source": policy.sources(),
            })),
            _ => Ok(()),
        }
    }
}
