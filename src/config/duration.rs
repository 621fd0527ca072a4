//! Durations as Directus writes them in its `.env` (the `ms` package's format),
//! which roster's flags accept too: `7d`, `24h`, `30m`, `90s`, `1w`.

use crate::error::{Error, Result};

/// A lifetime as Directus reads it (the `ms` package): `7d`, `24h`, `30m`, `90s`,
/// `1w`; a bare number means seconds.
pub fn parse_ttl(raw: &str) -> Result<u64> {
    let raw = raw.trim();
    let bad = || {
        Error::usage(format!(
            "{raw:?} is not a lifetime such as 7d, 24h, 30m or 3600"
        ))
    };
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let n: u64 = number.parse().map_err(|_| bad())?;
    let factor = match unit.trim().to_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        _ => return Err(bad()),
    };
    n.checked_mul(factor).filter(|s| *s > 0).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes() {
        assert_eq!(parse_ttl("7d").unwrap(), 604_800);
        assert_eq!(parse_ttl("3600").unwrap(), 3600);
        assert_eq!(parse_ttl("30m").unwrap(), 1800);
        assert!(parse_ttl("soon").is_err());
        assert!(parse_ttl("0").is_err());
    }
}
