//! Passwords: where they come from, how they are hashed (argon2id as Directus
//! hashes them), and random generation.

use crate::error::{Error, Result};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use rand::rngs::OsRng;
use std::io::{BufRead, IsTerminal};
use std::path::Path;
use zeroize::Zeroizing;

/// A password held in memory that is wiped when dropped.
pub type Secret = Zeroizing<String>;

/// Directus's argon2 parameters: m=65536 KiB, t=3, p=4.
const MEMORY_KIB: u32 = 65536;
const ITERATIONS: u32 = 3;
const LANES: u32 = 4;

/// Where the password of one command comes from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub stdin: bool,
    pub file: Option<std::path::PathBuf>,
    pub env: Option<String>,
    pub random: bool,
    pub value: Option<String>,
}

/// A password and whether roster made it (and so must print it once).
pub struct Obtained {
    pub secret: Secret,
    pub generated: bool,
}

impl Sources {
    /// Whether any non-interactive source was named.
    pub fn any(&self) -> bool {
        self.stdin
            || self.file.is_some()
            || self.env.is_some()
            || self.random
            || self.value.is_some()
    }
}

fn strip_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    s
}

/// The first line `r` gives, without its line break; `what` names it in an error.
pub fn read_line(mut r: impl BufRead, what: &str) -> Result<String> {
    let mut line = String::new();
    r.read_line(&mut line)
        .map_err(|e| Error::usage(format!("cannot read {what}: {e}")))?;
    Ok(strip_newline(line))
}

/// The first line of a password file.
pub fn read_file(path: &Path) -> Result<String> {
    let text = crate::input::read(path, "password file")?;
    let text = Zeroizing::new(text);
    Ok(strip_newline(
        text.lines().next().unwrap_or("").to_string() + "\n",
    ))
}

/// A password that passed the policy (not hashed yet: hashing is the costly part,
/// done only once a command knows it will write).
pub struct Chosen {
    pub secret: Secret,
    pub generated: bool,
}

impl Chosen {
    /// The argon2id PHC string to store.
    pub fn hash(&self) -> Result<String> {
        hash(&self.secret)
    }
}

/// The warning for a password the policy refuses, let through by `--allow-weak-password`.
pub const WEAK_ACCEPTED: &str = "warning: the password does not meet the password policy; accepted because of --allow-weak-password";

/// The usage error for a command that needs a password and got none.
pub fn missing() -> Error {
    Error::usage(
        "no password given: use --password-stdin, --password-file, --password-env or --random-password \
         (roster prompts only at a terminal, and never with --no-input)",
    )
}

/// Whether roster may ask questions: a terminal on both ends and no `--no-input`.
pub fn interactive(no_input: bool) -> bool {
    !no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Hashes a password with argon2id and Directus's parameters, as a PHC string.
pub fn hash(password: &str) -> Result<String> {
    let phc = hasher()
        .hash_password(password.as_bytes())
        .map_err(|e| Error::validation(format!("cannot hash the password: {e}")))?;
    Ok(phc.to_string())
}

/// Checks a password against a stored PHC hash (any argon2 parameters).
pub fn verify(password: &str, phc: &str) -> bool {
    hasher().verify_password(password.as_bytes(), phc).is_ok()
}

fn hasher() -> Argon2<'static> {
    // The constants are valid parameters, so this cannot fail.
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
/// From the specials Directus's "Strong" preset accepts, only those a shell leaves
/// alone unquoted, so a generated password pasted into a command line stays whole
/// (`!`, `$`, `&`, `*`, `(`, `<`, `?` ... would expand or redirect).
const SPECIAL: &[u8] = b"@%_+.,";

/// A 24-character password from the OS CSPRNG with every character class,
/// so it satisfies Directus's "strong" preset.
pub fn random() -> Secret {
    let mut rng = OsRng;
    let all: Vec<u8> = [LOWER, UPPER, DIGITS, SPECIAL].concat();
    let mut bytes: Vec<u8> = [LOWER, UPPER, DIGITS, SPECIAL]
        .iter()
        .map(|set| set[rng.gen_range(0..set.len())])
        .collect();
    bytes.extend((0..20).map(|_| all[rng.gen_range(0..all.len())]));
    // Shuffle so the guaranteed classes are not always in the first four places.
    for i in (1..bytes.len()).rev() {
        bytes.swap(i, rng.gen_range(0..=i));
    }
    Zeroizing::new(String::from_utf8(bytes).expect("ASCII alphabet"))
}

/// The bounds of a given argon2 hash: every login Directus verifies it with
/// takes its memory and time, so `m=4294967295` would ask 4 TiB of every
/// attempt. Directus's own hashes are m=65536, t=3, p=4, 16-byte salt, 32-byte hash.
pub const HASH_BOUNDS: &str = "memory m from 8 x p to 1048576 KiB (1 GiB), time t from 1 to 32, \
parallelism p from 1 to 16, a salt of 8 to 64 bytes and a hash of 16 to 64 bytes, version 19";

/// Refuses (exit 5) a `password_hash` Directus could not verify in reasonable
/// memory and time, or that no password could ever match.
pub fn check_hash(raw: &str) -> Result<()> {
    use argon2::password_hash::phc::PasswordHash;
    let bad =
        || Error::validation("password_hash is not an argon2 PHC string ($argon2id$v=19$...)");
    let parsed = PasswordHash::new(raw).map_err(|_| bad())?;
    if !["argon2id", "argon2i", "argon2d"].contains(&parsed.algorithm.as_str()) {
        return Err(bad());
    }
    let param = |name: &str| parsed.params.get_decimal(name).unwrap_or(0);
    let (m, t, p) = (param("m"), param("t"), param("p"));
    let salt = parsed.salt.as_ref().map_or(0, |s| s.len());
    let hash = parsed.hash.as_ref().map_or(0, |h| h.len());
    let within = parsed.version == Some(19)
        && (1..=16).contains(&p)
        && (8 * p..=1_048_576).contains(&m)
        && (1..=32).contains(&t)
        && (8..=64).contains(&salt)
        && (16..=64).contains(&hash);
    match within {
        true => Ok(()),
        false => Err(Error::validation(format!(
            "password_hash is outside what roster accepts: {HASH_BOUNDS}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_directus_shaped_and_verifies() {
        let h = hash("AdminPass123!").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"), "{h}");
        assert!(verify("AdminPass123!", &h));
        assert!(!verify("wrong", &h));
    }

    #[test]
    fn random_has_every_class() {
        let p = random();
        assert_eq!(p.len(), 24);
        assert!(p.bytes().any(|b| b.is_ascii_digit()));
        assert!(p.bytes().any(|b| SPECIAL.contains(&b)));
    }

    #[test]
    fn newline_is_stripped_once() {
        assert_eq!(strip_newline("pw\r\n".into()), "pw");
        assert_eq!(read_line(&b"pw\nrest"[..], "x").unwrap(), "pw");
    }
}
