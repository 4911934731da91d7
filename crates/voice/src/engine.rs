//! The call's audio thread: between the device rings and the rest. It wakes after every device callback (and at
//! least every 20 ms) and:
//!
//! 1. watches both devices and reopens a lost one ([`crate::supervise`]);
//! 2. moves received packets from the lock-free packet ring into the jitter buffer (dropping them on hold or while
//!    no speaker is open);
//! 3. converts the microphone's audio to 8 kHz and hands it to [`Outgoing`] — or, while the microphone is away,
//!    20 ms of silence on the wall clock, so RTP keeps flowing;
//! 4. keeps the speaker's ring just above the largest amount a callback asks for plus 10 ms, popping the jitter
//!    buffer one 20 ms frame at a time (the speaker's clock paces playout);
//! 5. publishes the counters.
//!
//! This thread is the only one that touches the jitter buffer, the resamplers and the encoder; the async side and
//! the device callbacks only push into and pop from rings, and flip atomics.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::device::{self, Link, Opened};
use crate::error::Direction;
use crate::events::DeviceEvent;
use crate::jitter::{JitterBuffer, FRAME};
use crate::outgoing::Outgoing;
use crate::resample::Resampler;
use crate::stats::Counters;
use crate::supervise::{Change, Supervised};
use crate::{Codec, VoiceError};

/// The longest payload taken (120 ms of G.711); longer ones are counted as dropped.
pub(crate) const MAX_PAYLOAD: usize = 960;
/// Output queue kept beyond the speaker's largest request.
const OUTPUT_MARGIN_MS: u32 = 10;

/// One received RTP payload, fixed-size so the packet ring never allocates.
pub(crate) struct Packet {
    pub sequence: u16,
    pub timestamp: u32,
    pub len: u16,
    pub payload: [u8; MAX_PAYLOAD],
}

/// What the async side and this thread share.
pub(crate) struct Shared {
    pub counters: Arc<Counters>,
    pub muted: AtomicBool,
    pub held: AtomicBool,
    pub stop: AtomicBool,
    /// Packets refused by a full packet ring (the audio thread is stuck).
    pub ring_full: AtomicU64,
}

struct Mic {
    /// Held for its stream.
    _opened: Opened,
    ring: rtrb::Consumer<f32>,
    resampler: Resampler,
}

struct Speaker {
    opened: Opened,
    ring: rtrb::Producer<f32>,
    resampler: Resampler,
}

pub(crate) struct Engine {
    shared: Arc<Shared>,
    codec: Codec,
    packets: rtrb::Consumer<Packet>,
    events: broadcast::Sender<DeviceEvent>,
    jitter: JitterBuffer,
    outgoing: Outgoing,
    mic: Supervised<Mic>,
    speaker: Supervised<Speaker>,
    /// When the next silent frame is due while the microphone is away.
    silence_due: Instant,
    was_held: bool,
    /// Packets dropped here (hold, no speaker, too long).
    dropped: u64,
}

impl Engine {
    /// Opens both devices (on the calling thread, which then runs [`Engine::run`]).
    pub fn open(
        shared: Arc<Shared>,
        codec: Codec,
        packets: rtrb::Consumer<Packet>,
        outgoing: Outgoing,
        events: broadcast::Sender<DeviceEvent>,
        jitter_target_ms: u32,
    ) -> Result<Self, VoiceError> {
        let (mic, mic_link, _) = open_mic(&shared.counters)?;
        let (speaker, speaker_link, _) = open_speaker(&shared.counters)?;
        shared.counters.microphone_open.store(true, Relaxed);
        shared.counters.speaker_open.store(true, Relaxed);
        let jitter = JitterBuffer::new(jitter_target_ms);
        shared
            .counters
            .buffer_target_ms
            .store(jitter.target_ms(), Relaxed);
        Ok(Engine {
            shared,
            codec,
            packets,
            events,
            jitter,
            outgoing,
            mic: Supervised::open(mic, mic_link),
            speaker: Supervised::open(speaker, speaker_link),
            silence_due: Instant::now(),
            was_held: false,
            dropped: 0,
        })
    }

    /// Runs until [`Shared::stop`]; then the streams are dropped, which stops them.
    pub fn run(mut self) {
        while !self.shared.stop.load(Relaxed) {
            let now = Instant::now();
            self.supervise(now);
            let held = self.shared.held.load(Relaxed);
            if self.was_held && !held {
                // Back from hold: start from an empty buffer, not from what was said before.
                self.jitter.reset();
                if let Some(speaker) = self.speaker.device_mut() {
                    speaker.resampler.reset();
                }
            }
            self.was_held = held;
            self.take_packets(held);
            self.capture(now, held);
            self.playout(held);
            self.publish();
            let wait = match self.mic {
                Supervised::Down { .. } => {
                    self.silence_due.saturating_duration_since(Instant::now())
                }
                Supervised::Open { .. } => Duration::from_millis(20),
            };
            thread::park_timeout(wait.min(Duration::from_millis(20)));
        }
    }

    fn supervise(&mut self, now: Instant) {
        let counters = self.shared.counters.clone();
        let change = self
            .mic
            .look(now, Direction::Microphone, || reopened(open_mic(&counters)));
        if matches!(change, Change::Lost(_)) {
            self.silence_due = now;
        }
        self.report(change, Direction::Microphone);
        let change = self.speaker.look(now, Direction::Speaker, || {
            reopened(open_speaker(&counters))
        });
        if matches!(change, Change::Lost(_)) {
            self.jitter.reset();
        }
        self.report(change, Direction::Speaker);
    }

    fn report(&self, change: Change, direction: Direction) {
        let (event, open) = match change {
            Change::None => return,
            Change::Lost(event) => (event, false),
            Change::Recovered(event) => (event, true),
        };
        let flag = match direction {
            Direction::Microphone => &self.shared.counters.microphone_open,
            Direction::Speaker => &self.shared.counters.speaker_open,
        };
        flag.store(open, Relaxed);
        tracing::info!(%event, "voice: device event");
        // No subscriber is fine: the stats say the same.
        let _ = self.events.send(event);
    }

    fn take_packets(&mut self, held: bool) {
        let speaker_open = self.speaker.link().is_some();
        while let Ok(packet) = self.packets.pop() {
            if held || !speaker_open {
                self.dropped += 1;
                continue;
            }
            let payload = &packet.payload[..usize::from(packet.len)];
            self.jitter
                .push(packet.sequence, packet.timestamp, payload, self.codec);
        }
    }

    fn capture(&mut self, now: Instant, held: bool) {
        let muted = self.shared.muted.load(Relaxed);
        let Some(mic) = self.mic.device_mut() else {
            while self.silence_due <= now {
                self.outgoing.push_silence(muted, held);
                self.silence_due += Duration::from_millis(20);
            }
            return;
        };
        let outgoing = &mut self.outgoing;
        let available = mic.ring.slots();
        if let Ok(chunk) = mic.ring.read_chunk(available) {
            let (first, second) = chunk.as_slices();
            for part in [first, second] {
                mic.resampler
                    .push(part, |block| outgoing.push(block, muted, held));
            }
            chunk.commit_all();
        }
    }

    fn playout(&mut self, held: bool) {
        let Some(link) = self.speaker.link().cloned() else {
            return;
        };
        let Some(speaker) = self.speaker.device_mut() else {
            return;
        };
        let rate = speaker.opened.rate as usize;
        let wanted = link.max_request.load(Relaxed).max(rate / 100)
            + rate * OUTPUT_MARGIN_MS as usize / 1000;
        let capacity = speaker.ring.buffer().capacity();
        let mut pcm = [0i16; FRAME];
        let mut block = [0f32; FRAME];
        while capacity - speaker.ring.slots() < wanted.min(capacity / 2) {
            if held {
                pcm.fill(0);
            } else {
                // Silence, concealment or audio: the counters are the jitter buffer's.
                self.jitter.pop(&mut pcm);
            }
            for (f, &s) in block.iter_mut().zip(&pcm) {
                *f = f32::from(s) / 32768.0;
            }
            let ring = &mut speaker.ring;
            speaker.resampler.push(&block, |out| {
                for &s in out {
                    // Full only if the device stopped taking audio; the watchdog deals with that.
                    let _ = ring.push(s);
                }
            });
        }
    }

    fn publish(&self) {
        let c = &self.shared.counters;
        let js = self.jitter.stats();
        c.frames_played.store(js.played, Relaxed);
        c.frames_concealed.store(js.concealed, Relaxed);
        c.packets_late.store(js.late, Relaxed);
        c.packets_duplicate.store(js.duplicate, Relaxed);
        c.resyncs.store(js.resyncs, Relaxed);
        let ring_full = self.shared.ring_full.load(Relaxed);
        c.packets_dropped.store(
            self.dropped + js.dropped + js.drift_skips + ring_full,
            Relaxed,
        );
        let depth_ms = self.jitter.depth() / 8;
        c.buffer_depth_ms.store(depth_ms, Relaxed);
        if let Supervised::Open { device, link, .. } = &self.speaker {
            let queued = device.ring.buffer().capacity() - device.ring.slots();
            let queued_ms = (queued * 1000 / device.opened.rate as usize) as u32;
            let device_ms = link.device_latency_us.load(Relaxed) / 1000;
            c.playout_delay_ms.store(
                depth_ms + queued_ms + device.resampler.delay_ms() + device_ms,
                Relaxed,
            );
        }
        if let Supervised::Open { device, link, .. } = &self.mic {
            let device_ms = link.device_latency_us.load(Relaxed) / 1000;
            let since_callback = link.epoch.elapsed().as_micros() as u64;
            let waited_ms =
                since_callback.saturating_sub(link.last_callback_us.load(Relaxed)) / 1000;
            c.capture_delay_ms.store(
                device_ms + device.resampler.delay_ms() + waited_ms as u32,
                Relaxed,
            );
        }
    }
}

/// A reopening try: a failure is expected while the device is away, so it is only logged.
fn reopened<T>(result: Result<T, VoiceError>) -> Option<T> {
    result
        .map_err(|error| tracing::debug!(%error, "voice: device not back yet"))
        .ok()
}

fn open_mic(counters: &Arc<Counters>) -> Result<(Mic, Arc<Link>, String), VoiceError> {
    let link = Link::new(counters.clone(), thread::current());
    let (opened, ring) = device::open_input(&link)?;
    let resampler = Resampler::new(opened.rate, 8000, opened.rate as usize / 100)?;
    let name = opened.device.clone();
    tracing::info!(device = %name, rate = opened.rate, channels = opened.channels, "voice: microphone open");
    Ok((
        Mic {
            _opened: opened,
            ring,
            resampler,
        },
        link,
        name,
    ))
}

fn open_speaker(counters: &Arc<Counters>) -> Result<(Speaker, Arc<Link>, String), VoiceError> {
    let link = Link::new(counters.clone(), thread::current());
    let (opened, ring) = device::open_output(&link, 20)?;
    let resampler = Resampler::new(8000, opened.rate, FRAME)?;
    let name = opened.device.clone();
    tracing::info!(device = %name, rate = opened.rate, channels = opened.channels, "voice: speaker open");
    Ok((
        Speaker {
            opened,
            ring,
            resampler,
        },
        link,
        name,
    ))
}
