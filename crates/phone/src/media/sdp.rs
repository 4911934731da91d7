//! The few facts the phone reads from SDP text itself: which payload types the answer settled on, and the media
//! direction an offer asks for (hold is `sendonly` or `inactive`).

use crate::audio::AudioCodec;

/// What the local answer negotiated for the audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Negotiated {
    pub codec: AudioCodec,
    /// The telephone-event payload type, when the far end takes RFC 4733 digits.
    pub telephone_event: Option<u8>,
}

/// The first G.711 format of the audio m-line (the answer keeps the offer's order of preference), and the
/// telephone-event type at 8 kHz. `None` when the audio was refused (port 0) or has no G.711.
pub(crate) fn negotiated(sdp: &str) -> Option<Negotiated> {
    let mut formats: Vec<u8> = Vec::new();
    let mut rtpmaps: Vec<(u8, String)> = Vec::new();
    let mut in_audio = false;
    for line in sdp.lines().map(str::trim) {
        if let Some(media) = line.strip_prefix("m=") {
            in_audio = media.starts_with("audio ");
            if in_audio {
                let mut parts = media.split_whitespace().skip(1);
                if parts.next() == Some("0") {
                    return None;
                }
                formats = parts.skip(1).filter_map(|p| p.parse().ok()).collect();
            }
        } else if in_audio {
            if let Some(map) = line.strip_prefix("a=rtpmap:") {
                if let Some((pt, name)) = map.split_once(' ') {
                    if let Ok(pt) = pt.parse() {
                        rtpmaps.push((pt, name.to_ascii_lowercase()));
                    }
                }
            }
        }
    }
    let name_of = |pt: u8| {
        rtpmaps
            .iter()
            .find(|(p, _)| *p == pt)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| match pt {
                0 => "pcmu/8000".into(),
                8 => "pcma/8000".into(),
                _ => String::new(),
            })
    };
    let codec = formats.iter().find_map(|&pt| match name_of(pt).as_str() {
        n if n.starts_with("pcmu/8000") => Some(AudioCodec::Pcmu),
        n if n.starts_with("pcma/8000") => Some(AudioCodec::Pcma),
        _ => None,
    })?;
    let telephone_event = formats
        .iter()
        .copied()
        .find(|&pt| name_of(pt).starts_with("telephone-event/8000"));
    Some(Negotiated {
        codec,
        telephone_event,
    })
}

/// An offer made fit for the WebRTC stack: [`with_mids`], and when it has no BUNDLE group, one holding its first
/// audio section. rtc 0.21 answers an offer without `a=group:BUNDLE` with every section at port 0 (refused); a
/// group of one section changes nothing on the wire (one section is one transport either way), and an answerer
/// that never offered BUNDLE ignores the group in the answer.
pub(crate) fn for_rtc(offer: &str) -> String {
    let offer = with_mids(offer);
    if offer
        .lines()
        .any(|l| l.trim().starts_with("a=group:BUNDLE"))
    {
        return offer;
    }
    let mut in_audio = false;
    let mut audio_mid = None;
    for line in offer.lines().map(str::trim) {
        if line.starts_with("m=") {
            in_audio = line.starts_with("m=audio ");
        } else if let Some(mid) = line.strip_prefix("a=mid:") {
            if in_audio && audio_mid.is_none() {
                audio_mid = Some(mid.to_string());
            }
        }
    }
    let (Some(mid), Some(first_media)) = (audio_mid, offer.find("\nm=")) else {
        return offer;
    };
    let at = first_media + 1;
    format!("{}a=group:BUNDLE {mid}\r\n{}", &offer[..at], &offer[at..])
}

/// The offer with an `a=mid:<n>` in each media section that has none. Asterisk's chan_sip (and others that predate
/// BUNDLE) send none, and the WebRTC stack needs one to pair the answer's sections with the offer's; numbering by
/// position gives a re-INVITE's offer the same mids again.
pub(crate) fn with_mids(offer: &str) -> String {
    let mut out = String::with_capacity(offer.len() + 32);
    let mut sections = 0;
    let mut section_has_mid = true;
    let lines: Vec<&str> = offer.split_inclusive('\n').collect();
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed.starts_with("m=") {
            if !section_has_mid {
                out.push_str(&format!("a=mid:{}\r\n", sections - 1));
            }
            sections += 1;
            section_has_mid = false;
        } else if trimmed.starts_with("a=mid:") {
            section_has_mid = true;
        }
        out.push_str(line);
    }
    if !out.ends_with('\n') && !out.is_empty() {
        out.push_str("\r\n");
    }
    if !section_has_mid {
        out.push_str(&format!("a=mid:{}\r\n", sections - 1));
    }
    out
}

/// The direction an SDP asks for its audio (session-level or media-level), `sendrecv` when it says none.
pub(crate) fn direction(sdp: &str) -> &'static str {
    let mut found = "sendrecv";
    for line in sdp.lines().map(str::trim) {
        found = match line {
            "a=sendonly" => "sendonly",
            "a=recvonly" => "recvonly",
            "a=inactive" => "inactive",
            "a=sendrecv" => "sendrecv",
            _ => continue,
        };
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_says_which_g711_and_which_digit_type() {
        let answer = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n\
                      a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
        assert_eq!(
            negotiated(answer),
            Some(Negotiated {
                codec: AudioCodec::Pcma,
                telephone_event: Some(101)
            })
        );
        assert_eq!(
            negotiated("m=audio 0 UDP/TLS/RTP/SAVPF 0\r\n"),
            None,
            "a refused m-line"
        );
        assert_eq!(
            negotiated("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n"),
            None
        );
        assert_eq!(direction(answer), "sendrecv");
        assert_eq!(
            direction("v=0\r\nm=audio 9 x 0\r\na=sendonly\r\n"),
            "sendonly"
        );
    }
}

#[cfg(test)]
mod mid_tests {
    use super::*;

    #[test]
    fn media_sections_without_a_mid_get_their_position() {
        let offer =
            "v=0\r\nm=audio 1 RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\nm=video 0 RTP/SAVPF 96\r\n";
        assert_eq!(
            with_mids(offer),
            "v=0\r\nm=audio 1 RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\na=mid:0\r\nm=video 0 RTP/SAVPF 96\r\na=mid:1\r\n"
        );
        let tagged = "v=0\r\nm=audio 1 RTP/SAVPF 0\r\na=mid:audio\r\n";
        assert_eq!(with_mids(tagged), tagged, "a mid of its own is kept");
        assert_eq!(
            for_rtc("v=0\r\nt=0 0\r\nm=audio 1 RTP/SAVPF 0\r\n"),
            "v=0\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=audio 1 RTP/SAVPF 0\r\na=mid:0\r\n"
        );
        let bundled = "v=0\r\na=group:BUNDLE a\r\nm=audio 1 RTP/SAVPF 0\r\na=mid:a\r\n";
        assert_eq!(for_rtc(bundled), bundled);
    }
}
