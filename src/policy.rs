//! The password policy: where it comes from and what it requires (spec §5).

use crate::error::{Error, Result};
use fancy_regex::Regex;
use serde::{Deserialize, Serialize};

/// Directus's "Strong" preset, exactly as its admin app stores it.
pub const DIRECTUS_STRONG: &str =
    r"/(?=^.{8,}$)(?=.*\d)(?=.*[a-z])(?=.*[A-Z])(?=.*[!@#$%^&*()_+}{';'?>.<,])(?!.*\s).*$/";
/// Directus's "Weak" preset.
pub const DIRECTUS_WEAK: &str = "/^.{8,}$/";

/// The `[password_policy]` table of the config file.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Fewest characters allowed.
    pub min_length: Option<usize>,
    pub require_digit: Option<bool>,
    pub require_lower: Option<bool>,
    pub require_upper: Option<bool>,
    /// Needs a character that is neither a letter, a digit nor whitespace.
    pub require_special: Option<bool>,
    /// A regex (JavaScript syntax, `/…/` optional) the whole password must match.
    pub regex: Option<String>,
}

/// Where the policy in force was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Config(String),
    Database,
    None,
}

/// The longest password roster takes: far beyond any passphrase, short enough
/// that no policy regex or hash takes long on it.
pub const MAX_PASSWORD: usize = 1024;

/// The password policy in force.
#[derive(Debug, Clone)]
pub struct Policy {
    pub rules: Rules,
    pub source: Source,
}

impl Policy {
    /// No policy beyond "not empty".
    pub fn none() -> Policy {
        Policy {
            rules: Rules::default(),
            source: Source::None,
        }
    }

    /// The policy stored by Directus in `directus_settings.auth_password_policy`.
    pub fn from_directus(regex: &str) -> Result<Policy> {
        let rules = Rules {
            regex: Some(regex.to_string()),
            ..Rules::default()
        };
        compile(regex)?;
        Ok(Policy {
            rules,
            source: Source::Database,
        })
    }

    /// Refuses an empty password always, and one that breaks a rule, naming the rules.
    pub fn check(&self, password: &str) -> Result<()> {
        if password.is_empty() {
            return Err(Error::validation("the password is empty"));
        }
        let len = password.chars().count();
        if len > MAX_PASSWORD {
            return Err(Error::validation(format!(
                "the password has {len} characters; roster takes at most {MAX_PASSWORD}"
            )));
        }
        if self.failures(password)?.is_empty() {
            return Ok(());
        }
        Err(Error::validation(format!(
            "the password does not meet the password policy: it needs {}",
            self.requirements().join(", ")
        )))
    }

    fn failures(&self, pw: &str) -> Result<Vec<&'static str>> {
        let r = &self.rules;
        let mut failed = Vec::new();
        let want = |flag: Option<bool>| flag.unwrap_or(false);
        if r.min_length.is_some_and(|n| pw.chars().count() < n) {
            failed.push("length");
        }
        if want(r.require_digit) && !pw.chars().any(|c| c.is_ascii_digit()) {
            failed.push("digit");
        }
        if want(r.require_lower) && !pw.chars().any(char::is_lowercase) {
            failed.push("lower");
        }
        if want(r.require_upper) && !pw.chars().any(char::is_uppercase) {
            failed.push("upper");
        }
        if want(r.require_special) && !pw.chars().any(is_special) {
            failed.push("special");
        }
        if let Some(re) = &r.regex {
            // An error is the regex engine giving up (its backtracking limit), not
            // "no match": say so rather than refuse a password that may be fine.
            let matched = compile(re)?.is_match(pw).map_err(|e| {
                Error::validation(format!(
                    "the password policy's regular expression could not decide on this password ({e}); \
                     a shorter password avoids it"
                ))
            })?;
            if !matched {
                failed.push("regex");
            }
        }
        Ok(failed)
    }

    /// What the policy requires, in words, for messages and `policy show`.
    pub fn requirements(&self) -> Vec<String> {
        let r = &self.rules;
        let mut out = Vec::new();
        if let Some(n) = r.min_length {
            out.push(format!("at least {n} characters"));
        }
        let flags = [
            (r.require_digit, "a digit"),
            (r.require_lower, "a lower-case letter"),
            (r.require_upper, "an upper-case letter"),
            (r.require_special, "a special character"),
        ];
        out.extend(
            flags
                .iter()
                .filter(|(f, _)| f.unwrap_or(false))
                .map(|(_, w)| w.to_string()),
        );
        if let Some(re) = &r.regex {
            out.push(describe_regex(re));
        }
        if out.is_empty() {
            out.push("a non-empty password".to_string());
        }
        out
    }
}

fn is_special(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// Words for Directus's presets; the regex itself for anything else.
fn describe_regex(re: &str) -> String {
    match re {
        DIRECTUS_STRONG => {
            "at least 8 characters with a digit, a lower-case letter, an upper-case \
                            letter and a special character (one of !@#$%^&*()_+}{';'?>.<,), and no whitespace"
                .to_string()
        }
        DIRECTUS_WEAK => "at least 8 characters".to_string(),
        other => format!("to match {other}"),
    }
}

/// Compiles a policy regex the way Directus does: surrounding slashes removed.
fn compile(raw: &str) -> Result<Regex> {
    let body = raw
        .strip_prefix('/')
        .and_then(|s| s.strip_suffix('/'))
        .unwrap_or(raw);
    Regex::new(&ascii_classes(body)).map_err(|e| {
        Error::usage(format!(
            "the password policy {raw:?} is not a valid regex: {e}"
        ))
    })
}

/// JavaScript's `\d` and `\w` are ASCII-only, Rust's are Unicode: spell them out,
/// so a policy accepts exactly what Directus accepts.
fn ascii_classes(js: &str) -> String {
    let (mut out, mut in_class, mut chars) = (String::new(), false, js.chars());
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let ascii = match next {
                    'd' => Some("0-9"),
                    'w' => Some("A-Za-z0-9_"),
                    'D' if !in_class => Some("^0-9"),
                    'W' if !in_class => Some("^A-Za-z0-9_"),
                    _ => None,
                };
                match ascii {
                    Some(set) if in_class => out.push_str(set),
                    Some(set) => out.push_str(&format!("[{set}]")),
                    None => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regex_that_gives_up_is_not_a_refusal_of_the_password() {
        let policy = Policy {
            rules: Rules {
                regex: Some(r"/^(?=(a|aa)+b)/".into()),
                ..Rules::default()
            },
            source: Source::Database,
        };
        let long = "a".repeat(1000);
        let err = policy.check(&long).unwrap_err().to_string();
        assert!(
            err.contains("could not decide") || err.contains("does not meet"),
            "{err}"
        );
        let too_long = "a".repeat(MAX_PASSWORD + 1);
        assert!(
            policy
                .check(&too_long)
                .unwrap_err()
                .to_string()
                .contains("at most 1024")
        );
    }

    #[test]
    fn digits_and_word_characters_are_ascii_as_in_javascript() {
        assert_eq!(
            super::ascii_classes(r"(?=.*\d)[\w.]\D\s"),
            r"(?=.*[0-9])[A-Za-z0-9_.][^0-9]\s"
        );
        let p = super::Policy::from_directus(super::DIRECTUS_STRONG).unwrap();
        assert!(
            p.check("Passwordx\u{661}!").is_err(),
            "an Arabic-Indic digit is not a JS digit"
        );
        p.check("Passwordx1!").unwrap();
    }

    #[test]
    fn directus_strong_preset_works_with_lookaheads() {
        let p = Policy::from_directus(DIRECTUS_STRONG).unwrap();
        for good in ["AdminPass123!", "EditorPass123!", "SuspendedPass123!"] {
            p.check(good).unwrap();
        }
        for weak in ["password", "Password1", "Pass 123!x", "Ab1!"] {
            let err = p.check(weak).unwrap_err();
            assert_eq!(err.exit_code(), 5);
            assert!(err.to_string().contains("a special character"), "{err}");
        }
    }

    #[test]
    fn config_rules_name_what_is_required() {
        let rules = Rules {
            min_length: Some(12),
            require_digit: Some(true),
            ..Rules::default()
        };
        let p = Policy {
            rules,
            source: Source::Config("x".into()),
        };
        p.check("abcdefghijk1").unwrap();
        let err = p.check("short1").unwrap_err().to_string();
        assert!(
            err.ends_with("it needs at least 12 characters, a digit"),
            "{err}"
        );
    }

    #[test]
    fn empty_is_always_refused() {
        assert!(Policy::none().check("").is_err());
        Policy::none().check("x").unwrap();
    }
}
