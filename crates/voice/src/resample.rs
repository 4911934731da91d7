//! Sample-rate conversion between a device's rate and G.711's 8 kHz, mono, with rubato's FFT resampler (fixed
//! ratio, good anti-aliasing, low CPU). The ratio is fixed: the clocks of the sound card and of the far end are
//! reconciled by the jitter buffer (it skips or waits for a frame), not here.
//!
//! Blocks of any length go in; the resampler works in its own chunks and hands each converted block to a
//! closure. Nothing allocates after construction, so this runs on the audio thread's hot path.

use audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler as _};

use crate::VoiceError;

/// One direction's converter, mono.
pub struct Resampler {
    /// None when both rates are equal.
    inner: Option<Fft<f32>>,
    pending: Vec<f32>,
    chunk: usize,
    out: Vec<f32>,
    delay_frames: usize,
    to: u32,
}

impl Resampler {
    /// A converter from `from` Hz to `to` Hz taking input in chunks of `chunk` frames (10–20 ms is a good size:
    /// the FFT's delay grows with it).
    pub fn new(from: u32, to: u32, chunk: usize) -> Result<Self, VoiceError> {
        if from == to {
            return Ok(Resampler {
                inner: None,
                pending: Vec::new(),
                chunk,
                out: Vec::new(),
                delay_frames: 0,
                to,
            });
        }
        let inner = Fft::<f32>::new(from as usize, to as usize, chunk, 1, FixedSync::Input)
            .map_err(|e| VoiceError::Resampler {
                from,
                to,
                detail: e.to_string(),
            })?;
        let chunk = inner.input_frames_next();
        let out = vec![0.0; inner.output_frames_max()];
        let delay_frames = inner.output_delay();
        Ok(Resampler {
            inner: Some(inner),
            pending: Vec::with_capacity(chunk),
            chunk,
            out,
            delay_frames,
            to,
        })
    }

    /// Converts `input`, handing every block produced to `sink` (zero, one or more blocks per call).
    pub fn push(&mut self, mut input: &[f32], mut sink: impl FnMut(&[f32])) {
        let Some(inner) = self.inner.as_mut() else {
            sink(input);
            return;
        };
        while !input.is_empty() {
            let take = (self.chunk - self.pending.len()).min(input.len());
            self.pending.extend_from_slice(&input[..take]);
            input = &input[take..];
            if self.pending.len() < self.chunk {
                break;
            }
            let frames_out = self.out.len();
            let (Ok(adapter_in), Ok(mut adapter_out)) = (
                InterleavedSlice::new(&self.pending, 1, self.chunk),
                InterleavedSlice::new_mut(&mut self.out, 1, frames_out),
            ) else {
                // The sizes are set up in `new`; failing here would be a bug, and dropping audio beats a panic.
                self.pending.clear();
                continue;
            };
            if let Ok((_, written)) = inner.process_into_buffer(&adapter_in, &mut adapter_out, None)
            {
                sink(&self.out[..written]);
            }
            self.pending.clear();
        }
    }

    /// Delay added by conversion, in milliseconds (the FFT's half block plus a partly filled chunk on average).
    pub fn delay_ms(&self) -> u32 {
        if self.inner.is_none() {
            return 0;
        }
        (self.delay_frames as u64 * 1000 / u64::from(self.to)) as u32
    }

    /// Forgets buffered input (after hold, so old audio does not leak into the next spurt).
    pub fn reset(&mut self) {
        self.pending.clear();
        if let Some(inner) = self.inner.as_mut() {
            inner.reset();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Converts a whole signal and returns the output.
    fn convert(from: u32, to: u32, signal: &[f32], block: usize) -> Vec<f32> {
        let mut r = Resampler::new(from, to, from as usize / 100).unwrap();
        let mut out = Vec::new();
        for piece in signal.chunks(block) {
            r.push(piece, |b| out.extend_from_slice(b));
        }
        out
    }

    fn tone(rate: u32, hz: f32, seconds: f32) -> Vec<f32> {
        (0..(rate as f32 * seconds) as usize)
            .map(|n| 0.5 * (2.0 * std::f32::consts::PI * hz * n as f32 / rate as f32).sin())
            .collect()
    }

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|s| s * s).sum::<f32>() / x.len() as f32).sqrt()
    }

    #[test]
    fn keeps_speech_band_tones_and_the_length() {
        for rate in [48_000, 44_100, 16_000] {
            // Odd block sizes, as devices deliver them.
            let out = convert(rate, 8000, &tone(rate, 1000.0, 1.0), 441);
            assert!(
                (out.len() as i64 - 8000).abs() <= 200,
                "{rate}: {} samples",
                out.len()
            );
            let level = rms(&out[800..7000]);
            assert!(
                (level - 0.354).abs() < 0.03,
                "{rate}: 1 kHz came out at RMS {level}"
            );
            let back = convert(8000, rate, &out, 160);
            assert!(
                (rms(&back[rate as usize / 5..rate as usize / 2]) - 0.354).abs() < 0.03,
                "{rate} back"
            );
        }
    }

    #[test]
    fn removes_what_8_khz_cannot_carry() {
        // A 6 kHz tone would alias to 2 kHz at 8 kHz without the filter.
        let out = convert(48_000, 8000, &tone(48_000, 6000.0, 1.0), 480);
        let level = rms(&out[800..7000]);
        assert!(level < 0.01, "6 kHz leaked through at RMS {level}");
    }

    #[test]
    fn equal_rates_pass_through() {
        let signal = tone(8000, 440.0, 0.1);
        assert_eq!(convert(8000, 8000, &signal, 33), signal);
    }
}
