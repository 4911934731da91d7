//! The sending side: 8 kHz samples from the microphone (or silence while it is away) assembled into 20 ms frames,
//! encoded, stamped and handed to the phone crate through a tokio channel with `try_send` (never waiting: a full
//! channel means the phone is not reading, and the frame is counted and skipped; its time still counts in the
//! next frame's timestamp).

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::jitter::FRAME;
use crate::stats::Counters;
use crate::{Codec, EncodedFrame};

pub(crate) struct Outgoing {
    codec: Codec,
    frames: mpsc::Sender<EncodedFrame>,
    counters: Arc<Counters>,
    pcm: [i16; FRAME],
    len: usize,
    /// RTP timestamp, counted from the call's first frame, of the frame being filled.
    next_ts: u32,
    last_sent: Option<u32>,
    /// The next frame sent starts a talk spurt (the first, or the first after hold).
    marker: bool,
}

impl Outgoing {
    pub fn new(codec: Codec, frames: mpsc::Sender<EncodedFrame>, counters: Arc<Counters>) -> Self {
        Outgoing {
            codec,
            frames,
            counters,
            pcm: [0; FRAME],
            len: 0,
            next_ts: 0,
            last_sent: None,
            marker: true,
        }
    }

    /// Adds samples at 8 kHz in -1.0..=1.0; every 160 completes a frame.
    pub fn push(&mut self, samples: &[f32], muted: bool, held: bool) {
        for &s in samples {
            self.pcm[self.len] = (s.clamp(-1.0, 1.0) * 32767.0) as i16;
            self.len += 1;
            if self.len == FRAME {
                self.len = 0;
                self.finish(muted, held);
            }
        }
    }

    /// Adds 20 ms of silence (the microphone is away; the far end keeps hearing a steady stream).
    pub fn push_silence(&mut self, muted: bool, held: bool) {
        const ZEROS: [f32; FRAME] = [0.0; FRAME];
        self.push(&ZEROS, muted, held);
    }

    fn finish(&mut self, muted: bool, held: bool) {
        let timestamp = self.next_ts;
        self.next_ts = self.next_ts.wrapping_add(FRAME as u32);
        if held {
            self.marker = true;
            return;
        }
        let mut payload = Vec::with_capacity(FRAME);
        if muted {
            payload.resize(FRAME, self.codec.silence());
        } else {
            self.codec.encode(&self.pcm, &mut payload);
        }
        let frame = EncodedFrame {
            payload_type: self.codec.payload_type(),
            payload,
            timestamp,
            timestamp_increment: self
                .last_sent
                .map_or(0, |last| timestamp.wrapping_sub(last)),
            marker: self.marker,
        };
        match self.frames.try_send(frame) {
            Ok(()) => {
                self.last_sent = Some(timestamp);
                self.marker = false;
                self.counters.frames_sent.fetch_add(1, Relaxed);
            }
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.counters.frames_not_taken.fetch_add(1, Relaxed);
            }
            // The phone dropped its receiver: the call is ending.
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(capacity: usize) -> (Outgoing, mpsc::Receiver<EncodedFrame>) {
        let (tx, rx) = mpsc::channel(capacity);
        (
            Outgoing::new(Codec::Pcmu, tx, Arc::new(Counters::default())),
            rx,
        )
    }

    #[test]
    fn frames_are_stamped_160_apart_and_the_first_is_marked() {
        let (mut out, mut rx) = outgoing(10);
        // 3.5 frames in odd pieces.
        for piece in [0.1f32; 560].chunks(37) {
            out.push(piece, false, false);
        }
        let frames: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        assert_eq!(frames.len(), 3);
        assert_eq!(
            frames.iter().map(|f| f.timestamp).collect::<Vec<_>>(),
            [0, 160, 320]
        );
        assert_eq!(
            frames
                .iter()
                .map(|f| f.timestamp_increment)
                .collect::<Vec<_>>(),
            [0, 160, 160]
        );
        assert_eq!(
            frames.iter().map(|f| f.marker).collect::<Vec<_>>(),
            [true, false, false]
        );
        assert!(frames
            .iter()
            .all(|f| f.payload.len() == 160 && f.payload_type == 0));
    }

    #[test]
    fn muted_frames_keep_flowing_as_encoded_silence() {
        let (mut out, mut rx) = outgoing(10);
        out.push(&[0.5; 320], true, false);
        let frame = rx.try_recv().unwrap();
        assert!(frame.payload.iter().all(|&b| b == 0xFF), "µ-law silence");
        assert_eq!(rx.try_recv().unwrap().timestamp, 160);
    }

    #[test]
    fn hold_sends_nothing_but_time_goes_on() {
        let (mut out, mut rx) = outgoing(10);
        out.push(&[0.5; 160], false, false);
        out.push(&[0.5; 800], false, true);
        out.push(&[0.5; 160], false, false);
        let first = rx.try_recv().unwrap();
        let after_hold = rx.try_recv().unwrap();
        assert!(rx.try_recv().is_err(), "nothing was sent while held");
        assert_eq!(after_hold.timestamp_increment, 6 * 160);
        assert!(
            first.marker && after_hold.marker,
            "a talk spurt starts after hold"
        );
    }

    #[test]
    fn a_full_channel_skips_frames_and_the_gap_shows_in_the_timestamp() {
        let (mut out, mut rx) = outgoing(1);
        out.push(&[0.0; 480], false, false);
        assert_eq!(out.counters.frames_not_taken.load(Relaxed), 2);
        rx.try_recv().unwrap();
        out.push(&[0.0; 160], false, false);
        assert_eq!(rx.try_recv().unwrap().timestamp_increment, 480);
    }
}
