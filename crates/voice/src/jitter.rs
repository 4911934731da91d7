//! The jitter buffer: received RTP payloads in, one 20 ms frame of 8 kHz audio out each time the speaker needs one.
//!
//! **Fixed target, 60 ms by default** ([`DEFAULT_TARGET_MS`]). Playout starts, and starts again after the buffer
//! ran dry, once that much audio is waiting. Adaptive targets pay off on jittery mobile links; agents sit on office
//! networks, and a fixed target keeps the delay predictable and the behaviour easy to test. It is a constructor
//! argument, so the phone crate may raise it.
//!
//! - **Position by RTP timestamp.** Each packet is decoded into a ring of samples at the place its timestamp says,
//!   so reordering needs no sorting and a packet of any length (10, 20, 30 ms…) fits; sequence numbers serve to
//!   spot duplicates (and a new stream). All arithmetic on sequence numbers and timestamps wraps.
//! - **Late packets** (their time was already played or concealed) are dropped and counted.
//! - **Loss:** a missing frame is concealed: the last frame repeated at 80 %, 50 %, 20 %, then silence, and the
//!   play position moves on as if it had come, so the audio after the loss keeps its timing. When nothing has come
//!   for 100 ms, playout pauses (still concealing) and starts again once the target depth waits, skipping the
//!   silent gap, so a pause in the far end's sending (hold, a network stall) adds no lasting delay.
//! - **Timestamp jumps** (a packet more than 1 s behind, or beyond the 1 s ring: a re-INVITE, a new source, a long
//!   gap in sending) restart the timeline at that packet.
//! - **Clock drift:** when the buffer held more than the target plus 40 ms for a whole second (the far end's clock
//!   runs fast against the sound card's), one frame is skipped. A slow far-end clock shows up as the buffer running
//!   dry once in a long while, which the restart above absorbs.

use crate::{g711, Codec};

/// Samples in a 20 ms frame at 8 kHz.
pub const FRAME: usize = 160;
/// The default target depth.
pub const DEFAULT_TARGET_MS: u32 = 60;
/// Ring size in samples: 1.024 s at 8 kHz (a power of two, so a timestamp maps to a slot with a mask).
const CAPACITY: usize = 8192;
/// A packet further behind the play position than this (1 s) starts a new timeline instead of counting as late.
const LATE_LIMIT: i32 = 8000;
/// Gains for the first lost frames in a row; after them, silence.
const FADE: [f32; 3] = [0.8, 0.5, 0.2];
/// Frames the play position keeps moving through an empty buffer before playout pauses (100 ms: a burst of loss).
const KEEP_TIME_FRAMES: usize = 5;
/// Frames over which the buffer's minimum depth is watched for clock drift (one second).
const DRIFT_WINDOW: u32 = 50;
/// Depth above the target, held for a whole window, that makes the buffer skip a frame.
const DRIFT_EXCESS: u32 = 2 * FRAME as u32;

/// What [`JitterBuffer::pop`] produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Popped {
    /// Received audio (a frame partly received has silence where its samples were missing).
    Audio,
    /// A concealed frame: a faded copy of the last one, or silence after a few.
    Concealed,
    /// Silence before playout started, not a loss.
    Silence,
}

/// The buffer's own counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JitterStats {
    /// Frames played from received audio.
    pub played: u64,
    /// Frames concealed.
    pub concealed: u64,
    /// Packets dropped because their time had passed.
    pub late: u64,
    /// Packets received twice.
    pub duplicate: u64,
    /// Packets dropped as unusable (empty or longer than the ring).
    pub dropped: u64,
    /// Timeline restarts.
    pub resyncs: u64,
    /// Frames skipped to follow a faster far-end clock.
    pub drift_skips: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// No packet yet (or reset by hold).
    Idle,
    /// Waiting for the target depth; `after_loss` once audio has played, so the wait is concealed.
    Buffering {
        after_loss: bool,
    },
    Playing,
}

/// Recent sequence numbers, to spot duplicates without a map.
#[derive(Debug, Clone, Copy, Default)]
struct SeqHistory {
    highest: Option<u16>,
    /// Bit `i` is set when `highest - i` was seen.
    seen: u64,
}

impl SeqHistory {
    /// Records `seq`; false when it was already seen.
    fn record(&mut self, seq: u16) -> bool {
        let Some(highest) = self.highest else {
            *self = SeqHistory {
                highest: Some(seq),
                seen: 1,
            };
            return true;
        };
        let ahead = seq.wrapping_sub(highest) as i16;
        if ahead > 0 {
            self.seen = if ahead >= 64 {
                1
            } else {
                (self.seen << ahead) | 1
            };
            self.highest = Some(seq);
            return true;
        }
        let back = -i32::from(ahead);
        if back >= 64 {
            // Too old to remember (or a new stream): let the timestamp decide.
            return true;
        }
        let bit = 1u64 << back;
        let new = self.seen & bit == 0;
        self.seen |= bit;
        new
    }
}

/// See the module documentation.
#[derive(Debug)]
pub struct JitterBuffer {
    samples: Vec<i16>,
    filled: Vec<bool>,
    state: State,
    /// Timestamp of the next sample to play.
    play_ts: u32,
    /// One past the newest sample received.
    end_ts: u32,
    target: u32,
    /// Nothing of the current timeline has played yet.
    fresh: bool,
    seqs: SeqHistory,
    last_frame: [i16; FRAME],
    lost_in_row: usize,
    window_min: u32,
    window_pops: u32,
    stats: JitterStats,
}

impl JitterBuffer {
    /// An empty buffer that starts playing once `target_ms` of audio waits (clamped to 20..=500 ms).
    pub fn new(target_ms: u32) -> Self {
        JitterBuffer {
            samples: vec![0; CAPACITY],
            filled: vec![false; CAPACITY],
            state: State::Idle,
            play_ts: 0,
            end_ts: 0,
            target: target_ms.clamp(20, 500) * 8,
            fresh: true,
            seqs: SeqHistory::default(),
            last_frame: [0; FRAME],
            lost_in_row: 0,
            window_min: u32::MAX,
            window_pops: 0,
            stats: JitterStats::default(),
        }
    }

    /// Forgets everything received (the counters stay): after hold, the next packet starts a new timeline.
    pub fn reset(&mut self) {
        self.filled.fill(false);
        self.state = State::Idle;
        self.seqs = SeqHistory::default();
        self.lost_in_row = 0;
        self.reset_window();
    }

    /// The counters so far.
    pub fn stats(&self) -> &JitterStats {
        &self.stats
    }

    /// Audio waiting to be played, in samples at 8 kHz.
    pub fn depth(&self) -> u32 {
        match self.state {
            State::Idle => 0,
            State::Playing => self.ahead(),
            // Waiting: a gap before the first sample received will be skipped, so it is not counted.
            State::Buffering { .. } => self.first_filled().map_or(0, |first| self.ahead() - first),
        }
    }

    /// Samples from the play position to the newest received.
    fn ahead(&self) -> u32 {
        (self.end_ts.wrapping_sub(self.play_ts) as i32).max(0) as u32
    }

    /// Offset of the first received sample at or after the play position.
    fn first_filled(&self) -> Option<u32> {
        let ahead = self.ahead().min(CAPACITY as u32);
        (0..ahead).find(|&i| self.filled[self.play_ts.wrapping_add(i) as usize & (CAPACITY - 1)])
    }

    /// The target depth in milliseconds.
    pub fn target_ms(&self) -> u32 {
        self.target / 8
    }

    /// Takes one received packet (`payload` is G.711 in `codec`, one byte a sample).
    pub fn push(&mut self, sequence: u16, timestamp: u32, payload: &[u8], codec: Codec) {
        if payload.is_empty() || payload.len() > CAPACITY / 2 {
            self.stats.dropped += 1;
            return;
        }
        if !self.seqs.record(sequence) {
            self.stats.duplicate += 1;
            return;
        }
        let len = payload.len() as i64;
        if self.state == State::Idle {
            self.start_timeline(timestamp, false);
        }
        let mut offset = timestamp.wrapping_sub(self.play_ts) as i32;
        if offset < 0 && self.fresh && -offset <= self.target as i32 {
            // Nothing of this timeline has played yet: an earlier packet that came second moves its start back.
            self.play_ts = timestamp;
            offset = 0;
        }
        if offset < -LATE_LIMIT || i64::from(offset) + len > CAPACITY as i64 {
            self.filled.fill(false);
            self.start_timeline(timestamp, self.stats.played > 0);
            self.stats.resyncs += 1;
            offset = 0;
        } else if offset < 0 {
            self.stats.late += 1;
            if i64::from(offset) + len <= 0 {
                return;
            }
        }
        let decode = match codec {
            Codec::Pcmu => g711::ulaw_decode,
            Codec::Pcma => g711::alaw_decode,
        };
        for (i, &code) in payload.iter().enumerate() {
            if offset + (i as i32) < 0 {
                continue;
            }
            let slot = timestamp.wrapping_add(i as u32) as usize & (CAPACITY - 1);
            self.samples[slot] = decode(code);
            self.filled[slot] = true;
        }
        let end = timestamp.wrapping_add(payload.len() as u32);
        if end.wrapping_sub(self.end_ts) as i32 > 0 {
            self.end_ts = end;
        }
    }

    /// The next 20 ms to play.
    pub fn pop(&mut self, out: &mut [i16; FRAME]) -> Popped {
        match self.state {
            State::Idle => {
                out.fill(0);
                return Popped::Silence;
            }
            State::Buffering { after_loss } => {
                if !self.start_if_ready() {
                    return if after_loss {
                        self.conceal(out, false)
                    } else {
                        out.fill(0);
                        Popped::Silence
                    };
                }
            }
            State::Playing => {}
        }
        let depth = self.depth();
        if depth == 0 {
            if self.lost_in_row < KEEP_TIME_FRAMES {
                // Empty, most likely lost packets: conceal and keep time, so the next packet plays exactly when
                // it would have (a timeline that slips by a frame here and there is heard as a stutter).
                self.play_ts = self.play_ts.wrapping_add(FRAME as u32);
                return self.conceal(out, true);
            }
            // Dry for longer: the far end paused or the network stalled. Wait for the target again.
            self.state = State::Buffering { after_loss: true };
            return self.conceal(out, false);
        }
        self.watch_drift(depth);
        let mut present = 0;
        for (i, sample) in out.iter_mut().enumerate() {
            let slot = self.play_ts.wrapping_add(i as u32) as usize & (CAPACITY - 1);
            if std::mem::take(&mut self.filled[slot]) {
                *sample = self.samples[slot];
                present += 1;
            } else {
                *sample = 0;
            }
        }
        self.play_ts = self.play_ts.wrapping_add(FRAME as u32);
        self.fresh = false;
        if present == 0 {
            return self.conceal(out, true);
        }
        self.last_frame = *out;
        self.lost_in_row = 0;
        self.stats.played += 1;
        Popped::Audio
    }

    fn start_timeline(&mut self, timestamp: u32, after_loss: bool) {
        self.play_ts = timestamp;
        self.end_ts = timestamp;
        self.state = State::Buffering { after_loss };
        self.fresh = true;
        self.reset_window();
    }

    /// Starts playing when the target depth waits, from the first sample received: a gap before it was silence
    /// at the far end (or is lost anyway), and playing it would only add delay.
    fn start_if_ready(&mut self) -> bool {
        match self.first_filled() {
            Some(first) if self.ahead() - first >= self.target => {
                self.play_ts = self.play_ts.wrapping_add(first);
                self.state = State::Playing;
                self.reset_window();
                true
            }
            _ => false,
        }
    }

    /// Fills `out` with the next concealment frame. `hole`: a frame missing with audio after it, always counted;
    /// an empty buffer counts only while there is something left to fade.
    fn conceal(&mut self, out: &mut [i16; FRAME], hole: bool) -> Popped {
        let gain = FADE.get(self.lost_in_row).copied();
        self.lost_in_row += 1;
        match gain {
            Some(gain) => {
                for (o, &s) in out.iter_mut().zip(&self.last_frame) {
                    *o = (f32::from(s) * gain) as i16;
                }
            }
            None => out.fill(0),
        }
        if hole || gain.is_some() {
            self.stats.concealed += 1;
            Popped::Concealed
        } else {
            Popped::Silence
        }
    }

    fn watch_drift(&mut self, depth: u32) {
        self.window_min = self.window_min.min(depth);
        self.window_pops += 1;
        if self.window_pops < DRIFT_WINDOW {
            return;
        }
        if self.window_min >= self.target + DRIFT_EXCESS {
            for i in 0..FRAME as u32 {
                self.filled[self.play_ts.wrapping_add(i) as usize & (CAPACITY - 1)] = false;
            }
            self.play_ts = self.play_ts.wrapping_add(FRAME as u32);
            self.stats.drift_skips += 1;
        }
        self.reset_window();
    }

    fn reset_window(&mut self) {
        self.window_min = u32::MAX;
        self.window_pops = 0;
    }
}

#[cfg(test)]
mod tests;
