//! Static tokens: generation from the OS CSPRNG and validation of given ones (spec §6).

use crate::error::{Error, Result};
use rand::Rng;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

/// Lower-case letters and digits: a token means the same whichever way a database
/// compares case. MySQL's and MariaDB's default collations (Directus's
/// utf8mb4_general_ci) match a token in any case, so mixed-case characters would
/// carry only log2(36) bits each there, not the log2(62) they seem to.
const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// log2(36) × 56 ≈ 289.5 bits on every database, above the 256 required
/// (50 characters would be the least that reaches 256).
const GENERATED_LEN: usize = 56;

/// A new random token: URL-safe characters only, uniform over [`ALPHABET`].
pub fn generate() -> Zeroizing<String> {
    Zeroizing::new(
        (0..GENERATED_LEN)
            .map(|_| char::from(ALPHABET[OsRng.gen_range(0..ALPHABET.len())]))
            .collect(),
    )
}

/// Checks a given token: 32 to 255 printable characters without whitespace.
pub fn validate(token: &str) -> Result<()> {
    let len = token.chars().count();
    if !(32..=255).contains(&len) {
        return Err(Error::validation(format!(
            "a token must be 32 to 255 characters long (this one has {len})"
        )));
    }
    if !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(Error::validation(
            "a token may hold only printable ASCII characters, without whitespace",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_long_unique_and_url_safe() {
        let (a, b) = (generate(), generate());
        assert_ne!(*a, *b);
        assert_eq!(a.len(), GENERATED_LEN);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        // At least 256 bits even when compared without regard to case.
        assert!((ALPHABET.len() as f64).log2() * GENERATED_LEN as f64 >= 256.0);
        validate(&a).unwrap();
    }

    #[test]
    fn given_tokens_are_checked() {
        assert!(validate("short").is_err());
        assert!(validate(&"x".repeat(256)).is_err());
        assert!(validate(&format!("{} y", "x".repeat(40))).is_err());
        validate("oe9f7t5M0ojxkFCx6aK-hJh1ts4w6nFh").unwrap();
    }
}
