//! Email addresses: the validity rule of spec §2 and the lower-case form roster stores.

use crate::error::{Error, Result};

const MAX_LEN: usize = 128;

/// Trims, lower-cases and validates an email, returning the form to store.
pub fn normalize(raw: &str) -> Result<String> {
    let email = raw.trim().to_lowercase();
    check(&email).map_err(|why| Error::validation(format!("invalid email {email:?}: {why}")))?;
    Ok(email)
}

fn check(email: &str) -> Result<(), &'static str> {
    if email.is_empty() {
        return Err("it is empty");
    }
    if email.chars().count() > MAX_LEN {
        return Err("it is longer than 128 characters");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains whitespace or control characters");
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
