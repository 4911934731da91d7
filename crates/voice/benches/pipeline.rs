//! Figures for the audio pipeline, printed (no timed assertions):
//!
//! - **CPU per second of call audio** for the work this crate does (capture: resample to 8 kHz and encode;
//!   playout: jitter buffer, decode, resample to the device's rate), offline, at 48 and 44.1 kHz devices;
//! - **added latency** by design (resamplers, jitter target) and the live call's own estimates;
//! - **memory and CPU of a live call**: resident memory before and after `CallAudio::start`, and the process's CPU
//!   time over 20 seconds of an echoed call (cpal's and PipeWire's client threads included), per thread, with the
//!   device threads' wakeups and the poll rate. It starts the device tests' private PipeWire for that
//!   (`VOICE_BENCH_DEVICES=default`: the session's own devices instead).

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

/// A live call: on a private PipeWire with null sinks (tests/phone/audio/start-pipewire.sh, as the device tests use),
/// or on the session's own default devices with `VOICE_BENCH_DEVICES=default`. Frames are echoed back into
/// `receive` for `VOICE_BENCH_LIVE_SECS` (default 20) seconds after a second to settle; printed: the process's CPU
/// (cpal's and PipeWire's client threads included) per thread name, the device threads' wakeups, and the poll rate
/// from `strace -c` when strace is there and may attach.
fn live() {
    if std::env::var("VOICE_BENCH_DEVICES").as_deref() != Ok("default") {
        if let Err(why) = private_pipewire() {
            println!("live call: skipped ({why})");
            return;
        }
    }
    let secs: u64 = std::env::var("VOICE_BENCH_LIVE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let rss_before = rss_kib();
    let (audio, mut rx) = match CallAudio::start(Codec::Pcmu) {
        Ok(call) => call,
        Err(error) => {
            println!("live call: skipped ({error})");
            return;
        }
    };
    let rss_after = rss_kib();
    let mut seq = 0u16;
    let mut echo_for = |how_long: Duration| {
        let start = Instant::now();
        while start.elapsed() < how_long {
            let Some(frame) = rx.blocking_recv() else {
                break;
            };
            audio.receive(seq, frame.timestamp, &frame.payload);
            seq = seq.wrapping_add(1);
        }
    };
    echo_for(Duration::from_secs(1));
    let (threads_before, cpu_before) = (threads(), cpu_time());
    let start = Instant::now();
    echo_for(Duration::from_secs(secs));
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = (cpu_time() - cpu_before).as_secs_f64();
    let s = audio.stats();
    println!(
        "live call (echoed, {secs} s): process CPU {:.2} % of one core; resident memory +{} KiB at start ({} → {} \
         KiB); estimated delays: capture {} ms, playout {} ms (jitter buffer {} ms of it); frames sent {}, played {}, \
         concealed {}; underruns {}, device errors (xruns included) {}",
        cpu / elapsed * 100.0,
        rss_after.saturating_sub(rss_before),
        rss_before,
        rss_after,
        s.capture_delay_ms,
        s.playout_delay_ms,
        s.buffer_depth_ms,
        s.frames_sent,
        s.frames_played,
        s.frames_concealed,
        s.underruns,
        s.device_errors,
    );
    // Per thread name (PipeWire's data threads take the name of the thread that started them: "voice-call").
    // (name, CPU % of each thread in the order they started, wakeups)
    let mut by_name: Vec<(String, Vec<f64>, u64)> = Vec::new();
    let mut now: Vec<_> = threads().into_iter().collect();
    now.sort_by_key(|(tid, _)| *tid);
    for (tid, (name, ticks, switches)) in now {
        let (ticks0, switches0) = threads_before
            .get(&tid)
            .map_or((0, 0), |(_, t, s)| (*t, *s));
        let cpu = ticks.saturating_sub(ticks0) as f64 / 100.0 / elapsed * 100.0;
        let wakeups = switches.saturating_sub(switches0);
        match by_name.iter_mut().find(|(n, ..)| *n == name) {
            Some(entry) => {
                entry.1.push(cpu);
                entry.2 += wakeups;
            }
            None => by_name.push((name, vec![cpu], wakeups)),
        }
    }
    let total = |cpus: &[f64]| cpus.iter().sum::<f64>();
    by_name.sort_by(|a, b| total(&b.1).total_cmp(&total(&a.1)));
    let parts: Vec<String> = by_name
        .iter()
        .map(|(name, cpus, wakeups)| {
            let each = if cpus.len() > 1 {
                let each: Vec<String> = cpus.iter().map(|c| format!("{c:.2}")).collect();
                format!(" = {}", each.join(" + "))
            } else {
                String::new()
            };
            format!(
                "{name} ×{} {:.2} %{each} ({:.0} wakeups/s)",
                cpus.len(),
                total(cpus),
                *wakeups as f64 / elapsed
            )
        })
        .collect();
    println!("  per thread: {}", parts.join(", "));
    match wait_rates(|| echo_for(Duration::from_secs(3))) {
        Ok(rates) => {
            let rates: Vec<String> = rates
                .iter()
                .map(|(name, rate)| format!("{name} {rate:.0}/s"))
                .collect();
            println!("  waits (strace -c -f, 3 s): {}", rates.join(", "));
        }
        Err(why) => println!("  waits: not measured ({why})"),
    }
}

/// Starts the device tests' private PipeWire for this process (it stops when the process exits) and points this
/// process at it.
fn private_pipewire() -> Result<(), String> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/phone/audio/start-pipewire.sh");
    let out = std::process::Command::new("bash")
        .arg(&script)
        .env("VOICE_PW_OWNER_PID", std::process::id().to_string())
        .output()
        .map_err(|e| format!("could not run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "start-pipewire.sh failed: {}; or set VOICE_BENCH_DEVICES=default for this session's devices",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some((name, value)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            // No other thread runs yet.
            std::env::set_var(name, value.trim_matches('"'));
        }
    }
    Ok(())
}

/// Waits per second of this process while `during` runs, by `strace -c -f` (which slows every system call, so the
/// CPU figures above are taken without it): `poll` (cpal's ALSA threads) and `epoll_wait` (PipeWire's threads), each
/// with its rate.
fn wait_rates(during: impl FnOnce()) -> Result<Vec<(String, f64)>, String> {
    let summary = std::env::temp_dir().join(format!("voice-bench-strace-{}", std::process::id()));
    let mut strace = std::process::Command::new("strace")
        .args([
            "-f",
            "-c",
            "-e",
            "trace=poll,ppoll,epoll_wait,epoll_pwait",
            "-o",
        ])
        .arg(&summary)
        .args(["-p", &std::process::id().to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("strace: {e}"))?;
    // Counted from when strace has attached (this process then shows a tracer), for at most 5 s of waiting.
    let asked = Instant::now();
    while !traced() {
        if asked.elapsed() > Duration::from_secs(5) || strace.try_wait().ok().flatten().is_some() {
            let _ = strace.kill();
            let _ = strace.wait();
            return Err("strace did not attach (ptrace not permitted?)".to_owned());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let start = Instant::now();
    during();
    let elapsed = start.elapsed();
    let _ = std::process::Command::new("kill")
        .args(["-INT", &strace.id().to_string()])
        .status();
    let _ = strace.wait();
    let text = std::fs::read_to_string(&summary).map_err(|e| format!("no strace summary: {e}"))?;
    let _ = std::fs::remove_file(&summary);
    // One line a system call: "% time  seconds  usecs/call  calls  [errors]  syscall", then "total".
    let rates: Vec<(String, f64)> = text
        .lines()
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            let name = *fields.last()?;
            let calls: u64 = fields.get(3)?.parse().ok()?;
            (name != "total").then(|| (name.to_owned(), calls as f64 / elapsed.as_secs_f64()))
        })
        .collect();
    if rates.is_empty() {
        return Err(format!("strace counted nothing: {}", text.trim()));
    }
    Ok(rates)
}

/// Whether a tracer (strace) is attached to this process.
fn traced() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("TracerPid:"))
                .map(|l| l.split_whitespace().nth(1) != Some("0"))
        })
        .unwrap_or(false)
}

/// This process's threads: id → (name, user + system ticks, voluntary context switches).
fn threads() -> std::collections::HashMap<u32, (String, u64, u64)> {
    let mut all = std::collections::HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
        return all;
    };
    for entry in dir.flatten() {
        let Some(tid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let path = entry.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let ticks = std::fs::read_to_string(path.join("stat"))
            .ok()
            .and_then(|s| {
                let fields: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
                Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
            })
            .unwrap_or(0);
        let switches = std::fs::read_to_string(path.join("status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("voluntary_ctxt_switches:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0);
        all.insert(tid, (name.trim().to_owned(), ticks, switches));
    }
    all
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
