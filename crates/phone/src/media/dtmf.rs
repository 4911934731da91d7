//! RFC 4733 telephone-events: a digit becomes a few RTP packets of the negotiated event type, all with the
//! timestamp of the digit's start; the last three carry the end bit (sent three times, as the RFC advises, in case
//! one is lost).

/// The event code of a keypad key, `None` for anything else.
pub(crate) fn event_code(digit: char) -> Option<u8> {
    match digit {
        '0'..='9' => Some(digit as u8 - b'0'),
        '*' => Some(10),
        '#' => Some(11),
        'A'..='D' => Some(12 + (digit as u8 - b'A')),
        'a'..='d' => Some(12 + (digit as u8 - b'a')),
        _ => None,
    }
}

/// The key of an event code.
pub(crate) fn digit(code: u8) -> Option<char> {
    match code {
        0..=9 => Some((b'0' + code) as char),
        10 => Some('*'),
        11 => Some('#'),
        12..=15 => Some((b'A' + code - 12) as char),
        _ => None,
    }
}

/// The payloads for one digit lasting `packets` × 20 ms: growing durations, then three end packets.
pub(crate) fn payloads(code: u8, packets: u16) -> Vec<Vec<u8>> {
    const VOLUME: u8 = 10;
    let mut out = Vec::new();
    for n in 1..=packets {
        out.push(payload(code, false, VOLUME, n * 160));
    }
    for _ in 0..3 {
        out.push(payload(code, true, VOLUME, packets * 160));
    }
    out
}

fn payload(code: u8, end: bool, volume: u8, duration: u16) -> Vec<u8> {
    let [high, low] = duration.to_be_bytes();
    vec![code, (u8::from(end) << 7) | (volume & 0x3f), high, low]
}

/// A received event payload: its code and whether it is an end packet.
pub(crate) fn read(payload: &[u8]) -> Option<(u8, bool)> {
    let [code, flags, ..] = payload else {
        return None;
    };
    (payload.len() >= 4).then_some((*code, flags & 0x80 != 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digit_is_a_run_of_packets_ending_three_times() {
        let packets = payloads(event_code('5').unwrap(), 5);
        assert_eq!(packets.len(), 8);
        assert_eq!(packets[0], vec![5, 10, 0, 160]);
        assert_eq!(packets[4], vec![5, 10, 3, 32], "800 samples");
        assert!(packets[5..].iter().all(|p| p == &vec![5, 0x80 | 10, 3, 32]));
        assert_eq!(read(&packets[7]), Some((5, true)));
        for key in "0123456789*#ABCD".chars() {
            assert_eq!(digit(event_code(key).unwrap()), Some(key));
        }
        assert_eq!(event_code('x'), None);
        assert_eq!(read(&[1, 2]), None);
    }
}
