#!/usr/bin/env python3
"""Did the reference clip cross the call? Compares REFERENCE.wav with RECORDED.wav and prints one JSON object.

    correlate.py REFERENCE.wav RECORDED.wav [--absent-tone HZ] [--rate 8000]

- ncc: peak of the normalised cross-correlation of the reference (its leading and trailing silence cut) against
  the recording, over every offset where at least half the reference overlaps the recording (a clipped start or
  end lowers the score). >= 0.6 (`crossed`) means the speech crossed. Both files are resampled to --rate first
  (8000 by default: the G.711 band), so 8 kHz and 48 kHz files compare.
- lag_ms: where in the recording the reference starts (ms from the recording's start; negative if the recording
  began after it).
- absent_tone: with --absent-tone HZ, the longest run of 50 ms frames (10 ms hop) whose energy is mostly (> 80 %)
  within HZ +- 40 Hz, and the band's share of the recording's whole energy. The tone is `absent` when no run
  reaches 100 ms (the references' bursts last 300 ms).

16-bit PCM WAV only (mono, or channels averaged). Needs numpy.
"""

from __future__ import annotations

import argparse
import json
import sys
import wave

import numpy as np


def load(path: str) -> tuple[np.ndarray, int]:
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise SystemExit(f"{path}: only 16-bit PCM WAV is supported")
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
        if w.getnchannels() > 1:
            x = x.reshape(-1, w.getnchannels()).mean(axis=1)
        return x, w.getframerate()


def lowpass(x: np.ndarray, cutoff: float, rate: int, taps: int = 129) -> np.ndarray:
    """Windowed-sinc FIR low-pass (cutoff in Hz)."""
    n = np.arange(taps) - (taps - 1) / 2
    h = np.sinc(2 * cutoff / rate * n) * np.blackman(taps)
    h /= h.sum()
    return np.convolve(x, h, mode="same")


def resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    if src == dst or len(x) == 0:
        return x
    if dst < src:
        x = lowpass(x, 0.45 * dst, src)
    times = np.arange(int(len(x) * dst / src)) * (src / dst)
    return np.interp(times, np.arange(len(x)), x)


def trim_silence(x: np.ndarray, rate: int) -> tuple[np.ndarray, int]:
    """Cuts leading and trailing silence (20 ms frames under 2 % of the loudest frame's RMS); returns the cut
    signal and the number of samples cut at the start."""
    frame = max(1, int(0.02 * rate))
    count = len(x) // frame
    if count == 0:
        return x, 0
    rms = np.sqrt((x[:count * frame].reshape(count, frame) ** 2).mean(axis=1))
    loud = np.nonzero(rms > 0.02 * rms.max())[0] if rms.max() > 0 else np.array([], dtype=int)
    if len(loud) == 0:
        return x, 0
    start, end = loud[0] * frame, min(len(x), (loud[-1] + 1) * frame)
    return x[start:end], start


def ncc_peak(ref: np.ndarray, rec: np.ndarray) -> tuple[float, int]:
    """Peak normalised cross-correlation and the offset of `ref` in `rec` (samples, may be negative)."""
    n = len(ref)
    pad = n // 2
    padded = np.concatenate([np.zeros(pad), rec, np.zeros(pad)])
    if len(padded) < n:
        padded = np.concatenate([padded, np.zeros(n - len(padded))])
    size = 1 << int(np.ceil(np.log2(len(padded) + n)))
    num = np.fft.irfft(np.fft.rfft(padded, size) * np.conj(np.fft.rfft(ref, size)), size)[:len(padded) - n + 1]
    energy = np.concatenate([[0.0], np.cumsum(padded ** 2)])
    window = energy[n:] - energy[:-n]
    denom = np.sqrt(np.maximum(window, 1e-12) * (ref ** 2).sum())
    scores = num / denom
    scores[window < 1e-9] = 0.0
    best = int(np.argmax(scores))
    return float(scores[best]), best - pad


def tone_runs(x: np.ndarray, rate: int, hz: float) -> dict:
    frame, hop = int(0.05 * rate), int(0.01 * rate)
    if len(x) < frame:
        return {"hz": hz, "longest_ms": 0, "band_ratio": 0.0, "absent": True}
    window = np.hanning(frame)
    freqs = np.fft.rfftfreq(frame, 1 / rate)
    band = (freqs >= hz - 40) & (freqs <= hz + 40)
    starts = range(0, len(x) - frame + 1, hop)
    spectra = np.array([np.abs(np.fft.rfft(x[s:s + frame] * window)) ** 2 for s in starts])
    total = spectra.sum(axis=1)
    in_band = spectra[:, band].sum(axis=1)
    loud = total > 1e-6 * frame
    tonal = loud & (in_band > 0.8 * np.maximum(total, 1e-30))
    longest = run = 0
    for t in tonal:
        run = run + 1 if t else 0
        longest = max(longest, run)
    longest_ms = 0 if longest == 0 else int(50 + (longest - 1) * 10)
    ratio = float(in_band.sum() / total.sum()) if total.sum() > 0 else 0.0
    return {"hz": hz, "longest_ms": longest_ms, "band_ratio": round(ratio, 4), "absent": longest_ms < 100}


def analyse(reference: str, recorded: str, rate: int = 8000, absent_tone: float | None = None) -> dict:
    ref, ref_rate = load(reference)
    rec, rec_rate = load(recorded)
    ref, rec = resample(ref, ref_rate, rate), resample(rec, rec_rate, rate)
    ref_cut, cut = trim_silence(ref, rate)
    result = {"reference": reference, "recorded": recorded, "rate": rate,
              "reference_s": round(len(ref) / rate, 3), "recorded_s": round(len(rec) / rate, 3),
              "recorded_rms": round(float(np.sqrt((rec ** 2).mean())) if len(rec) else 0.0, 5)}
    if len(rec) == 0 or not np.any(rec):
        result.update(ncc=0.0, lag_ms=None, crossed=False)
    else:
        score, offset = ncc_peak(ref_cut, rec)
        result.update(ncc=round(score, 4), lag_ms=round((offset - cut) * 1000 / rate, 1), crossed=score >= 0.6)
    if absent_tone is not None:
        result["absent_tone"] = tone_runs(rec, rate, absent_tone)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reference")
    parser.add_argument("recorded")
    parser.add_argument("--absent-tone", type=float, metavar="HZ")
    parser.add_argument("--rate", type=int, default=8000)
    args = parser.parse_args()
    json.dump(analyse(args.reference, args.recorded, args.rate, args.absent_tone), sys.stdout)
    print()


if __name__ == "__main__":
    main()
