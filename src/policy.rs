//! The password policy: where it comes from and what it requires (spec §5).

use crate::error::{Error, Result};
use regress::{Flags, Regex};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::Duration;
use zeroize::Zeroizing;

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

/// Where one part of the policy in force was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Config(String),
    Database,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Config(path) => write!(f, "config file {path}"),
            Source::Database => f.write_str("directus_settings.auth_password_policy"),
        }
    }
}

/// The longest password roster takes: far beyond any passphrase, short enough
/// that no policy regex or hash takes long on it.
pub const MAX_PASSWORD: usize = 1024;

/// How long a policy regex may work on one password before roster gives up
/// deciding (JavaScript's engine backtracks too, so Directus would hang on it).
const REGEX_BUDGET: Duration = Duration::from_secs(2);

/// One set of rules and where it was found.
#[derive(Debug, Clone)]
pub struct Layer {
    pub rules: Rules,
    pub source: Source,
    /// The regex, compiled on first use: a broken one fails the password
    /// commands, not every command.
    compiled: OnceLock<Arc<Regex>>,
    /// Set once the regex ran out of time on a password: every later check
    /// fails at once instead of leaving one more thread spinning (shared by clones).
    gave_up: Arc<AtomicBool>,
}

/// The password policy in force: every layer found (the config file's and the
/// database's), each of which a password must meet, so a personal config file
/// never weakens the project's policy.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub layers: Vec<Layer>,
}

impl Layer {
    /// Rules from `source`.
    pub fn new(rules: Rules, source: Source) -> Layer {
        Layer {
            rules,
            source,
            compiled: OnceLock::new(),
            gave_up: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The policy stored by Directus in `directus_settings.auth_password_policy`,
    /// refused (exit 2) when JavaScript would refuse it.
    pub fn from_directus(regex: &str) -> Result<Layer> {
        let rules = Rules {
            regex: Some(regex.to_string()),
            ..Rules::default()
        };
        let layer = Layer::new(rules, Source::Database);
        layer.regex()?;
        Ok(layer)
    }

    fn regex(&self) -> Result<Option<Arc<Regex>>> {
        let Some(raw) = &self.rules.regex else {
            return Ok(None);
        };
        if let Some(re) = self.compiled.get() {
            return Ok(Some(Arc::clone(re)));
        }
        let re = Arc::new(compile(raw, &self.source)?);
        Ok(Some(Arc::clone(self.compiled.get_or_init(|| re))))
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
        if let Some(re) = self.regex()?
            && !self.js_test(re, pw)?
        {
            failed.push("regex");
        }
        Ok(failed)
    }

    /// What this layer requires, in words.
    fn requirements(&self, out: &mut Vec<String>) {
        let r = &self.rules;
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
    }
}

impl Policy {
    /// No policy beyond "not empty".
    pub fn none() -> Policy {
        Policy::default()
    }

    /// Directus's policy alone (exit 2 when JavaScript would refuse the regex).
    pub fn from_directus(regex: &str) -> Result<Policy> {
        Ok(Policy {
            layers: vec![Layer::from_directus(regex)?],
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
        for layer in &self.layers {
            if !layer.failures(password)?.is_empty() {
                return Err(Error::validation(format!(
                    "the password does not meet the password policy: it needs {}",
                    self.requirements().join(", ")
                )));
            }
        }
        Ok(())
    }

    /// Compiles every regex, so a broken policy is found before any work.
    pub fn usable(&self) -> Result<()> {
        self.layers.iter().try_for_each(|l| l.regex().map(drop))
    }

    /// What the policy requires, in words, for messages and `policy show`.
    pub fn requirements(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.layers.iter().for_each(|l| l.requirements(&mut out));
        if out.is_empty() {
            out.push("a non-empty password".to_string());
        }
        out
    }

    /// Where the policy comes from, in words: every layer, or that there is none.
    pub fn sources(&self) -> String {
        match self.layers.as_slice() {
            [] => "none (any non-empty password)".to_string(),
            [one] => one.source.to_string(),
            many => {
                let named: Vec<String> = many.iter().map(|l| l.source.to_string()).collect();
                format!("{} (a password must meet each)", named.join(" and "))
            }
        }
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

/// Compiles a policy regex as Directus does (`new RegExp(body)`, no flags, the
/// body being the text between a leading and a trailing slash when both are there),
/// with an engine of ECMAScript semantics, so roster and Directus always agree.
fn compile(raw: &str, source: &Source) -> Result<Regex> {
    let body = match raw.strip_prefix('/') {
        Some(rest) if raw.ends_with('/') => rest.strip_suffix('/').unwrap_or(""),
        _ => raw,
    };
    Regex::with_flags(body, Flags::default()).map_err(|e| {
        Error::usage(format!(
            "the password policy {raw:?} (from {source}) is not a valid JavaScript regular expression: {e}"
        ))
    })
}

impl Layer {
    /// `regex.test(password)` as JavaScript runs it: on UTF-16 code units (so `.`
    /// takes half an emoji, as Directus's does), on a thread given [`REGEX_BUDGET`],
    /// since a backtracking engine can take for ever on a hostile pattern. After
    /// one timeout the regex is not run again in this process.
    fn js_test(&self, re: Arc<Regex>, pw: &str) -> Result<bool> {
        if self.gave_up.load(Ordering::Relaxed) {
            return Err(undecided());
        }
        let units = Zeroizing::new(pw.encode_utf16().collect::<Vec<u16>>());
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .spawn(move || {
                let found = re.find_from_ucs2(&units, 0).next().is_some();
                let _ = tx.send(found);
            })
            .map_err(|e| {
                Error::Internal(format!(
                    "cannot start a thread for the password policy: {e}"
                ))
            })?;
        rx.recv_timeout(REGEX_BUDGET).map_err(|_| {
            self.gave_up.store(true, Ordering::Relaxed);
            undecided()
        })
    }
}

fn undecided() -> Error {
    Error::validation(format!(
        "the password policy's regular expression could not decide on this password in {} s; \
         a shorter password avoids it",
        REGEX_BUDGET.as_secs()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(regex: &str) -> Policy {
        Policy {
            layers: vec![Layer::new(
                Rules {
                    regex: Some(regex.into()),
                    ..Rules::default()
                },
                Source::Database,
            )],
        }
    }

    /// Every pattern and password of `tests/fixtures/policy/js-answers.json`,
    /// answered by Node's own RegExp, gets the same answer here.
    #[test]
    fn every_answer_is_javascripts() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/policy/js-answers.json"
        );
        let table: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let passwords = table["passwords"].as_array().unwrap();
        let mut checked = 0;
        for case in table["cases"].as_array().unwrap() {
            let raw = case["policy"].as_str().unwrap();
            let layer = Layer::new(
                Rules {
                    regex: Some(raw.into()),
                    ..Rules::default()
                },
                Source::Database,
            );
            let compiled = layer.regex();
            assert_eq!(
                compiled.is_ok(),
                case["valid"].as_bool().unwrap(),
                "{raw:?}: {compiled:?}"
            );
            let Ok(Some(re)) = compiled else { continue };
            for (pw, want) in passwords.iter().zip(case["answers"].as_array().unwrap()) {
                let pw = pw.as_str().unwrap();
                let got = layer.js_test(Arc::clone(&re), pw).unwrap();
                assert_eq!(got, want.as_bool().unwrap(), "{raw:?} on {pw:?}");
                checked += 1;
            }
        }
        assert!(checked > 900, "{checked}");
    }

    #[test]
    fn a_regex_that_takes_too_long_is_not_a_refusal_of_the_password() {
        let policy = database(r"/^(a|aa)+b/");
        let long = "a".repeat(200);
        let err = policy.check(&long).unwrap_err().to_string();
        assert!(err.contains("could not decide"), "{err}");
        // Given up once, it is not run again: the next check answers at once.
        let started = std::time::Instant::now();
        assert!(
            policy
                .check("aaaa")
                .unwrap_err()
                .to_string()
                .contains("could not decide")
        );
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
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
    fn directus_strong_preset_works_with_lookaheads() {
        let p = Policy {
            layers: vec![Layer::from_directus(DIRECTUS_STRONG).unwrap()],
        };
        for good in ["AdminPass123!", "EditorPass123!", "SuspendedPass123!"] {
            p.check(good).unwrap();
        }
        for weak in [
            "password",
            "Password1",
            "Pass 123!x",
            "Ab1!",
            "Passwordx\u{661}!",
        ] {
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
            layers: vec![Layer::new(rules, Source::Config("x".into()))],
        };
        p.check("abcdefghijk1").unwrap();
        let err = p.check("short1").unwrap_err().to_string();
        assert!(
            err.ends_with("it needs at least 12 characters, a digit"),
            "{err}"
        );
    }

    #[test]
    fn a_password_meets_every_layer() {
        let mut p = database(DIRECTUS_STRONG);
        let rules = Rules {
            min_length: Some(4),
            ..Rules::default()
        };
        p.layers
            .insert(0, Layer::new(rules, Source::Config("c.toml".into())));
        let err = p.check("abcd").unwrap_err().to_string();
        assert!(
            err.contains("at least 4 characters, at least 8 characters with"),
            "{err}"
        );
        p.check("AdminPass123!").unwrap();
        assert_eq!(
            p.sources(),
            "config file c.toml and directus_settings.auth_password_policy (a password must meet each)"
        );
    }

    #[test]
    fn empty_is_always_refused() {
        assert!(Policy::none().check("").is_err());
        Policy::none().check("x").unwrap();
    }
}
