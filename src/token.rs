//! Static tokens: generation from the OS CSPRNG and validation of given ones (spec §6).

use crate::error::{Error, Result};
use rand::Rng;
use rand::distributions::Alphanumeric;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

/// 48 alphanumeric characters carry log2(62) × 48 ≈ 285 bits, above the 256 required.
const GENERATED_LEN: usize = 48;

/// A new random token: URL-safe characters only.
pub fn generate() -> Zeroizing<String> {
    Zeroizing::new(
        OsRng
            .sample_iter(&Alphanumeric)
            .take(GENERATED_LEN)
            .map(char::from)
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
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
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
