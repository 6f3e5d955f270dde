//! Logical time: milliseconds since pvsim's fixed epoch,
//! 2026-01-01T00:00:00Z. Nothing in the engine reads a real clock.

/// Milliseconds since [`EPOCH_UNIX_SECONDS`].
pub type Millis = u64;

/// 2026-01-01T00:00:00Z in Unix seconds.
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_225_600;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// The RFC 3339 timestamp of a moment, at the second, as the API server
/// writes `creationTimestamp`.
pub fn timestamp(at: Millis) -> String {
    let secs = EPOCH_UNIX_SECONDS + (at / SECOND).cast_signed();
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Reads a timestamp written by [`timestamp`] (or any RFC 3339 UTC time at
/// the second) back into logical time; times before the epoch read as 0.
pub fn parse_timestamp(s: &str) -> Option<Millis> {
    let (days, secs) = read_timestamp(s)?;
    Some(
        (days * 86_400 + secs - EPOCH_UNIX_SECONDS)
            .max(0)
            .cast_unsigned()
            * SECOND,
    )
}

/// A timestamp as Go's `time.RFC1123Z` prints it, as `kubectl describe`
/// shows times: `Thu, 01 Jan 2026 00:00:00 +0000` (in UTC; kubectl uses
/// the local zone). Any RFC 3339 UTC time at the second reads, also one
/// before pvsim's epoch (a node from a dump).
pub fn rfc1123z(s: &str) -> Option<String> {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (days, secs) = read_timestamp(s)?;
    let (days, secs) = (days + secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = DAYS[(days + 4).rem_euclid(7).cast_unsigned() as usize];
    let month = MONTHS[(m - 1).cast_unsigned() as usize];
    Some(format!(
        "{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} +0000",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

/// Days since 1970-01-01 and seconds into the day of an RFC 3339 UTC time.
fn read_timestamp(s: &str) -> Option<(i64, i64)> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[10] != b'T' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let days = days_from_civil(num(0..4)?, num(5..7)?, num(8..10)?);
    Some((days, num(11..13)? * 3600 + num(14..16)? * 60 + num(17..19)?))
}

/// Unix nanoseconds of a moment, as event names use them.
pub fn unix_nanos(at: Millis) -> i128 {
    i128::from(EPOCH_UNIX_SECONDS) * 1_000_000_000 + i128::from(at) * 1_000_000
}

// Howard Hinnant's civil calendar algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads a scenario duration: a sequence of `<n>h`, `<n>m`, `<n>s` or
/// `<n>ms` parts, as Go's `time.ParseDuration` writes them (`30s`, `6m`,
/// `1h30m`, `2m3s`).
pub fn parse_duration(s: &str) -> Result<Millis, String> {
    let bad =
        || format!("invalid duration {s:?}: expected a number with a unit, as in 30s, 6m, 1h30m");
    let mut rest = s.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: Millis = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if digits == 0 {
            return Err(bad());
        }
        let n: Millis = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let (unit, len) = if rest.starts_with("ms") {
            (1, 2)
        } else if rest.starts_with('h') {
            (HOUR, 1)
        } else if rest.starts_with('m') {
            (MINUTE, 1)
        } else if rest.starts_with('s') {
            (SECOND, 1)
        } else {
            return Err(bad());
        };
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
        rest = &rest[len..];
    }
    Ok(total)
}

/// A duration as kubectl prints ages (`45s`, `2m30s`, `10m`, `3h5m`, `2d4h`):
/// the rules of apimachinery's `duration.HumanDuration`.
pub fn human(d: Millis) -> String {
    let secs = d / SECOND;
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        return match secs % 60 {
            0 => format!("{minutes}m"),
            s => format!("{minutes}m{s}s"),
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return match minutes % 60 {
            0 => format!("{hours}h"),
            m => format!("{hours}h{m}m"),
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return match hours % 24 {
            0 => format!("{}d", hours / 24),
            h => format!("{}d{h}h", hours / 24),
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    let (years, days) = (hours / 24 / 365, hours / 24 % 365);
    if hours < 24 * 365 * 8 && days != 0 {
        return format!("{years}y{days}d");
    }
    format!("{years}y")
}

/// A duration as Go's `time.Duration.String` prints it (`15s`, `6m0s`,
/// `2m3s`), for messages that quote one.
pub fn go_duration(d: Millis) -> String {
    let (h, m, s) = (d / HOUR, d % HOUR / MINUTE, d % MINUTE / SECOND);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_count_from_2026() {
        assert_eq!(timestamp(0), "2026-01-01T00:00:00Z");
        assert_eq!(timestamp(90 * SECOND), "2026-01-01T00:01:30Z");
        assert_eq!(timestamp(59 * 24 * HOUR), "2026-03-01T00:00:00Z");
        assert_eq!(
            parse_timestamp("2026-03-01T00:00:00Z"),
            Some(59 * 24 * HOUR)
        );
        assert_eq!(parse_timestamp("2020-01-01T00:00:00Z"), Some(0));
    }

    #[test]
    fn describe_times_read_like_go_rfc1123z() {
        assert_eq!(
            rfc1123z("2026-01-01T00:01:30Z").as_deref(),
            Some("Thu, 01 Jan 2026 00:01:30 +0000")
        );
        assert_eq!(
            rfc1123z("2024-02-29T23:59:59Z").as_deref(),
            Some("Thu, 29 Feb 2024 23:59:59 +0000")
        );
        // Go's zero time, which kubectl prints for an unset condition time.
        assert_eq!(
            rfc1123z("0001-01-01T00:00:00Z").as_deref(),
            Some("Mon, 01 Jan 0001 00:00:00 +0000")
        );
        assert_eq!(rfc1123z("yesterday"), None);
    }

    #[test]
    fn durations_read_like_go() {
        assert_eq!(parse_duration("30s"), Ok(30 * SECOND));
        assert_eq!(parse_duration("6m"), Ok(6 * MINUTE));
        assert_eq!(parse_duration("1h30m"), Ok(90 * MINUTE));
        assert_eq!(parse_duration("2m3s"), Ok(123 * SECOND));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("5d").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn ages_print_like_kubectl() {
        assert_eq!(human(0), "0s");
        assert_eq!(human(119 * SECOND), "119s");
        assert_eq!(human(150 * SECOND), "2m30s");
        assert_eq!(human(6 * MINUTE), "6m");
        assert_eq!(human(15 * MINUTE), "15m");
        assert_eq!(human(3 * HOUR + 5 * MINUTE), "3h5m");
        assert_eq!(human(20 * HOUR), "20h");
        assert_eq!(human(52 * HOUR), "2d4h");
        assert_eq!(go_duration(123 * SECOND), "2m3s");
        assert_eq!(go_duration(6 * MINUTE), "6m0s");
    }
}
