//! The text formats uContact checks on input: phone numbers, `YYYY-MM-DD HH:MM:SS` date-times, and the
//! `YYYYMMDD` recording folder derived from a call date.

/// True for `YYYY-MM-DD HH:MM:SS` with plausible values (month 1–12, day 1–31, 24-hour clock).
pub(crate) fn is_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    let shape = b.len() == 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':';
    if !shape {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        let part = &text[r];
        // `parse` accepts a leading `+`; a date field is digits only.
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    matches!(
        (
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19)
        ),
        (
            Some(_),
            Some(1..=12),
            Some(1..=31),
            Some(0..=23),
            Some(0..=59),
            Some(0..=59)
        )
    )
}

/// True for something a PBX could dial: an optional leading `+`, then digits with optional dashes, 3 to 20 digits.
pub(crate) fn is_phone(text: &str) -> bool {
    let rest = text.strip_prefix('+').unwrap_or(text);
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && (3..=20).contains(&digits)
}

/// The recordings folder of a call date: `2016-01-18 10:00:00` → `20160118`.
pub(crate) fn folder_of(calldate: &str) -> String {
    calldate.get(..10).unwrap_or("").replace('-', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_must_have_the_exact_shape_and_plausible_values() {
        assert!(is_datetime("2025-10-11 15:00:00"));
        assert!(!is_datetime("2025-13-11 15:00:00"));
        assert!(!is_datetime("2025-10-11T15:00:00"));
        assert!(!is_datetime("2025-10-11 15:00"));
        assert!(!is_datetime("2025-+1-11 15:00:00"));
    }

    #[test]
    fn phones_are_digits_with_optional_plus_and_dashes() {
        assert!(is_phone("099123456") && is_phone("+59899123456") && is_phone("12-345-678"));
        assert!(
            !is_phone("09912345a") && !is_phone("12") && !is_phone("") && !is_phone("Ventas->")
        );
    }

    #[test]
    fn folder_is_the_date_without_dashes() {
        assert_eq!(folder_of("2016-01-18 10:00:00"), "20160118");
    }
}
