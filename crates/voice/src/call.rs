//! [`CallAudio`], the API the phone crate uses for one call's audio.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{mpsc as std_mpsc, Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::{broadcast, mpsc};

use crate::engine::{Engine, Packet, Shared, MAX_PAYLOAD};
use crate::jitter::DEFAULT_TARGET_MS;
use crate::outgoing::Outgoing;
use crate::stats::Counters;
use crate::{Codec, DeviceEvent, VoiceError, VoiceStats};

/// Encoded frames waiting for the phone crate: 50 is one second.
const FRAME_QUEUE: usize = 50;
/// Received packets waiting for the audio thread (it takes them every few milliseconds).
const PACKET_QUEUE: usize = 64;

/// One 20 ms frame to send, encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedFrame {
    /// The RTP payload type: 0 (PCMU) or 8 (PCMA).
    pub payload_type: u8,
    /// 160 bytes of G.711.
    pub payload: Vec<u8>,
    /// The frame's RTP timestamp counted from the call's first frame (which is 0); add the stream's random base.
    /// It counts real time: after hold, or a frame the channel had no room for, it has moved on accordingly.
    pub timestamp: u32,
    /// How far `timestamp` moved since the previous frame sent: 160 normally, more after hold or a skipped frame,
    /// 0 for the first frame.
    pub timestamp_increment: u32,
    /// The RTP marker bit: the first frame of the call, and the first after hold.
    pub marker: bool,
}

/// One call's audio: the default microphone is captured and encoded, received payloads are played on the default
/// speaker. Dropping it stops both streams (it waits for the audio thread to end, a few milliseconds).
pub struct CallAudio {
    shared: Arc<Shared>,
    /// Only `receive` callers take this lock; the audio thread reads the other end without one.
    packets: Mutex<rtrb::Producer<Packet>>,
    events: broadcast::Sender<DeviceEvent>,
    thread: Option<JoinHandle<()>>,
}

impl CallAudio {
    /// Opens the default input and output. Encoded 20 ms frames to send come out of the returned receiver, each
    /// with its RTP timestamp increment already counted. Opening devices takes a few tens of milliseconds; from
    /// async code this may be called directly or through `spawn_blocking`.
    pub fn start(codec: Codec) -> Result<(CallAudio, mpsc::Receiver<EncodedFrame>), VoiceError> {
        Self::start_with(codec, DEFAULT_TARGET_MS)
    }

    /// [`CallAudio::start`] with another jitter buffer target, in milliseconds (20..=500).
    pub fn start_with(
        codec: Codec,
        jitter_target_ms: u32,
    ) -> Result<(CallAudio, mpsc::Receiver<EncodedFrame>), VoiceError> {
        let shared = Arc::new(Shared {
            counters: Arc::new(Counters::default()),
            muted: AtomicBool::new(false),
            held: AtomicBool::new(false),
            stop: AtomicBool::new(false),
            ring_full: AtomicU64::new(0),
        });
        let (frames_tx, frames_rx) = mpsc::channel(FRAME_QUEUE);
        let (packets_tx, packets_rx) = rtrb::RingBuffer::new(PACKET_QUEUE);
        let (events, _) = broadcast::channel(16);
        let (opened_tx, opened_rx) = std_mpsc::sync_channel(1);
        let thread = {
            let (shared, events) = (shared.clone(), events.clone());
            let outgoing = Outgoing::new(codec, frames_tx, shared.counters.clone());
            std::thread::Builder::new()
                .name("voice-call".into())
                .spawn(move || {
                    match Engine::open(
                        shared,
                        codec,
                        packets_rx,
                        outgoing,
                        events,
                        jitter_target_ms,
                    ) {
                        Ok(engine) => {
                            let _ = opened_tx.send(Ok(()));
                            engine.run();
                        }
                        Err(error) => {
                            let _ = opened_tx.send(Err(error));
                        }
                    }
                })?
        };
        let opened = opened_rx.recv().unwrap_or_else(|_| {
            Err(VoiceError::Thread(std::io::Error::other(
                "the audio thread ended while opening the devices",
            )))
        });
        if let Err(error) = opened {
            let _ = thread.join();
            return Err(error);
        }
        let audio = CallAudio {
            shared,
            packets: Mutex::new(packets_tx),
            events,
            thread: Some(thread),
        };
        Ok((audio, frames_rx))
    }

    /// A received RTP payload (sequence number, RTP timestamp, payload) into the jitter buffer. Never waits for
    /// the audio thread.
    pub fn receive(&self, sequence: u16, timestamp: u32, payload: &[u8]) {
        if payload.is_empty() || payload.len() > MAX_PAYLOAD {
            self.shared.ring_full.fetch_add(1, Relaxed);
            return;
        }
        let mut packet = Packet {
            sequence,
            timestamp,
            len: payload.len() as u16,
            payload: [0; MAX_PAYLOAD],
        };
        packet.payload[..payload.len()].copy_from_slice(payload);
        let mut ring = self
            .packets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if ring.push(packet).is_err() {
            self.shared.ring_full.fetch_add(1, Relaxed);
        }
        drop(ring);
        if let Some(thread) = &self.thread {
            thread.thread().unpark();
        }
    }

    /// Muted: the far end hears silence (frames keep flowing, encoded silence).
    pub fn set_muted(&self, muted: bool) {
        self.shared.muted.store(muted, Relaxed);
    }

    /// Held: nothing is sent (the RTP timestamp keeps counting), received audio is dropped and the speaker plays
    /// silence; on resume the jitter buffer starts empty.
    pub fn set_held(&self, held: bool) {
        self.shared.held.store(held, Relaxed);
    }

    /// The counters so far.
    pub fn stats(&self) -> VoiceStats {
        self.shared.counters.snapshot()
    }

    /// Device events from now on (a headset unplugged, and back). Each call subscribes anew.
    pub fn events(&self) -> broadcast::Receiver<DeviceEvent> {
        self.events.subscribe()
    }
}

impl Drop for CallAudio {
    fn drop(&mut self) {
        self.shared.stop.store(true, Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}
