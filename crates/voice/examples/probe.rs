//! Opens the default devices for `VOICE_PROBE_SECS` seconds (default 3), echoing captured frames back into
//! playout, printing device events as they come and the stats at the end. For trying the pipeline by hand (for
//! example unplugging a headset meanwhile).
use std::time::Duration;
fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let secs: u64 = std::env::var("VOICE_PROBE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let (audio, mut rx) = voice::CallAudio::start(voice::Codec::Pcmu).expect("start");
    let mut events = audio.events();
    let start = std::time::Instant::now();
    let mut seq = 0u16;
    while start.elapsed() < Duration::from_secs(secs) {
        if let Some(frame) = rx.blocking_recv() {
            audio.receive(seq, frame.timestamp, &frame.payload);
            seq = seq.wrapping_add(1);
        }
        while let Ok(event) = events.try_recv() {
            println!("{:>6} ms: {event}", start.elapsed().as_millis());
        }
        if seq % 50 == 0 {
            let s = audio.stats();
            println!(
                "{:>6} ms: sent {} played {} concealed {} dropped {} mic {} speaker {} errors {}",
                start.elapsed().as_millis(),
                s.frames_sent,
                s.frames_played,
                s.frames_concealed,
                s.packets_dropped,
                s.microphone_open,
                s.speaker_open,
                s.device_errors
            );
        }
    }
    println!("{:#?}", audio.stats());
}
