//! The real-device rig for the integration tests: a private PipeWire from `tests/phone/audio/start-pipewire.sh`
//! (null sinks `agent_headset` and `farend_voice`, and `agent_mic` hearing `farend_voice`), speech from espeak-ng,
//! pacat to play into the microphone and parec to hear the headset, and the correlation that says whether what
//! came out is what went in.
//!
//! Tests share one PipeWire and the same default devices, so each holds [`rig`]'s lock for its whole run.

#![allow(dead_code)] // Each test binary uses its own part of the rig.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the rig knows once PipeWire is up.
pub struct Rig {
    pub dir: PathBuf,
    /// espeak-ng's sentence at 8 kHz, mono.
    pub clip: Vec<i16>,
}

static RIG: OnceLock<Result<Rig, String>> = OnceLock::new();
static LOCK: Mutex<()> = Mutex::new(());

/// Starts PipeWire once for this test binary (it stops when the binary exits) and takes the rig for one test.
pub fn rig() -> (MutexGuard<'static, ()>, &'static Rig) {
    let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let rig = RIG
        .get_or_init(start)
        .as_ref()
        .unwrap_or_else(|e| panic!("{e}"));
    (guard, rig)
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the start script (again, in `reuse`'s directory, when given) and takes its environment.
fn run_script(reuse: Option<&Path>) -> Result<PathBuf, String> {
    let script = repo_root().join("tests/phone/audio/start-pipewire.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(&script)
        .env("VOICE_PW_OWNER_PID", std::process::id().to_string())
        .stderr(Stdio::piped());
    if let Some(dir) = reuse {
        cmd.env("VOICE_PW_REUSE_DIR", dir);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("could not run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut dir = None;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some((name, value)) = line.strip_prefix("export ").and_then(|l| l.split_once('='))
        else {
            continue;
        };
        let value = value.trim_matches('"');
        // Under the rig's lock, with no call open: no other thread reads the environment meanwhile.
        std::env::set_var(name, value);
        if name == "XDG_RUNTIME_DIR" {
            dir = Some(PathBuf::from(value));
        }
    }
    dir.ok_or_else(|| "start-pipewire.sh printed no XDG_RUNTIME_DIR".to_owned())
}

/// Stops the audio server (pipewire, wireplumber, pipewire-pulse) and returns once they are gone.
pub fn stop_audio_server() {
    let pids = std::env::var("VOICE_PIPEWIRE_PIDS").expect("the rig's daemons");
    for pid in pids.split_whitespace() {
        let _ = Command::new("kill").arg(pid).status();
    }
    wait_until("the audio server to stop", Duration::from_secs(10), || {
        pids.split_whitespace()
            .all(|pid| !Path::new(&format!("/proc/{pid}")).exists())
    });
}

/// Starts the audio server again, with the same devices, where it was.
pub fn start_audio_server_again(rig: &Rig) {
    run_script(Some(&rig.dir)).unwrap_or_else(|e| panic!("{e}"));
}

fn start() -> Result<Rig, String> {
    for tool in ["pipewire", "espeak-ng", "sox", "pacat"] {
        if Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map_or(true, |o| !o.status.success())
        {
            return Err(format!(
                "'{tool}' is not installed: run scripts/setup-debian.sh (it installs PipeWire and the audio test tools)"
            ));
        }
    }
    let dir = run_script(None)?;
    let clip = speech(&dir)?;
    Ok(Rig { dir, clip })
}

/// A sentence from espeak-ng, as 16-bit samples at 8 kHz.
fn speech(dir: &Path) -> Result<Vec<i16>, String> {
    let wav = dir.join("clip.wav");
    let raw = dir.join("clip.raw");
    run(Command::new("espeak-ng").arg("-w").arg(&wav).arg(
        "Thank you for calling. Your call is important to us. This is a test of two way speech on the agent's phone.",
    ))?;
    run(Command::new("sox")
        .arg(&wav)
        .args([
            "-r",
            "8000",
            "-c",
            "1",
            "-b",
            "16",
            "-e",
            "signed-integer",
            "-t",
            "raw",
        ])
        .arg(&raw))?;
    Ok(read_raw(&raw))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

pub fn read_raw(path: &Path) -> Vec<i16> {
    let bytes = std::fs::read(path).expect("raw audio file");
    bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// `pactl` with the rig's environment; its standard output.
pub fn pactl(args: &[&str]) -> String {
    let out = Command::new("pactl")
        .args(args)
        .output()
        .expect("pactl runs");
    assert!(
        out.status.success(),
        "pactl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Plays `samples` (8 kHz mono) into the agent's microphone, with `pad_ms` of silence before and after (recordings
/// through PipeWire lose a little at both ends), and returns when pacat has played it all.
pub fn play_into_mic(rig: &Rig, samples: &[i16], pad_ms: usize) {
    play(rig, "farend_voice", samples, pad_ms)
        .wait()
        .expect("pacat ran");
}

/// Starts playing `samples` (8 kHz mono, padded) on `device`.
pub fn play(rig: &Rig, device: &str, samples: &[i16], pad_ms: usize) -> Child {
    let pad = vec![0i16; pad_ms * 8];
    let path = rig.dir.join(format!("play-{}.raw", std::process::id()));
    let bytes: Vec<u8> = pad
        .iter()
        .chain(samples)
        .chain(&pad)
        .flat_map(|s| s.to_le_bytes())
        .collect();
    std::fs::write(&path, bytes).unwrap();
    Command::new("pacat")
        .args([
            "--playback",
            "--raw",
            "--rate=8000",
            "--channels=1",
            "--format=s16le",
        ])
        .arg(format!("--device={device}"))
        .arg(&path)
        .spawn()
        .expect("pacat starts")
}

/// Records a device (a monitor) at 8 kHz mono until stopped; what came so far can be looked at meanwhile.
pub struct Recorder {
    child: Child,
    samples: Arc<Mutex<Vec<i16>>>,
    reader: Option<JoinHandle<()>>,
}

impl Recorder {
    pub fn start(device: &str) -> Recorder {
        let mut child = Command::new("pacat")
            .args([
                "--record",
                "--raw",
                "--rate=8000",
                "--channels=1",
                "--format=s16le",
                "--latency-msec=20",
            ])
            .arg(format!("--device={device}"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("pacat --record starts");
        let mut stdout = child.stdout.take().unwrap();
        let samples = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let samples = samples.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 640];
                let mut odd: Option<u8> = None;
                while let Ok(n) = stdout.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let mut bytes: Vec<u8> = odd
                        .take()
                        .into_iter()
                        .chain(buf[..n].iter().copied())
                        .collect();
                    if bytes.len() % 2 == 1 {
                        odd = bytes.pop();
                    }
                    let mut s = samples.lock().unwrap();
                    s.extend(
                        bytes
                            .chunks_exact(2)
                            .map(|b| i16::from_le_bytes([b[0], b[1]])),
                    );
                }
            })
        };
        Recorder {
            child,
            samples,
            reader: Some(reader),
        }
    }

    /// What was recorded so far.
    pub fn so_far(&self) -> Vec<i16> {
        self.samples.lock().unwrap().clone()
    }

    pub fn stop(mut self) -> Vec<i16> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = self.reader.take().unwrap().join();
        std::mem::take(&mut *self.samples.lock().unwrap())
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// 20 ms windows of `samples` louder than `level` (RMS, full scale 1.0).
pub fn loud_windows(samples: &[i16], level: f64) -> usize {
    samples.chunks(160).filter(|w| rms(w) > level).count()
}

/// Waits for `condition`, checking every 10 ms, failing the test after `timeout`.
pub fn wait_until(what: &str, timeout: Duration, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn rms(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / samples.len() as f64).sqrt()
        / 32768.0
}

/// How well `recording` carries `reference`: the normalised cross-correlation of each voiced half
/// second of the clip with the recording, each at its own best lag within 100 ms of the whole
/// clip's (so a frame of concealment or a device glitch that shifts what follows by a few
/// milliseconds costs only its own segment), averaged; and the whole clip's lag in ms from the
/// start of the recording (the latency figure).
pub fn correlate(reference: &[i16], recording: &[i16]) -> (f64, f64) {
    let (_, lag_ms) = correlate_whole(reference, recording);
    let lag = (lag_ms * 8.0) as usize;
    let x: Vec<f64> = reference.iter().map(|&s| f64::from(s)).collect();
    let y: Vec<f64> = recording.iter().map(|&s| f64::from(s)).collect();
    let mut scores = Vec::new();
    for (i, segment) in x.chunks_exact(4000).enumerate() {
        if rms(&reference[i * 4000..(i + 1) * 4000]) < 0.01 {
            continue;
        }
        let start = i * 4000 + lag;
        let hi = (start + 800).min(y.len().saturating_sub(4000));
        let best = (start.saturating_sub(800)..=hi)
            .map(|l| ncc(segment, &y, l))
            .fold(0.0, f64::max);
        scores.push(best);
    }
    (
        scores.iter().sum::<f64>() / scores.len().max(1) as f64,
        lag_ms,
    )
}

fn ncc(x: &[f64], y: &[f64], lag: usize) -> f64 {
    let y = &y[lag..lag + x.len()];
    let (mut xy, mut xx, mut yy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        xy += a * b;
        xx += a * a;
        yy += b * b;
    }
    if xx == 0.0 || yy == 0.0 {
        0.0
    } else {
        xy / (xx * yy).sqrt()
    }
}

/// The best normalised cross-correlation of the whole `reference` within `recording`, and where
/// (in ms from the start of the recording). Searched on a 2 kHz copy first, then refined at 8 kHz
/// around the best coarse lag.
pub fn correlate_whole(reference: &[i16], recording: &[i16]) -> (f64, f64) {
    fn decimate(x: &[i16]) -> Vec<f64> {
        x.chunks_exact(4)
            .map(|c| c.iter().map(|&s| f64::from(s)).sum::<f64>() / 4.0)
            .collect()
    }
    assert!(
        recording.len() > reference.len(),
        "the recording ({} samples) is shorter than the clip",
        recording.len()
    );
    let (x4, y4) = (decimate(reference), decimate(recording));
    let coarse = (0..=y4.len() - x4.len())
        .max_by(|&a, &b| ncc(&x4, &y4, a).total_cmp(&ncc(&x4, &y4, b)))
        .unwrap();
    let x: Vec<f64> = reference.iter().map(|&s| f64::from(s)).collect();
    let y: Vec<f64> = recording.iter().map(|&s| f64::from(s)).collect();
    let (lo, hi) = (
        (coarse * 4).saturating_sub(8),
        (coarse * 4 + 8).min(y.len() - x.len()),
    );
    let (lag, best) = (lo..=hi)
        .map(|lag| (lag, ncc(&x, &y, lag)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    (best, lag as f64 / 8.0)
}

/// The `module-null-sink` module index that created `sink`.
pub fn module_of(sink: &str) -> Option<String> {
    pactl(&["list", "short", "modules"])
        .lines()
        .find(|l| {
            l.contains(&format!("sink_name={sink} ")) || l.ends_with(&format!("sink_name={sink}"))
        })
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
}
