//! Properties of the wire formats the client writes and reads back: dialer base lines and uContact's date-time.
//! (Form encoding's properties are next to the encoder, in `src/form.rs`.)

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use integra::base::{parse_line, write_row};
use integra::datetime::{format_datetime, parse_datetime};
use integra::BaseRow;
use proptest::prelude::*;

/// A number the base format accepts: an optional `+`, then 3 to 20 digits with dashes anywhere after the first.
fn phone() -> impl Strategy<Value = String> {
    (
        "\\+?",
        proptest::collection::vec(("[0-9]", "-{0,2}"), 3..=20),
    )
        .prop_map(|(plus, groups)| {
            let mut out = plus;
            for (digit, dashes) in groups {
                out.push_str(&digit);
                out.push_str(&dashes);
            }
            out
        })
}

/// Any text a value may hold: not `;` (the column separator) nor a line break, as the format requires.
fn value(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[^;\\r\\n]{{0,{max}}}")).unwrap()
}

fn row() -> impl Strategy<Value = BaseRow> {
    let campaign = value(24)
        .prop_filter("a campaign is not blank", |c| !c.trim().is_empty())
        // A byte-order mark at the start of a line is the file's, not the campaign's: readers drop it.
        .prop_filter("no leading byte-order mark", |c| !c.starts_with('\u{feff}'));
    let key = proptest::string::string_regex("[^;:=\\r\\n]{1,8}").unwrap();
    let data = proptest::collection::vec((key, "[^;:\\r\\n]{0,8}"), 0..4).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(":")
    });
    let alternatives = proptest::collection::vec(phone(), 0..4).prop_map(|alts| alts.join(":"));
    (
        campaign,
        phone(),
        data,
        alternatives,
        proptest::option::of(any::<u32>()),
        proptest::option::of("[0-9]{1,6}"),
    )
        .prop_map(
            |(campaign, number, data, alternatives, priority, agentphone)| BaseRow {
                campaign,
                number,
                data,
                alternatives,
                priority,
                agentphone,
            },
        )
}

proptest! {
    #[test]
    fn base_rows_write_then_parse_back_unchanged(rows in proptest::collection::vec(row(), 1..6)) {
        let mut file = Vec::new();
        for row in &rows {
            write_row(&mut file, row).unwrap();
        }
        let text = String::from_utf8(file).unwrap();
        let parsed: Vec<BaseRow> = text
            .split('\n')
            .enumerate()
            .filter_map(|(i, line)| parse_line(i + 1, line).unwrap())
            .collect();
        prop_assert_eq!(parsed, rows);
    }

    #[test]
    fn base_lines_that_parse_write_back_to_the_same_record(line in "[a-z;=:0-9+\\- ]{0,40}") {
        if let Ok(Some(row)) = parse_line(1, &line) {
            let mut out = Vec::new();
            write_row(&mut out, &row).unwrap();
            let written = String::from_utf8(out).unwrap();
            prop_assert_eq!(parse_line(1, written.trim_end_matches('\n')).unwrap(), Some(row));
        }
    }

    #[test]
    fn datetimes_round_trip_through_the_wire_format(
        days in 0i32..(10_000 * 366),
        seconds in 0u32..86_400,
        nanos in 0u32..1_000_000_000,
    ) {
        // Every date-time with a four-digit year, which is what the wire format has room for.
        let date = NaiveDate::from_ymd_opt(0, 1, 1).unwrap() + chrono::Days::new(days as u64);
        prop_assume!(date.year() <= 9999);
        let value = NaiveDateTime::new(
            date,
            chrono::NaiveTime::from_num_seconds_from_midnight_opt(seconds, nanos).unwrap(),
        );
        let wire = format_datetime(&value);
        prop_assert_eq!(wire.len(), 19, "{:?} is not YYYY-MM-DD HH:MM:SS", wire);
        prop_assert_eq!(parse_datetime(&wire).unwrap(), value.with_nanosecond(0).unwrap());
        let typed = format!(" {}T{} ", &wire[..10], &wire[11..16]);
        prop_assert_eq!(parse_datetime(&typed).unwrap(), value.with_nanosecond(0).unwrap().with_second(0).unwrap());
    }
}
