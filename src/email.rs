//! Email addresses: the validity rule of spec §2 and the lower-case form roster stores.

use crate::error::{Error, Result};

const MAX_LEN: usize = 128;

/// Trims, lower-cases and validates an email, returning the form to store.
pub fn normalize(raw: &str) -> Result<String> {
    let raw = raw.trim();
    // The same result for ASCII, without Unicode's case tables: an import checks
    // a hundred thousand of these.
    let email = match raw.is_ascii() {
        true => raw.to_ascii_lowercase(),
        false => raw.to_lowercase(),
    };
    check(&email).map_err(|why| Error::validation(format!("invalid email {email:?}: {why}")))?;
    Ok(email)
}

/// Unicode format characters (general category Cf: zero-width spaces and joiners,
/// bidirectional overrides and isolates, the BOM, tags) and other invisible ones:
/// an address holding one can be shown exactly like another account's.
fn invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF
        | 0x0600..=0x0605 | 0x06DD | 0x070F | 0x0890 | 0x0891 | 0x08E2 | 0x110BD | 0x110CD)
}

fn check(email: &str) -> Result<(), &'static str> {
    if email.is_empty() {
        return Err("it is empty");
    }
    if email.len() > MAX_LEN && email.chars().count() > MAX_LEN {
        return Err("it is longer than 128 characters");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains whitespace or control characters");
    }
    if !email.is_ascii() && email.chars().any(invisible) {
        return Err(
            "it contains an invisible or direction-changing character (such as a zero-width space), which would make it look like another address",
        );
    }
    let (local, domain) = match email.split_once('@') {
        Some((l, d)) if !d.contains('@') => (l, d),
        _ => return Err("it needs exactly one @"),
    };
    if local.is_empty() {
        return Err("the part before @ is empty");
    }
    check_domain(domain)
}

fn check_domain(domain: &str) -> Result<(), &'static str> {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err("the domain needs at least two labels, like example.com");
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !labels.iter().all(label_ok) {
        return Err("the domain may hold only letters, digits and hyphens (IDN as punycode)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_lower_case_trimmed() {
        assert_eq!(normalize("  Ann@Example.COM ").unwrap(), "ann@example.com");
        assert_eq!(
            normalize("x@xn--bcher-kva.de").unwrap(),
            "x@xn--bcher-kva.de"
        );
    }

    #[test]
    fn refuses_bad_shapes() {
        for bad in [
            "", "a", "a@b", "@b.co", "a@@b.co", "a b@c.co", "a@b..co", "a@-b.co", "a@bü.de",
        ] {
            let err = normalize(bad).unwrap_err();
            assert_eq!(err.exit_code(), 5, "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(120));
        assert!(normalize(&long).is_err());
    }
}
