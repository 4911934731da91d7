//! Opens the default devices for a few seconds, echoing captured frames back into playout, and prints the stats.
use std::time::Duration;
fn main() {
    let (audio, mut rx) = voice::CallAudio::start(voice::Codec::Pcmu).expect("start");
    let start = std::time::Instant::now();
    let mut seq = 0u16;
    while start.elapsed() < Duration::from_secs(3) {
        if let Some(frame) = rx.blocking_recv() {
            audio.receive(seq, frame.timestamp, &frame.payload);
            seq = seq.wrapping_add(1);
        }
    }
    println!("{:#?}", audio.stats());
}
