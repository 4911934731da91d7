//! The phone's audio, with no Tauri in it: the system's default microphone to G.711 frames for RTP, received RTP
//! payloads through a jitter buffer to the default speaker, and the ring tone. The `phone` crate owns SIP and the
//! media transport; this crate owns everything between the RTP payload and the sound card.
//!
//! See the README beside this crate for the design and the figures.

pub mod g711;
pub mod jitter;
pub mod resample;

mod call;
mod device;
mod engine;
mod error;
mod events;
mod outgoing;

mod ringer;
mod stats;
mod supervise;

pub use call::{CallAudio, EncodedFrame};
pub use error::{Direction, VoiceError};
pub use events::DeviceEvent;
pub use ringer::{RingTone, Ringer};
pub use stats::VoiceStats;

/// The G.711 variants, both at 8 kHz with 20 ms (160-sample, 160-byte) frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Codec {
    /// µ-law, RTP payload type 0.
    Pcmu,
    /// A-law, RTP payload type 8.
    Pcma,
}

impl Codec {
    /// The static RTP payload type.
    pub fn payload_type(self) -> u8 {
        match self {
            Codec::Pcmu => 0,
            Codec::Pcma => 8,
        }
    }

    /// Encodes 16-bit samples, one byte each.
    pub fn encode(self, samples: &[i16], out: &mut Vec<u8>) {
        let encode = match self {
            Codec::Pcmu => g711::ulaw_encode,
            Codec::Pcma => g711::alaw_encode,
        };
        out.extend(samples.iter().map(|&s| encode(s)));
    }

    /// The byte that encodes silence (a muted frame is all this byte).
    pub fn silence(self) -> u8 {
        match self {
            Codec::Pcmu => 0xFF,
            Codec::Pcma => 0xD5,
        }
    }
}
