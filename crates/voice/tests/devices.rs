//! `CallAudio` and `Ringer` on real devices: a private PipeWire with null sinks (tests/common). Speech goes into the
//! agent's microphone, comes out as G.711 frames, is echoed back into `receive` as the far end would send it, and
//! is recorded from the agent's headset.

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use common::*;
use voice::{CallAudio, Codec, DeviceEvent, Direction, EncodedFrame, Ringer};

const PAD_MS: usize = 700;
const LONG: Duration = Duration::from_secs(20);

/// The far end: echoes every frame back into `receive`, through `network` (which may drop, delay or reorder:
/// it gets each frame with its sequence number and returns those to deliver now).
struct Echo {
    stop: Arc<AtomicBool>,
    echoed: Arc<AtomicU64>,
    frames: Arc<Mutex<Vec<EncodedFrame>>>,
    thread: Option<JoinHandle<()>>,
}

type Network = Box<dyn FnMut(u16, EncodedFrame) -> Vec<(u16, EncodedFrame)> + Send>;

impl Echo {
    fn start(
        audio: Arc<CallAudio>,
        mut rx: tokio::sync::mpsc::Receiver<EncodedFrame>,
        mut network: Network,
    ) -> Echo {
        let stop = Arc::new(AtomicBool::new(false));
        let echoed = Arc::new(AtomicU64::new(0));
        let frames = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, echoed, frames) = (stop.clone(), echoed.clone(), frames.clone());
            std::thread::spawn(move || {
                let (mut seq, mut ts) = (40_000u16, 3_000_000_000u32);
                // A frame comes every 20 ms while the call's audio runs: the stop flag is seen within that.
                while let Some(frame) = rx.blocking_recv() {
                    if stop.load(Relaxed) {
                        break;
                    }
                    ts = ts.wrapping_add(frame.timestamp_increment);
                    frames.lock().unwrap().push(frame.clone());
                    for (s, f) in network(seq, frame) {
                        audio.receive(
                            s,
                            ts.wrapping_sub(160 * u32::from(seq.wrapping_sub(s))),
                            &f.payload,
                        );
                        echoed.fetch_add(1, Relaxed);
                    }
                    seq = seq.wrapping_add(1);
                }
            })
        };
        Echo {
            stop,
            echoed,
            frames,
            thread: Some(thread),
        }
    }

    fn stop(mut self) -> Vec<EncodedFrame> {
        self.stop.store(true, Relaxed);
        self.thread.take().unwrap().join().unwrap();
        std::mem::take(&mut *self.frames.lock().unwrap())
    }
}

fn perfect() -> Network {
    Box::new(|seq, frame| vec![(seq, frame)])
}

/// Plays the clip into the microphone while `echo` sends it back, recording the headset; returns the
/// correlation of the recording with the clip and its lag in ms.
fn clip_through(rig: &Rig, audio: &CallAudio, echo: &Echo) -> (f64, f64) {
    let recorder = Recorder::start("agent_headset.monitor");
    play_into_mic(rig, &rig.clip, PAD_MS);
    // Everything echoed so far has been played (the pad's silence follows the clip out).
    let echoed = echo.echoed.load(Relaxed);
    let base = {
        let s = audio.stats();
        s.packets_dropped
    };
    wait_until("the echoed clip to be played", LONG, || {
        let s = audio.stats();
        s.frames_played + s.frames_concealed + s.packets_late + (s.packets_dropped - base)
            >= echoed.min(s.frames_sent)
    });
    correlate(&rig.clip, &recorder.stop())
}

/// A call whose far end echoes through `network`: the clip's correlation, its lag in ms, and the stats.
fn through_the_call(rig: &Rig, network: Network) -> (f64, f64, voice::VoiceStats) {
    let (audio, rx) = CallAudio::start(Codec::Pcmu).expect("the call's audio starts");
    let audio = Arc::new(audio);
    let echo = Echo::start(audio.clone(), rx, network);
    let (ncc, lag) = clip_through(rig, &audio, &echo);
    echo.stop();
    (ncc, lag, audio.stats())
}

#[test]
fn speech_goes_through_the_call_and_back_to_the_headset() {
    let (_lock, rig) = rig();
    let (ncc, lag_ms, stats) = through_the_call(rig, perfect());
    // The same clip played straight to the headset: the lag the tools themselves add.
    let recorder = Recorder::start("agent_headset.monitor");
    play(rig, "agent_headset", &rig.clip, PAD_MS)
        .wait()
        .unwrap();
    let (direct_ncc, direct_lag_ms) = correlate_whole(&rig.clip, &recorder.stop());
    println!(
        "loopback: correlation {ncc:.3} at {lag_ms:.1} ms; direct to the headset {direct_ncc:.3} at {direct_lag_ms:.1} \
         ms; the call adds {:.0} ms (microphone → frames → far end → jitter buffer {} ms → speaker); {stats:?}",
        lag_ms - direct_lag_ms,
        stats.buffer_target_ms
    );
    assert!(
        ncc >= 0.6,
        "the agent's headset played the clip back with correlation {ncc:.3}"
    );
    // Nothing is lost on the way; on a loaded machine a starved thread can still empty the buffer now and then.
    assert!(
        stats.frames_concealed * 50 <= stats.frames_played,
        "under 2 % concealed: {stats:?}"
    );
}

#[test]
fn lost_and_reordered_packets_are_concealed_and_speech_still_comes_through() {
    let (_lock, rig) = rig();
    // Every 2 s a burst of five packets (100 ms) is lost, and one packet in 40 alone; every 7th is held back and
    // sent after the next.
    let mut held_back: Option<(u16, EncodedFrame)> = None;
    let network: Network = Box::new(move |seq, frame| {
        if (50..55).contains(&(seq % 100)) || seq % 40 == 3 {
            return Vec::new();
        }
        let mut out = Vec::new();
        if seq % 7 == 0 {
            held_back = Some((seq, frame));
            return out;
        }
        out.push((seq, frame));
        out.extend(held_back.take());
        out
    });
    let (ncc, _, stats) = through_the_call(rig, network);
    println!("with loss and reordering: correlation {ncc:.3}; {stats:?}");
    assert!(
        stats.frames_concealed > 0,
        "losses were concealed: {stats:?}"
    );
    assert!(ncc >= 0.6, "correlation {ncc:.3}");
}

/// Frames (in order) sent while the clip plays into the microphone.
fn frames_during_clip(
    rig: &Rig,
    rx: &mut tokio::sync::mpsc::Receiver<EncodedFrame>,
) -> Vec<EncodedFrame> {
    while rx.try_recv().is_ok() {}
    let mut player = play(rig, "farend_voice", &rig.clip, 200);
    let mut frames = Vec::new();
    // A frame comes every 20 ms: pacat's end is noticed within one.
    while let Some(frame) = rx.blocking_recv() {
        frames.push(frame);
        if player.try_wait().unwrap().is_some() {
            break;
        }
    }
    // Reaped above, or (the call's channel closed early) here.
    let _ = player.wait();
    frames
}

fn speech_level(frames: &[EncodedFrame]) -> f64 {
    let pcm: Vec<i16> = frames
        .iter()
        .flat_map(|f| f.payload.iter().map(|&b| voice::g711::ulaw_decode(b)))
        .collect();
    rms(&pcm)
}

#[test]
fn muted_the_far_end_gets_silence_but_frames_keep_flowing() {
    let (_lock, rig) = rig();
    let (audio, mut rx) = CallAudio::start(Codec::Pcmu).unwrap();
    let clip_frames = rig.clip.len() / 160;

    audio.set_muted(true);
    let muted = frames_during_clip(rig, &mut rx);
    assert!(
        muted.len() >= clip_frames,
        "frames kept flowing: {} for a {clip_frames}-frame clip",
        muted.len()
    );
    assert!(
        muted.iter().all(|f| f.payload.iter().all(|&b| b == 0xFF)),
        "every muted frame is µ-law silence"
    );

    audio.set_muted(false);
    let unmuted = frames_during_clip(rig, &mut rx);
    let level = speech_level(&unmuted);
    assert!(level > 0.02, "unmuted, the speech is sent: RMS {level:.4}");
}

#[test]
fn held_nothing_is_sent_and_the_headset_is_silent_then_it_resumes() {
    let (_lock, rig) = rig();
    let (audio, mut rx) = CallAudio::start(Codec::Pcma).unwrap();
    wait_until("the first frame", LONG, || audio.stats().frames_sent > 0);
    audio.set_held(true);
    let before = audio.stats().frames_sent;
    // The far end keeps sending a tone while we are on hold.
    let tone: Vec<u8> = (0..160)
        .map(|n| voice::g711::alaw_encode((8000.0 * (n as f32 * 0.3).sin()) as i16))
        .collect();
    let recorder = Recorder::start("agent_headset.monitor");
    let player = play(rig, "farend_voice", &rig.clip, 200);
    let mut player = player;
    let mut seq = 0u16;
    while player.try_wait().unwrap().is_none() {
        audio.receive(seq, u32::from(seq) * 160, &tone);
        seq = seq.wrapping_add(1);
        std::thread::sleep(Duration::from_millis(20)); // the far end's packet clock, not a wait for a condition
    }
    let recording = recorder.stop();
    let stats = audio.stats();
    assert!(
        stats.frames_sent <= before + 1,
        "nothing sent on hold: {} then {}",
        before,
        stats.frames_sent
    );
    assert!(
        stats.packets_dropped >= u64::from(seq) - 1,
        "received audio dropped on hold: {stats:?}"
    );
    assert!(
        rms(&recording) < 0.001,
        "the headset was silent on hold: RMS {}",
        rms(&recording)
    );
    while rx.try_recv().is_ok() {}

    audio.set_held(false);
    let mut resumed = None;
    wait_until("a frame after hold", LONG, || {
        resumed = rx.try_recv().ok();
        resumed.is_some()
    });
    let frame = resumed.unwrap();
    assert!(
        frame.marker,
        "the first frame after hold starts a talk spurt"
    );
    assert!(
        frame.timestamp_increment > 160 * 50,
        "its timestamp counted the hold: +{}",
        frame.timestamp_increment
    );
    assert_eq!(frame.payload_type, 8);
}

#[test]
fn the_ringer_is_heard_in_the_headset_and_stops_when_dropped() {
    let (_lock, _rig) = rig();
    let recorder = Recorder::start("agent_headset.monitor");
    let ringer = Ringer::start().expect("the ringer starts");
    // A whole ring (1 s) of tone in the headset.
    wait_until("a full ring in the headset", LONG, || {
        loud_windows(&recorder.so_far(), 0.05) >= 45
    });
    drop(ringer);
    let recording = recorder.stop();
    let level = rms(&recording);
    println!(
        "ringer: {} ms recorded, RMS {level:.3}",
        recording.len() / 8
    );
    // Its frequencies: 440 and 480 Hz, not some other noise.
    let tone = goertzel(&recording, 440.0) + goertzel(&recording, 480.0);
    let off = goertzel(&recording, 1000.0) + goertzel(&recording, 300.0);
    assert!(
        tone > 20.0 * off,
        "440/480 Hz dominate: {tone:.4} against {off:.4}"
    );
    wait_until("the ringer's stream to go", LONG, || {
        pactl(&["list", "short", "sink-inputs"]).trim().is_empty()
    });
}

/// Power of `freq` in `x` (8 kHz).
fn goertzel(x: &[i16], freq: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * freq / 8000.0;
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &v in x {
        let s = f64::from(v) / 32768.0 + 2.0 * w.cos() * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    (s1 * s1 + s2 * s2 - 2.0 * w.cos() * s1 * s2) / x.len() as f64
}

/// PipeWire moves a stream whose sink disappears to another sink (or a dummy one) and back when the default
/// returns: the ALSA client (cpal) sees no error at all. The call must not notice either.
#[test]
fn unplugging_the_headset_mid_call_moves_the_stream_without_a_gap() {
    let (_lock, rig) = rig();
    let (audio, rx) = CallAudio::start(Codec::Pcmu).unwrap();
    let audio = Arc::new(audio);
    let mut events = audio.events();
    let echo = Echo::start(audio.clone(), rx, perfect());
    wait_until("audio playing", LONG, || audio.stats().frames_played > 10);

    let module = module_of("agent_headset").expect("agent_headset's module");
    pactl(&["unload-module", &module]);
    let sent = audio.stats().frames_sent;
    wait_until("a second of frames without the headset", LONG, || {
        audio.stats().frames_sent >= sent + 50
    });
    pactl(&[
        "load-module",
        "module-null-sink",
        "sink_name=agent_headset",
        "sink_properties=device.description=agent_headset",
    ]);
    pactl(&["set-default-sink", "agent_headset"]);
    let headset = pactl(&["list", "short", "sinks"])
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("agent_headset"))
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .expect("agent_headset is back");
    wait_until("the call's stream on the new headset", LONG, || {
        pactl(&["list", "short", "sink-inputs"])
            .lines()
            .any(|l| l.split_whitespace().nth(1) == Some(headset.as_str()))
    });
    let (ncc, _) = clip_through(rig, &audio, &echo);
    echo.stop();
    let stats = audio.stats();
    println!("unplug and replug the headset: correlation {ncc:.3} afterwards; {stats:?}");
    assert!(
        events.try_recv().is_err(),
        "no device event: the stream was moved, not lost"
    );
    assert!(stats.microphone_open && stats.speaker_open, "{stats:?}");
    assert!(
        ncc >= 0.6,
        "speech reaches the headset that came back: correlation {ncc:.3}"
    );
}

/// The audio server itself goes away mid-call (a crash, a restart): the streams fail, the call goes on sending
/// silence, and both devices come back by themselves when it returns.
#[test]
fn the_audio_server_restarting_mid_call_is_survived() {
    let (_lock, rig) = rig();
    let (audio, rx) = CallAudio::start(Codec::Pcmu).unwrap();
    let audio = Arc::new(audio);
    let mut events = audio.events();
    let echo = Echo::start(audio.clone(), rx, perfect());
    wait_until("audio playing", LONG, || audio.stats().frames_played > 10);

    stop_audio_server();
    let mut seen = Vec::new();
    let mut collect = |seen: &mut Vec<DeviceEvent>| {
        while let Ok(e) = events.try_recv() {
            seen.push(e);
        }
    };
    wait_until("both devices reported lost", LONG, || {
        collect(&mut seen);
        [Direction::Microphone, Direction::Speaker].iter().all(|d| {
            seen.iter()
                .any(|e| matches!(e, DeviceEvent::Lost { direction, .. } if direction == d))
        })
    });
    let stats = audio.stats();
    assert!(!stats.microphone_open && !stats.speaker_open, "{stats:?}");
    // RTP keeps flowing: a second of (silent) frames with no device at all.
    let sent = stats.frames_sent;
    wait_until("frames while the devices are gone", LONG, || {
        audio.stats().frames_sent >= sent + 50
    });

    start_audio_server_again(rig);
    wait_until("both devices back", LONG, || {
        collect(&mut seen);
        let s = audio.stats();
        s.microphone_open && s.speaker_open
    });
    collect(&mut seen);
    let (ncc, _) = clip_through(rig, &audio, &echo);
    echo.stop();
    let stats = audio.stats();
    println!("audio server restart: events {seen:?}; correlation {ncc:.3} afterwards; {stats:?}");
    assert!(seen.iter().any(|e| matches!(
        e,
        DeviceEvent::Recovered {
            direction: Direction::Speaker,
            ..
        }
    )));
    assert!(seen.iter().any(|e| matches!(
        e,
        DeviceEvent::Recovered {
            direction: Direction::Microphone,
            ..
        }
    )));
    assert!(
        stats.device_errors < 100,
        "one loss is counted once, not once per failed poll: {stats:?}"
    );
    assert!(
        ncc >= 0.6,
        "speech goes through again: correlation {ncc:.3}"
    );
}
