//! The phone's audio, with no Tauri in it: the system's default microphone to G.711 frames for RTP, received RTP
//! payloads through a jitter buffer to the default speaker, and the ring tone. The `phone` crate owns SIP and the
//! media transport; this crate owns everything between the RTP payload and the sound card.
//!
//! ```text
//!  microphone ─cpal callback─▶ [ring f32, device rate] ─▶ ┐                 ┌─▶ tokio mpsc ─▶ EncodedFrame (phone)
//!                                                         │  audio thread   │
//!  receive() ─(Mutex, async side only)─▶ [packet ring] ─▶ │ "voice-call"    │
//!                                                         │ resample, G.711,│
//!  speaker ◀─cpal callback─ [ring f32, device rate] ◀──── ┘ jitter buffer   ┘
//! ```
//!
//! - **Threads and locks.** cpal's callbacks only move samples between the device and lock-free SPSC rings
//!   ([`rtrb`]); they never lock, allocate or panic, and they wake the audio thread. That thread (one per call)
//!   owns the resamplers, the encoder and the jitter buffer. `receive` pushes into a packet ring behind a mutex that
//!   only `receive` callers take; frames go out with `try_send`, so nothing in the audio path ever waits for
//!   async code. [`CallAudio`] is `Send + Sync`.
//! - **Rates.** Devices run at their own rate, format and channel count (cpal's default config: 48 kHz stereo `f32`
//!   on PipeWire); [`resample`] converts to and from 8 kHz mono with rubato's FFT resampler (fixed ratio). The
//!   speaker's clock paces playout; the far end's clock is reconciled by the jitter buffer.
//! - **Jitter buffer** ([`jitter`]): fixed 60 ms target, placed by RTP timestamp; concealment by fading repeats,
//!   then silence; keeps time through up to 100 ms of loss; restarts on timestamp jumps; follows clock drift.
//! - **Devices that go away** ([`DeviceEvent`]): a stream error that means the device is gone, or a stream whose
//!   callbacks stop for 2 s, is reported, and the default device is opened again with backoff (0.25 s doubling to
//!   4 s). Meanwhile silent frames keep going out on the wall clock, so RTP keeps flowing, and received audio is
//!   dropped. On PipeWire an unplugged headset does not even get that far: PipeWire moves the stream to another
//!   output and back, and cpal sees nothing (see the README).
//! - **Platforms.** cpal's default host everywhere (ALSA on Linux, WASAPI, CoreAudio); no platform code here. On
//!   Linux the workspace builds a patched copy of cpal (`crates/cpal`): upstream's ALSA thread busy-polls PipeWire's
//!   ALSA plugin (0.3.60–0.3.84) at ~40 % of a core per stream.
//!
//! See `README.md` beside this crate for the figures and the known problems.

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
