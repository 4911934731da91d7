//! The schedule picker's validator: when to call again. Accepts what agents type (`2025-03-01 15:30`, with or
//! without seconds) and what an HTML `datetime-local` input gives (`2025-03-01T15:30`); refuses the past.

use chrono::NaiveDateTime;

use agent_error::{AgentError, ErrorCode, Phrase, Result};

fn refused(phrase: Phrase, message: impl Into<String>) -> AgentError {
    AgentError::phrased(ErrorCode::InvalidSchedule, phrase, message)
}

/// Parses the picked date-time and checks it is after `now` (the server's local time, as uContact's dates have
/// no zone).
pub fn parse_schedule(text: &str, now: NaiveDateTime) -> Result<NaiveDateTime> {
    let text = text.trim();
    if text.is_empty() {
        return Err(refused(
            Phrase::new("error.schedule.empty"),
            "pick a date and time for the call first",
        ));
    }
    let at = integra::datetime::parse_datetime_as("schedule", text).map_err(|_| {
        refused(
            Phrase::new("error.schedule.not_a_date").with("text", text),
            format!("'{text}' is not a date and time like 2025-03-01 15:30"),
        )
    })?;
    if at <= now {
        let when = integra::datetime::format_datetime(&at);
        return Err(refused(
            Phrase::new("error.schedule.past").with("when", when.as_str()),
            format!("{when} is in the past; pick a later date and time"),
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        integra::datetime::parse_datetime(text).unwrap()
    }

    #[test]
    fn typed_and_datetime_local_formats_are_accepted() {
        let now = at("2025-03-01 12:00:00");
        for text in [
            "2025-03-01 15:30",
            "2025-03-01 15:30:00",
            "2025-03-01T15:30",
            " 2025-03-01T15:30:00 ",
        ] {
            assert_eq!(
                parse_schedule(text, now).unwrap(),
                at("2025-03-01 15:30:00"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_bad_format_and_the_past_are_refused_separately() {
        let now = at("2025-03-01 12:00:00");
        let bad = parse_schedule("01/03/2025 15:30", now).unwrap_err();
        assert_eq!(bad.code(), ErrorCode::InvalidSchedule);
        assert_eq!(
            bad.to_string(),
            "'01/03/2025 15:30' is not a date and time like 2025-03-01 15:30"
        );
        assert_eq!(
            parse_schedule("2025-03-01 11:59", now)
                .unwrap_err()
                .to_string(),
            "2025-03-01 11:59:00 is in the past; pick a later date and time"
        );
        assert!(parse_schedule("2025-03-01 12:00", now)
            .unwrap_err()
            .to_string()
            .contains("in the past"));
        assert_eq!(
            parse_schedule("", now).unwrap_err().to_string(),
            "pick a date and time for the call first"
        );
        assert!(parse_schedule("2025-02-30 10:00", now).is_err());
    }
}
