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

/// The moment (ms since the epoch) `--inactive-since` names, from `now_ms`:
/// a span back from now (`90d`, `12h`, `30min`, `2w`, `6mo`, `1y`; a bare
/// number is days) or a date (`2026-06-01`, midnight UTC). A bare `m` is
/// refused: minutes and months are both read as `m`, and a cleanup that took
/// one for the other would suspend people who logged in this morning.
pub fn parse_age(raw: &str, now_ms: i64) -> Result<i64> {
    use chrono::{DateTime, Months, NaiveDate, Utc};
    let raw = raw.trim();
    let bad = |why: &str| {
        Error::usage(format!(
            "--inactive-since {raw:?}: {why}; give a span such as 90d, 12h, 30min, 6mo or 1y, or a date such as 2026-06-01"
        ))
    };
    if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let midnight = date
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis());
        return midnight.ok_or_else(|| bad("not a date"));
    }
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let n: u32 = number.parse().map_err(|_| bad("not a duration"))?;
    let now = DateTime::<Utc>::from_timestamp_millis(now_ms).ok_or_else(|| bad("no clock"))?;
    let months = |m: u32| {
        now.checked_sub_months(Months::new(m))
            .map(|t| t.timestamp_millis())
    };
    let back = |secs: i64| Some(now_ms.saturating_sub(secs.saturating_mul(1000)));
    let at = match unit.trim().to_lowercase().as_str() {
        "m" => return Err(bad("m could mean minutes or months: write min or mo")),
        "" | "d" | "day" | "days" => back(i64::from(n) * 86_400),
        "s" | "sec" | "secs" | "second" | "seconds" => back(i64::from(n)),
        "min" | "mins" | "minute" | "minutes" => back(i64::from(n) * 60),
        "h" | "hr" | "hrs" | "hour" | "hours" => back(i64::from(n) * 3600),
        "w" | "week" | "weeks" => back(i64::from(n) * 604_800),
        "mo" | "month" | "months" => months(n),
        "y" | "year" | "years" => n.checked_mul(12).and_then(months),
        _ => return Err(bad("not a duration")),
    };
    at.ok_or_else(|| bad("too far back"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_back_from_now() {
        // 2026-12-06T12:00:00Z
        let now = 1_796_558_400_000;
        let day = 86_400_000;
        assert_eq!(parse_age("90", now).unwrap(), now - 90 * day);
        assert_eq!(parse_age("90d", now).unwrap(), now - 90 * day);
        assert_eq!(parse_age("30min", now).unwrap(), now - 30 * 60_000);
        // Calendar months and years: 2026-06-06 and 2025-12-06 at noon.
        assert_eq!(parse_age("6mo", now).unwrap(), 1_780_747_200_000);
        assert_eq!(parse_age("1y", now).unwrap(), 1_765_022_400_000);
        assert_eq!(parse_age("2026-06-01", now).unwrap(), 1_780_272_000_000);
        assert!(parse_age("3m", now).is_err());
        assert!(parse_age("soon", now).is_err());
        assert!(parse_age("2026-02-30", now).is_err());
    }

    #[test]
    fn lifetimes() {
        assert_eq!(parse_ttl("7d").unwrap(), 604_800);
        assert_eq!(parse_ttl("3600").unwrap(), 3600);
        assert_eq!(parse_ttl("30m").unwrap(), 1800);
        assert!(parse_ttl("soon").is_err());
        assert!(parse_ttl("0").is_err());
    }
}
