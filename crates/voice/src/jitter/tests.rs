//! The jitter buffer against simulated networks: a sender emits a 20 ms packet every `interval` ms, each packet
//! arrives after its own delay (or never), and the speaker pops a frame every 20 ms.

use super::*;

/// Every byte of frame `k`'s payload is one positive µ-law code that identifies `k % 100`.
fn code(k: u32) -> u8 {
    0x80 + (k % 100) as u8
}

/// Which frame (mod 100) a played frame came from, if all its samples are that frame's.
fn frame_id(out: &[i16; FRAME]) -> Option<u32> {
    (0..100).find(|&k| out.iter().all(|&s| s == g711::ulaw_decode(code(k))))
}

#[derive(Clone, Copy)]
struct Packet {
    arrival_us: u64,
    seq: u16,
    ts: u32,
    k: u32,
    len: usize,
}

/// Packets `k` in `frames`, sent every `interval_us`, arriving after `delay_ms(k)` (`None`: lost).
fn send(
    frames: std::ops::Range<u32>,
    interval_us: u64,
    seq0: u16,
    ts0: u32,
    delay_ms: impl Fn(u32) -> Option<u64>,
) -> Vec<Packet> {
    frames
        .filter_map(|k| {
            delay_ms(k).map(|d| Packet {
                arrival_us: u64::from(k) * interval_us + d * 1000,
                seq: seq0.wrapping_add(k as u16),
                ts: ts0.wrapping_add(k * FRAME as u32),
                k,
                len: FRAME,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Pop {
    time_ms: u64,
    kind: Popped,
    id: Option<u32>,
    depth: u32,
}

/// Pops every 20 ms for `pops` frames, pushing every packet that arrived by then (each `copies` times).
fn run(buffer: &mut JitterBuffer, mut packets: Vec<Packet>, pops: u64, copies: usize) -> Vec<Pop> {
    packets.sort_by_key(|p| p.arrival_us);
    let mut next = 0;
    let mut out = [0i16; FRAME];
    let mut result = Vec::new();
    for tick in 0..pops {
        let now_us = tick * 20_000;
        while next < packets.len() && packets[next].arrival_us <= now_us {
            let p = packets[next];
            for _ in 0..copies {
                buffer.push(p.seq, p.ts, &vec![code(p.k); p.len], Codec::Pcmu);
            }
            next += 1;
        }
        let depth = buffer.depth();
        let kind = buffer.pop(&mut out);
        result.push(Pop {
            time_ms: tick * 20,
            kind,
            id: frame_id(&out),
            depth,
        });
    }
    result
}

/// Concealed frames before the last received one played (after it, the stream has simply ended).
fn concealed(pops: &[Pop]) -> usize {
    let end = pops
        .iter()
        .rposition(|p| p.kind == Popped::Audio)
        .unwrap_or(0);
    pops[..end]
        .iter()
        .filter(|p| p.kind == Popped::Concealed)
        .count()
}

fn audio_ids(pops: &[Pop]) -> Vec<u32> {
    pops.iter()
        .filter(|p| p.kind == Popped::Audio)
        .filter_map(|p| p.id)
        .collect()
}

fn expected_ids(frames: impl Iterator<Item = u32>) -> Vec<u32> {
    frames.map(|k| k % 100).collect()
}

#[test]
fn in_order_packets_play_in_order_after_the_target_depth() {
    let mut jb = JitterBuffer::new(60);
    let pops = run(
        &mut jb,
        send(0..100, 20_000, 1000, 5000, |_| Some(5)),
        110,
        1,
    );
    // Three packets (60 ms) must wait before the first is played.
    assert!(
        pops[..3].iter().all(|p| p.kind == Popped::Silence),
        "{:?}",
        &pops[..4]
    );
    assert_eq!(pops[3].kind, Popped::Audio);
    assert_eq!(audio_ids(&pops), expected_ids(0..100));
    assert_eq!(concealed(&pops) as u64, 0);
    assert_eq!(jb.stats().played, 100);
}

#[test]
fn reordered_packets_are_put_back_in_order() {
    let mut jb = JitterBuffer::new(60);
    // Each odd packet overtakes the even one before it.
    let packets = send(0..100, 20_000, 7, 0, |k| {
        Some(if k % 2 == 0 { 30 } else { 5 })
    });
    let pops = run(&mut jb, packets, 110, 1);
    assert_eq!(audio_ids(&pops), expected_ids(0..100));
    assert_eq!((concealed(&pops) as u64, jb.stats().late), (0, 0));
}

#[test]
fn a_lost_packet_is_concealed_with_a_faded_copy_of_the_last_frame() {
    let mut jb = JitterBuffer::new(60);
    let packets = send(0..100, 20_000, 0, 0, |k| (k != 50).then_some(5));
    let pops = run(&mut jb, packets, 110, 1);
    let at = pops
        .iter()
        .position(|p| p.kind == Popped::Concealed)
        .expect("a concealed frame");
    assert_eq!(pops[at - 1].id, Some(49));
    assert_eq!(pops[at + 1].id, Some(51));
    assert_eq!(concealed(&pops) as u64, 1);
    assert_eq!(
        audio_ids(&pops),
        expected_ids((0..100).filter(|&k| k != 50))
    );
}

#[test]
fn a_burst_of_losses_fades_out_then_goes_silent_and_playback_resumes() {
    let mut jb = JitterBuffer::new(60);
    let packets = send(0..100, 20_000, 0, 0, |k| {
        (!(40..46).contains(&k)).then_some(5)
    });
    let mut out = [0i16; FRAME];
    let mut seen = Vec::new();
    let mut sorted = packets.clone();
    sorted.sort_by_key(|p| p.arrival_us);
    let mut next = 0;
    for tick in 0..110u64 {
        while next < sorted.len() && sorted[next].arrival_us <= tick * 20_000 {
            let p = sorted[next];
            jb.push(p.seq, p.ts, &[code(p.k); FRAME], Codec::Pcmu);
            next += 1;
        }
        let kind = jb.pop(&mut out);
        seen.push((kind, out[0]));
    }
    let first = seen
        .iter()
        .position(|(k, _)| *k == Popped::Concealed)
        .unwrap();
    let last_good = f32::from(g711::ulaw_decode(code(39)));
    let levels: Vec<i16> = seen[first..first + 6].iter().map(|(_, s)| *s).collect();
    assert_eq!(
        levels,
        vec![
            (last_good * 0.8) as i16,
            (last_good * 0.5) as i16,
            (last_good * 0.2) as i16,
            0,
            0,
            0
        ]
    );
    let last_audio = seen.iter().rposition(|(k, _)| *k == Popped::Audio).unwrap();
    let concealed = seen[..last_audio]
        .iter()
        .filter(|(k, _)| *k == Popped::Concealed)
        .count();
    assert_eq!(concealed, 6, "all six holes are losses");
    assert_eq!(
        seen[first + 6],
        (Popped::Audio, g711::ulaw_decode(code(46)))
    );
}

#[test]
fn duplicates_are_counted_and_played_once() {
    let mut jb = JitterBuffer::new(60);
    let pops = run(&mut jb, send(0..100, 20_000, 0, 0, |_| Some(5)), 110, 2);
    assert_eq!(audio_ids(&pops), expected_ids(0..100));
    assert_eq!(jb.stats().duplicate, 100);
}

#[test]
fn sequence_numbers_and_timestamps_wrap_around() {
    let mut jb = JitterBuffer::new(60);
    let ts0 = u32::MAX - 20 * FRAME as u32 + 1;
    let packets = send(0..100, 20_000, 65_500, ts0, |k| {
        Some(if k % 3 == 0 { 25 } else { 5 })
    });
    let pops = run(&mut jb, packets, 110, 1);
    assert_eq!(audio_ids(&pops), expected_ids(0..100));
    assert_eq!(
        (jb.stats().resyncs, concealed(&pops) as u64, jb.stats().late),
        (0, 0, 0)
    );
}

#[test]
fn a_packet_after_its_time_is_dropped_as_late() {
    let mut jb = JitterBuffer::new(60);
    let packets = send(0..100, 20_000, 0, 0, |k| {
        Some(if k == 30 { 205 } else { 5 })
    });
    let pops = run(&mut jb, packets, 110, 1);
    assert_eq!(jb.stats().late, 1);
    assert_eq!(concealed(&pops) as u64, 1);
    assert_eq!(
        audio_ids(&pops),
        expected_ids((0..100).filter(|&k| k != 30))
    );
}

#[test]
fn jitter_within_the_target_is_absorbed() {
    let mut jb = JitterBuffer::new(60);
    // A fixed pseudo-random delay of 0..=35 ms per packet.
    let packets = send(0..500, 20_000, 0, 0, |k| {
        Some(u64::from(k.wrapping_mul(2_654_435_761) >> 7) % 36)
    });
    let pops = run(&mut jb, packets, 510, 1);
    assert_eq!(audio_ids(&pops), expected_ids(0..500));
    assert_eq!((concealed(&pops) as u64, jb.stats().late), (0, 0));
}

/// Arrival-to-playout delay of frame `k` (its packet's arrival and the pop that played it).
fn playout_delay_ms(pops: &[Pop], packets: &[Packet], k: u32) -> u64 {
    let arrival = packets.iter().find(|p| p.k == k).unwrap().arrival_us / 1000;
    let played = pops
        .iter()
        .find(|p| p.kind == Popped::Audio && p.time_ms >= arrival && p.id == Some(k % 100));
    played.expect("frame played").time_ms - arrival
}

#[test]
fn a_pause_in_sending_adds_no_lasting_delay() {
    for gap_ms in [500u64, 3_000] {
        let mut jb = JitterBuffer::new(60);
        // Frames 0..50, then the sender pauses `gap_ms` (its timestamps go on counting), then frames 50..100.
        let mut packets = send(0..50, 20_000, 0, 0, |_| Some(5));
        let gap_frames = (gap_ms / 20) as u32;
        let later = send(50..100, 20_000, 0, 0, |_| Some(5 + gap_ms))
            .into_iter()
            .map(|mut p| {
                p.ts = p.ts.wrapping_add(gap_frames * FRAME as u32);
                p
            });
        packets.extend(later);
        let pops = run(&mut jb, packets.clone(), 110 + u64::from(gap_frames), 1);
        assert_eq!(audio_ids(&pops), expected_ids(0..100), "gap {gap_ms} ms");
        let before = playout_delay_ms(&pops, &packets, 10);
        let after = playout_delay_ms(&pops, &packets, 80);
        assert!(
            after <= before + 20,
            "gap {gap_ms} ms: delay {before} ms before, {after} ms after"
        );
        assert_eq!(
            jb.stats().resyncs,
            u64::from(gap_ms > 1000),
            "gap {gap_ms} ms"
        );
    }
}

#[test]
fn a_new_stream_after_a_reinvite_restarts_the_timeline() {
    let mut jb = JitterBuffer::new(60);
    let mut packets = send(0..50, 20_000, 100, 1_000_000, |_| Some(5));
    // Same timing, but a new random sequence and timestamp base (backwards by far).
    packets.extend(
        send(50..100, 20_000, 40_000, 7, |_| Some(5))
            .into_iter()
            .map(|mut p| {
                p.ts = p.ts.wrapping_sub(50 * FRAME as u32);
                p
            }),
    );
    let pops = run(&mut jb, packets, 110, 1);
    assert_eq!(jb.stats().resyncs, 1);
    let ids = audio_ids(&pops);
    assert!(ids.ends_with(&expected_ids(53..100)), "{ids:?}");
}

#[test]
fn a_far_end_clock_one_percent_fast_is_followed_without_growing_delay() {
    let mut jb = JitterBuffer::new(60);
    let pops = run(&mut jb, send(0..3030, 19_800, 0, 0, |_| Some(5)), 3000, 1);
    let max_depth = pops[100..].iter().map(|p| p.depth).max().unwrap();
    assert!(
        max_depth <= (60 + 60) * 8,
        "depth reached {} ms",
        max_depth / 8
    );
    assert!(jb.stats().drift_skips >= 20, "{:?}", jb.stats());
    assert_eq!(jb.stats().concealed, 0);
}

#[test]
fn a_far_end_clock_one_percent_slow_only_glitches_now_and_then() {
    let mut jb = JitterBuffer::new(60);
    let pops = run(&mut jb, send(0..2970, 20_200, 0, 0, |_| Some(5)), 3000, 1);
    let max_depth = pops.iter().map(|p| p.depth).max().unwrap();
    assert!(
        max_depth <= (60 + 20) * 8,
        "depth reached {} ms",
        max_depth / 8
    );
    let played = jb.stats().played;
    assert!(played >= 2900, "played {played} of 2970");
    // 1 % of 60 s is 600 ms to make up: about one dry spell per 40 ms of buffer.
    assert!(jb.stats().concealed <= 60, "{:?}", jb.stats());
}

#[test]
fn reset_forgets_the_stream_and_a_new_one_starts_cleanly() {
    let mut jb = JitterBuffer::new(60);
    run(&mut jb, send(0..20, 20_000, 0, 0, |_| Some(5)), 20, 1);
    jb.reset();
    assert_eq!(jb.depth(), 0);
    let mut out = [1i16; FRAME];
    assert_eq!(jb.pop(&mut out), Popped::Silence);
    assert!(out.iter().all(|&s| s == 0));
    // The same sequence numbers again are not duplicates after a reset.
    let pops = run(&mut jb, send(0..20, 20_000, 0, 555_555, |_| Some(5)), 30, 1);
    assert_eq!(audio_ids(&pops), expected_ids(0..20));
    assert_eq!(jb.stats().duplicate, 0);
}

#[test]
fn packets_of_30_ms_play_without_gaps() {
    let mut jb = JitterBuffer::new(60);
    let packets: Vec<Packet> = (0..60u32)
        .map(|k| Packet {
            arrival_us: u64::from(k) * 30_000 + 5_000,
            seq: k as u16,
            ts: k * 240,
            k,
            len: 240,
        })
        .collect();
    let pops = run(&mut jb, packets, 95, 1);
    assert_eq!(concealed(&pops) as u64, 0);
    assert_eq!(jb.stats().played, 60 * 240 / FRAME as u64);
    assert!(pops
        .iter()
        .skip_while(|p| p.kind == Popped::Silence)
        .take(85)
        .all(|p| p.kind == Popped::Audio));
}

#[test]
fn unusable_payloads_are_dropped() {
    let mut jb = JitterBuffer::new(60);
    jb.push(1, 0, &[], Codec::Pcma);
    jb.push(2, 0, &vec![0xD5; CAPACITY], Codec::Pcma);
    assert_eq!(jb.stats().dropped, 2);
    assert_eq!(jb.depth(), 0);
}

#[test]
fn bursts_and_reordering_do_not_build_up_delay() {
    let mut jb = JitterBuffer::new(60);
    // A burst of five lost every 2 s, one in 40 lost alone, every 7th overtaken by the next.
    let packets = send(0..1500, 20_000, 0, 0, |k| {
        let lost = (50..55).contains(&(k % 100)) || k % 40 == 3;
        (!lost).then_some(if k % 7 == 0 { 26 } else { 5 })
    });
    let pops = run(&mut jb, packets, 1500, 1);
    let max_depth = pops[100..].iter().map(|p| p.depth).max().unwrap();
    assert!(
        max_depth <= (60 + 20) * 8,
        "depth reached {} ms",
        max_depth / 8
    );
    // Each frame plays exactly 20 ms after the one before it in the sender's timeline: no slips.
    let first = pops
        .iter()
        .find(|p| p.kind == Popped::Audio)
        .unwrap()
        .time_ms;
    for (k, p) in pops
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == Popped::Audio)
    {
        let sent = (p.time_ms - first) / 20;
        assert_eq!(p.id, Some(sent as u32 % 100), "pop {k} at {} ms", p.time_ms);
    }
}
