//! Numbers as Dutch sources publish them: `.` thousands separators, `,` decimals, and masks such as
//! `<5` that must stay masks (never 0, 2 or 4).

/// A published number: exact, masked (with the source's token), or absent.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Exact(f64),
    Masked(String),
    Absent,
}

/// Tokens that mean "masked by the source": `<5`, `>95`, `*`.
fn is_mask(text: &str) -> bool {
    text.starts_with('<') || text.starts_with('>') || text == "*"
}

/// Reads a count: digits with optional `.` thousands groups (`12.782`). `None` when unreadable.
pub fn parse_count(text: &str) -> Option<f64> {
    let groups: Vec<&str> = text.split('.').collect();
    let grouped = groups.len() > 1
        && !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3);
    let digits: String = if grouped {
        groups.concat()
    } else {
        text.to_string()
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok().map(|n| n as f64)
}

/// Reads a percentage or other decimal: `,` or `.` as the decimal mark, optional `%`.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let t = text.trim_end_matches('%').trim().replace(',', ".");
    if t.is_empty()
        || t.matches('.').count() > 1
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    t.parse().ok()
}

/// Reads one published cell: empty, a mask, or a number (`count` decides the number syntax).
/// `None` when it is none of these.
pub fn parse_figure(text: &str, count: bool) -> Option<Figure> {
    let text = text.trim();
    if text.is_empty() {
        return Some(Figure::Absent);
    }
    if is_mask(text) {
        return Some(Figure::Masked(text.to_string()));
    }
    let value = if count {
        parse_count(text)
    } else {
        parse_decimal(text)
    };
    value.map(Figure::Exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_thousands_separators() {
        assert_eq!(parse_count("12.782"), Some(12782.0));
        assert_eq!(parse_count("1.234.567"), Some(1234567.0));
        assert_eq!(parse_count("21"), Some(21.0));
        assert_eq!(parse_count("12.5"), None);
        assert_eq!(parse_count("1,5"), None);
    }

    #[test]
    fn decimals_with_comma_or_point() {
        assert_eq!(parse_decimal("85,7"), Some(85.7));
        assert_eq!(parse_decimal("85.7"), Some(85.7));
        assert_eq!(parse_decimal("100"), Some(100.0));
        assert_eq!(parse_decimal("12%"), Some(12.0));
        assert_eq!(parse_decimal("1.2.3"), None);
    }

    #[test]
    fn masks_stay_masks() {
        assert_eq!(parse_figure("<5", true), Some(Figure::Masked("<5".into())));
        assert_eq!(parse_figure("", true), Some(Figure::Absent));
        assert_eq!(parse_figure("abc", true), None);
    }
}
