//! Reading single values the way partners write them: dates in two orders and two separators,
//! yes/no in six spellings, codes in any case (formats.md §1).

use std::borrow::Cow;

use chrono::NaiveDate;

/// Reads `YYYY-MM-DD` or `DD-MM-YYYY`, with `-` or `/`, day and month with or without a leading zero.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let sep = if value.contains('-') { '-' } else { '/' };
    let mut split = value.split(sep);
    let parts = [split.next()?, split.next()?, split.next()?];
    if split.next().is_some()
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2 {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        (parts[2], parts[1], parts[0])
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Reads a yes/no value; empty means no. `None` when it is none of the accepted spellings.
pub fn parse_bool(value: &str) -> Option<bool> {
    let is = |spellings: &[&str]| spellings.iter().any(|s| s.eq_ignore_ascii_case(value));
    if is(&["", "nee", "n", "no", "false", "0"]) {
        Some(false)
    } else if is(&["ja", "j", "yes", "true", "1"]) {
        Some(true)
    } else {
        None
    }
}

/// A BRIN: four letters or digits, upper-cased.
pub fn parse_brin(value: &str) -> Option<Cow<'_, str>> {
    if value.len() != 4 || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(if value.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(value.to_ascii_uppercase())
    } else {
        Cow::Borrowed(value)
    })
}

/// A vestiging: one or two digits, zero-padded to two.
pub fn parse_vestiging(value: &str) -> Option<Cow<'_, str>> {
    let ok = !value.is_empty() && value.len() <= 2 && value.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| match value.len() {
        2 => Cow::Borrowed(value),
        _ => Cow::Owned(format!("{value:0>2}")),
    })
}

/// A coded value: matched case-insensitively against `allowed`, returned in its canonical spelling.
pub fn parse_code(value: &str, allowed: &[&'static str]) -> Option<&'static str> {
    allowed
        .iter()
        .copied()
        .find(|code| code.eq_ignore_ascii_case(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_in_every_accepted_spelling() {
        assert_eq!(parse_date("2023-06-30"), ymd(2023, 6, 30));
        assert_eq!(parse_date("30-06-2023"), ymd(2023, 6, 30));
        assert_eq!(parse_date("2023/6/3"), ymd(2023, 6, 3));
        assert_eq!(parse_date("3/6/2023"), ymd(2023, 6, 3));
        assert_eq!(parse_date("1-10-2023"), ymd(2023, 10, 1));
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_refused() {
        for bad in [
            "2021-13-45",
            "31-02-2023",
            "gisteren",
            "2023-06",
            "23-06-30",
            "2023-06-30x",
            "",
            "2023-6/30",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn booleans_in_six_spellings() {
        for yes in ["ja", "J", "yes", "TRUE", "1"] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["nee", "N", "no", "false", "0", ""] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        assert_eq!(parse_bool("misschien"), None);
    }

    #[test]
    fn brin_and_vestiging_shapes() {
        assert_eq!(parse_brin("97xa").as_deref(), Some("97XA"));
        assert_eq!(parse_brin("97X"), None);
        assert_eq!(parse_vestiging("1").as_deref(), Some("01"));
        assert_eq!(parse_vestiging("03").as_deref(), Some("03"));
        assert_eq!(parse_vestiging("003"), None);
        assert_eq!(parse_vestiging("a1"), None);
    }
}
