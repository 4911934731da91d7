//! A call's audio counters: written by the audio thread and the device callbacks with relaxed atomics (no locks on
//! either side), read as one [`VoiceStats`] snapshot.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::Relaxed};

/// A snapshot of one call's audio, for quality indicators and the support report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoiceStats {
    /// 20 ms frames handed to the sender (muted ones included, held ones not).
    pub frames_sent: u64,
    /// Frames the sender's queue was too full to take (the phone crate is not reading).
    pub frames_not_taken: u64,
    /// Received 20 ms frames played to the speaker.
    pub frames_played: u64,
    /// Frames played that never arrived in time: repeated-and-faded copies of the last frame, then silence.
    pub frames_concealed: u64,
    /// Packets that came after their time had been played (or concealed), and were dropped.
    pub packets_late: u64,
    /// Packets received twice.
    pub packets_duplicate: u64,
    /// Packets dropped otherwise: on hold, with no speaker, unreadable, or skipped to catch up with a faster clock.
    pub packets_dropped: u64,
    /// Times the receive timeline started again (a timestamp jump: a new talk spurt or a re-INVITE).
    pub resyncs: u64,
    /// Received audio waiting to be played, in milliseconds (the jitter buffer's depth).
    pub buffer_depth_ms: u32,
    /// The jitter buffer's target depth, in milliseconds.
    pub buffer_target_ms: u32,
    /// Estimated delay from a packet's arrival to its sound leaving the speaker: jitter buffer, output queue,
    /// resampler and the device's own buffer, in milliseconds.
    pub playout_delay_ms: u32,
    /// Estimated delay from the microphone to an encoded frame (device buffer, queue, resampler; not counting the
    /// 20 ms a frame takes to fill), in milliseconds.
    pub capture_delay_ms: u32,
    /// Times the speaker asked for audio and none was ready (a glitch the agent hears).
    pub underruns: u64,
    /// Microphone audio lost because the audio thread fell behind.
    pub overruns: u64,
    /// Errors the devices reported (including the audio system's own xruns) and devices lost.
    pub device_errors: u64,
    /// Whether the microphone is open now.
    pub microphone_open: bool,
    /// Whether the speaker is open now.
    pub speaker_open: bool,
}

/// The shared counters behind [`VoiceStats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub frames_sent: AtomicU64,
    pub frames_not_taken: AtomicU64,
    pub frames_played: AtomicU64,
    pub frames_concealed: AtomicU64,
    pub packets_late: AtomicU64,
    pub packets_duplicate: AtomicU64,
    pub packets_dropped: AtomicU64,
    pub resyncs: AtomicU64,
    pub buffer_depth_ms: AtomicU32,
    pub buffer_target_ms: AtomicU32,
    pub playout_delay_ms: AtomicU32,
    pub capture_delay_ms: AtomicU32,
    pub underruns: AtomicU64,
    pub overruns: AtomicU64,
    pub device_errors: AtomicU64,
    pub microphone_open: AtomicBool,
    pub speaker_open: AtomicBool,
}

impl Counters {
    pub fn snapshot(&self) -> VoiceStats {
        VoiceStats {
            frames_sent: self.frames_sent.load(Relaxed),
            frames_not_taken: self.frames_not_taken.load(Relaxed),
            frames_played: self.frames_played.load(Relaxed),
            frames_concealed: self.frames_concealed.load(Relaxed),
            packets_late: self.packets_late.load(Relaxed),
            packets_duplicate: self.packets_duplicate.load(Relaxed),
            packets_dropped: self.packets_dropped.load(Relaxed),
            resyncs: self.resyncs.load(Relaxed),
            buffer_depth_ms: self.buffer_depth_ms.load(Relaxed),
            buffer_target_ms: self.buffer_target_ms.load(Relaxed),
            playout_delay_ms: self.playout_delay_ms.load(Relaxed),
            capture_delay_ms: self.capture_delay_ms.load(Relaxed),
            underruns: self.underruns.load(Relaxed),
            overruns: self.overruns.load(Relaxed),
            device_errors: self.device_errors.load(Relaxed),
            microphone_open: self.microphone_open.load(Relaxed),
            speaker_open: self.speaker_open.load(Relaxed),
        }
    }
}
