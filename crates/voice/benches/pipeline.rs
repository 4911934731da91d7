//! Figures for the audio pipeline, printed (no timed assertions):
//!
//! - **CPU per second of call audio** for the work this crate does (capture: resample to 8 kHz and encode;
//!   playout: jitter buffer, decode, resample to the device's rate), offline, at 48 and 44.1 kHz devices;
//! - **added latency** by design (resamplers, jitter target) and, when a default device exists (run it inside
//!   `tests/phone/audio/start-pipewire.sh`'s environment), the live call's own estimates;
//! - **memory and CPU of a live call**: resident memory before and after `CallAudio::start`, and the process's CPU
//!   time over five seconds of an echoed call (cpal's and PipeWire's client threads included).

use std::time::{Duration, Instant};

use voice::jitter::{JitterBuffer, FRAME};
use voice::resample::Resampler;
use voice::{CallAudio, Codec};

const SECONDS: usize = 120;

fn main() {
    println!(
        "voice pipeline figures ({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "optimised"
        }
    );
    for rate in [48_000u32, 44_100] {
        offline(rate);
    }
    live();
}

/// Both directions of `SECONDS` of audio with a `rate` device, timed.
fn offline(rate: u32) {
    let device_frame = rate as usize / 100;
    let input: Vec<f32> = (0..rate as usize)
        .map(|n| 0.3 * (n as f32 * 2.0 * std::f32::consts::PI * 440.0 / rate as f32).sin())
        .collect();

    // Capture: device-rate blocks of 10 ms → 8 kHz → G.711.
    let mut down = Resampler::new(rate, 8000, device_frame).unwrap();
    let mut pcm = Vec::with_capacity(FRAME);
    let mut payload = Vec::with_capacity(FRAME);
    let mut frames = 0usize;
    let start = Instant::now();
    for _ in 0..SECONDS {
        for block in input.chunks(device_frame) {
            down.push(block, |out| {
                for &s in out {
                    pcm.push((s * 32767.0) as i16);
                    if pcm.len() == FRAME {
                        payload.clear();
                        Codec::Pcmu.encode(&pcm, &mut payload);
                        pcm.clear();
                        frames += 1;
                    }
                }
            });
        }
    }
    let capture = start.elapsed();

    // Playout: each frame through the jitter buffer, decoded, → device rate.
    let mut up = Resampler::new(8000, rate, FRAME).unwrap();
    let mut jitter = JitterBuffer::new(60);
    let mut out = [0i16; FRAME];
    let mut block = [0f32; FRAME];
    let mut produced = 0usize;
    let start = Instant::now();
    for k in 0..frames as u32 {
        jitter.push(k as u16, k * FRAME as u32, &payload, Codec::Pcmu);
        jitter.pop(&mut out);
        for (b, &s) in block.iter_mut().zip(&out) {
            *b = f32::from(s) / 32768.0;
        }
        up.push(&block, |o| produced += o.len());
    }
    let playout = start.elapsed();
    let per_second = |d: Duration| d.as_secs_f64() * 1e6 / SECONDS as f64;
    println!(
        "{rate} Hz device: per second of call audio, capture {:.0} µs, playout {:.0} µs, together {:.3} % of one core \
         ({frames} frames; resampler delay {} ms down, {} ms up; jitter target {} ms)",
        per_second(capture),
        per_second(playout),
        (capture + playout).as_secs_f64() / SECONDS as f64 * 100.0,
        down.delay_ms(),
        up.delay_ms(),
        jitter.target_ms(),
    );
    assert!(produced > 0);
}

/// A live call on the default devices, when there are any.
fn live() {
    let rss_before = rss_kib();
    let cpu_before = cpu_time();
    let (audio, mut rx) = match CallAudio::start(Codec::Pcmu) {
        Ok(call) => call,
        Err(error) => {
            println!("live call: skipped ({error}); run inside tests/phone/audio/start-pipewire.sh's environment");
            return;
        }
    };
    let rss_after = rss_kib();
    let start = Instant::now();
    let mut seq = 0u16;
    while start.elapsed() < Duration::from_secs(5) {
        let Some(frame) = rx.blocking_recv() else {
            break;
        };
        audio.receive(seq, frame.timestamp, &frame.payload);
        seq = seq.wrapping_add(1);
    }
    let cpu = cpu_time() - cpu_before;
    let s = audio.stats();
    println!(
        "live call (echoed, 5 s): process CPU {:.2} % of one core; resident memory +{} KiB at start ({} → {} KiB); \
         estimated delays: capture {} ms, playout {} ms (jitter buffer {} ms of it); frames sent {}, played {}, \
         underruns {}",
        cpu.as_secs_f64() / start.elapsed().as_secs_f64() * 100.0,
        rss_after.saturating_sub(rss_before),
        rss_before,
        rss_after,
        s.capture_delay_ms,
        s.playout_delay_ms,
        s.buffer_depth_ms,
        s.frames_sent,
        s.frames_played,
        s.underruns
    );
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// User plus system CPU time of this process (Linux; zero elsewhere).
fn cpu_time() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let fields: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        });
    // The kernel's USER_HZ is 100 on Linux.
    Duration::from_millis(ticks.unwrap_or(0) * 10)
}
