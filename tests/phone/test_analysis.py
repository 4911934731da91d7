"""correlate.py on files whose answer is known: a delayed, resampled, mu-law copy of a reference; the other clip;
silence; a clipped start. Uses the clips of make_clips.sh (espeak-ng + sox)."""

from __future__ import annotations

import json
import subprocess
import sys
import wave

import numpy as np

from conftest import PHONE

sys.path.insert(0, str(PHONE / "analysis"))
import correlate  # noqa: E402


def write(path, samples: np.ndarray, rate: int) -> str:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(samples * 32768, -32768, 32767).astype("<i2").tobytes())
    return str(path)


def mulaw(x: np.ndarray) -> np.ndarray:
    """G.711 mu-law round trip (continuous companding, quantised to 8 bits)."""
    y = np.sign(x) * np.log1p(255 * np.abs(x)) / np.log(256)
    y = np.round(y * 127) / 127
    return np.sign(y) * np.expm1(np.abs(y) * np.log(256)) / 255


def test_reference_found_through_delay_resampling_and_mulaw(clips, tmp_path):
    ref, rate = correlate.load(str(clips / "farend_to_agent.wav"))
    assert rate == 8000
    delayed = np.concatenate([np.zeros(int(1.25 * rate)), mulaw(ref), np.zeros(rate)])
    at_48k = correlate.resample(delayed, 8000, 48000)
    recorded = write(tmp_path / "rec48.wav", at_48k + np.random.default_rng(1).normal(0, 0.003, len(at_48k)), 48000)
    result = json.loads(subprocess.run([sys.executable, str(PHONE / "analysis" / "correlate.py"),
                                        str(clips / "farend_to_agent.wav"), recorded, "--absent-tone", "1300"],
                                       check=True, capture_output=True, text=True).stdout)
    assert result["crossed"] and result["ncc"] > 0.9, result
    assert abs(result["lag_ms"] - 1250) <= 2, result
    assert result["absent_tone"]["absent"], result
    # Its own burst is there: 700 Hz is not absent.
    assert not correlate.analyse(str(clips / "farend_to_agent.wav"), recorded, absent_tone=700)["absent_tone"]["absent"]


def test_the_other_clip_silence_and_a_clipped_start(clips, tmp_path):
    other = correlate.analyse(str(clips / "farend_to_agent.wav"), str(clips / "agent_to_farend.wav"))
    assert not other["crossed"] and other["ncc"] < 0.3, other
    silent = correlate.analyse(str(clips / "farend_to_agent.wav"), write(tmp_path / "silence.wav", np.zeros(8000), 8000))
    assert not silent["crossed"] and silent["lag_ms"] is None
    ref, rate = correlate.load(str(clips / "agent_to_farend.wav"))
    clipped = correlate.analyse(str(clips / "agent_to_farend.wav"),
                                write(tmp_path / "clipped.wav", ref[int(0.5 * rate):], rate))
    assert clipped["crossed"] and clipped["lag_ms"] < 0, clipped
