//! [`Ringer`]: a ring tone on the default output until dropped, so the agent hears an incoming call in the headset.
//! It has its own stream and thread (it rings before a call's audio exists), and reopens the device like a call
//! does when it disappears.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::device::{self, Link, Opened};
use crate::error::Direction;
use crate::stats::Counters;
use crate::supervise::{Change, Supervised};
use crate::VoiceError;

/// A two-frequency tone with an on/off cadence.
#[derive(Debug, Clone, PartialEq)]
pub struct RingTone {
    /// The two frequencies mixed, in Hz.
    pub frequencies: [f32; 2],
    /// How long each ring sounds.
    pub on: Duration,
    /// The pause between rings.
    pub off: Duration,
    /// Peak level of the mix, 0.0..=1.0.
    pub level: f32,
}

impl Default for RingTone {
    /// 440 + 480 Hz (the North American ring's pair), 1 s on and 2 s off, at half scale: it starts at once, and
    /// an agent waiting for calls hears it well before a caller gives up.
    fn default() -> Self {
        RingTone {
            frequencies: [440.0, 480.0],
            on: Duration::from_secs(1),
            off: Duration::from_secs(2),
            level: 0.5,
        }
    }
}

/// Rings on the default output until dropped.
pub struct Ringer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Ringer {
    /// Starts the default tone now.
    pub fn start() -> Result<Ringer, VoiceError> {
        Self::start_with(RingTone::default())
    }

    /// Starts `tone` now.
    pub fn start_with(tone: RingTone) -> Result<Ringer, VoiceError> {
        let stop = Arc::new(AtomicBool::new(false));
        let (opened_tx, opened_rx) = std::sync::mpsc::sync_channel(1);
        let thread = {
            let stop = stop.clone();
            thread::Builder::new()
                .name("voice-ringer".into())
                .spawn(move || {
                    let counters = Arc::new(Counters::default());
                    match open(&counters) {
                        Ok((speaker, link, _)) => {
                            let _ = opened_tx.send(Ok(()));
                            ring(Supervised::open(speaker, link), &tone, &stop, &counters);
                        }
                        Err(error) => {
                            let _ = opened_tx.send(Err(error));
                        }
                    }
                })?
        };
        let opened = opened_rx.recv().unwrap_or_else(|_| {
            Err(VoiceError::Thread(std::io::Error::other(
                "the ringer's thread ended while opening the speaker",
            )))
        });
        opened.map(|()| Ringer {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Ringer {
    fn drop(&mut self) {
        self.stop.store(true, Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

type Speaker = (Opened, rtrb::Producer<f32>);

fn open(counters: &Arc<Counters>) -> Result<(Speaker, Arc<Link>, String), VoiceError> {
    let link = Link::new(counters.clone(), thread::current());
    let (opened, ring) = device::open_output(&link, 20)?;
    let name = opened.device.clone();
    Ok(((opened, ring), link, name))
}

fn ring(
    mut speaker: Supervised<Speaker>,
    tone: &RingTone,
    stop: &AtomicBool,
    counters: &Arc<Counters>,
) {
    let mut position = 0u64;
    while !stop.load(Relaxed) {
        let change = speaker.look(Instant::now(), Direction::Speaker, || open(counters).ok());
        if let Change::Lost(event) | Change::Recovered(event) = change {
            tracing::info!(%event, "voice: ringer device event");
        }
        let wanted = speaker.link().map(|link| link.max_request.load(Relaxed));
        if let (Some((opened, ring)), Some(max_request)) = (speaker.device_mut(), wanted) {
            let rate = opened.rate as usize;
            let wanted =
                (max_request.max(rate / 100) + rate / 100).min(ring.buffer().capacity() / 2);
            while ring.buffer().capacity() - ring.slots() < wanted {
                let _ = ring.push(sample(tone, position, opened.rate));
                position += 1;
            }
        }
        thread::park_timeout(Duration::from_millis(20));
    }
}

/// The tone's sample number `n` at `rate`, with 5 ms ramps at each edge of a ring so it does not click.
fn sample(tone: &RingTone, n: u64, rate: u32) -> f32 {
    let rate_f = f64::from(rate);
    let on = (tone.on.as_secs_f64() * rate_f) as u64;
    let period = on + (tone.off.as_secs_f64() * rate_f) as u64;
    let in_period = n % period.max(1);
    if in_period >= on {
        return 0.0;
    }
    let ramp = (0.005 * rate_f) as u64;
    let edge = in_period.min(on - in_period).min(ramp) as f32 / ramp.max(1) as f32;
    let t = n as f64 / rate_f;
    let mix: f64 = tone
        .frequencies
        .iter()
        .map(|f| (2.0 * std::f64::consts::PI * f64::from(*f) * t).sin())
        .sum();
    (mix / 2.0) as f32 * tone.level * edge
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_then_pauses_without_clicks() {
        let tone = RingTone::default();
        let rate = 48_000;
        let ring: Vec<f32> = (0..rate as u64).map(|n| sample(&tone, n, rate)).collect();
        let pause: Vec<f32> = (rate as u64..3 * rate as u64)
            .map(|n| sample(&tone, n, rate))
            .collect();
        let rms = (ring.iter().map(|s| s * s).sum::<f32>() / ring.len() as f32).sqrt();
        assert!(rms > 0.15, "the ring is loud enough: RMS {rms}");
        assert!(pause.iter().all(|&s| s == 0.0), "silent between rings");
        assert_eq!(sample(&tone, 0, rate), 0.0, "starts from zero");
        assert!(ring.iter().all(|s| s.abs() <= 0.5));
    }
}
