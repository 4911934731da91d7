"""A recorder of a PipeWire/PulseAudio source whose samples carry CLOCK_MONOTONIC times, for scripts/bench_phone.py.

parecord writes a file whose first sample was captured at some moment nobody knows (the process's start-up, the
server's fragment); this one reads 10 ms at a time through libpulse-simple and asks the server after each read how
long ago the last sample read was captured (`pa_simple_get_latency`: the source's own latency plus what waits in
the server and the client). So sample n of the recording was captured at `t0 + n / RATE`, where t0 is the median
over the reads of (read time - reported latency - samples read before / RATE): a sample's time on the clock the
far end (farend.py's `t`) and Rust's `Instant` use.

Only libpulse-simple (pulseaudio's client library, which paplay uses too) through ctypes; numpy for the samples.
"""
import ctypes
import ctypes.util
import statistics
import threading
import time
import wave

import numpy as np

RATE = 48000
CHUNK = RATE // 100  # 10 ms

PA_STREAM_PLAYBACK = 1
PA_STREAM_RECORD = 2
PA_SAMPLE_S16LE = 3


class SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class BufferAttr(ctypes.Structure):
    _fields_ = [("maxlength", ctypes.c_uint32), ("tlength", ctypes.c_uint32), ("prebuf", ctypes.c_uint32),
                ("minreq", ctypes.c_uint32), ("fragsize", ctypes.c_uint32)]


_lib = None


def lib():
    global _lib
    if _lib is None:
        _lib = ctypes.CDLL(ctypes.util.find_library("pulse-simple") or "libpulse-simple.so.0")
        _lib.pa_simple_new.restype = ctypes.c_void_p
        _lib.pa_simple_new.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                       ctypes.c_char_p, ctypes.POINTER(SampleSpec), ctypes.c_void_p,
                                       ctypes.POINTER(BufferAttr), ctypes.POINTER(ctypes.c_int)]
        _lib.pa_simple_read.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                        ctypes.POINTER(ctypes.c_int)]
        _lib.pa_simple_write.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                         ctypes.POINTER(ctypes.c_int)]
        _lib.pa_simple_drain.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        _lib.pa_simple_get_latency.restype = ctypes.c_uint64
        _lib.pa_simple_get_latency.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        _lib.pa_simple_free.argtypes = [ctypes.c_void_p]
    return _lib


class Tap:
    """Records `source` (e.g. agent_headset.monitor) mono at 48 kHz from start() until stop(), in a thread."""

    def __init__(self, source):
        self.source = source
        self.chunks = []
        self.stamps = []  # (samples read before this read, monotonic s after it, reported latency s)
        self.stopping = threading.Event()
        self.thread = None
        self.error = None
        self.started = threading.Event()

    def start(self):
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"tap {self.source}")
        self.thread.start()
        if not self.started.wait(10) or self.error:
            raise RuntimeError(f"cannot record {self.source}: {self.error or 'no answer from the audio server'}")
        return self

    def _run(self):
        pa, err = lib(), ctypes.c_int(0)
        spec = SampleSpec(PA_SAMPLE_S16LE, RATE, 1)
        # 10 ms fragments: no more than the app's own streams ask for (cpal's 10 ms periods), so the tap does
        # not change the graph's quantum during a call.
        attr = BufferAttr(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, CHUNK * 2)
        handle = pa.pa_simple_new(None, b"bench-phone", PA_STREAM_RECORD, self.source.encode(), b"tap",
                                  ctypes.byref(spec), None, ctypes.byref(attr), ctypes.byref(err))
        if not handle:
            self.error = f"pa_simple_new failed ({err.value})"
            self.started.set()
            return
        self.started.set()
        buf = ctypes.create_string_buffer(CHUNK * 2)
        read = 0
        try:
            while not self.stopping.is_set():
                if pa.pa_simple_read(handle, buf, CHUNK * 2, ctypes.byref(err)) < 0:
                    self.error = f"pa_simple_read failed ({err.value})"
                    return
                now = time.monotonic()
                latency = pa.pa_simple_get_latency(handle, ctypes.byref(err)) / 1e6
                self.chunks.append(np.frombuffer(buf.raw, dtype="<i2").copy())
                read += CHUNK
                self.stamps.append((read, now, latency))
        finally:
            pa.pa_simple_free(handle)

    def stop(self):
        self.stopping.set()
        self.thread.join(5)
        return self

    @property
    def samples(self):
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.int16)

    def t0(self):
        """The monotonic time at which sample 0 was captured (the median over the reads)."""
        return statistics.median(now - latency - read / RATE for read, now, latency in self.stamps)

    def t0_spread(self):
        """How far the reads' estimates of t0 stray (p5..p95, ms): the stamps' own noise."""
        values = sorted(now - latency - read / RATE for read, now, latency in self.stamps)
        lo, hi = values[len(values) // 20], values[-1 - len(values) // 20]
        return (hi - lo) * 1000

    def time_of(self, index):
        return self.t0() + index / RATE

    def index_at(self, t):
        return max(0, int(round((t - self.t0()) * RATE)))

    def write(self, path, start=0, end=None):
        """Samples [start, end) to a 16-bit WAV (for correlate.py)."""
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(self.samples[start:end].astype("<i2").tobytes())

    def first_sound(self, after_index=0, threshold=0.01):
        """The index of the first sample at or after `after_index` louder than `threshold` of full scale."""
        loud = np.nonzero(np.abs(self.samples[after_index:].astype(np.int32)) > threshold * 32768)[0]
        return None if len(loud) == 0 else after_index + int(loud[0])


def play(sink, path, lead_s=0.2):
    """Plays a 16-bit mono WAV into `sink` (e.g. farend_voice) after `lead_s` of silence, and answers the
    monotonic time at which the file's first sample was played, from the server's latency after each 10 ms
    written (the time until the last sample written is played; the median over the writes, as Tap.t0)."""
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
    if rate != RATE:  # linear interpolation up to the server's rate: no resampler of the server in the way
        pcm = np.interp(np.arange(int(len(pcm) * RATE / rate)) * rate / RATE, np.arange(len(pcm)), pcm)
    lead = int(lead_s * RATE)
    samples = np.concatenate([np.zeros(lead), pcm]).round().clip(-32768, 32767).astype("<i2")
    pa, err = lib(), ctypes.c_int(0)
    spec = SampleSpec(PA_SAMPLE_S16LE, RATE, 1)
    # 200 ms queued: a busy machine that is late with a write does not run the stream dry (after an underrun,
    # the rest plays later than its writes say).
    attr = BufferAttr(0xFFFFFFFF, 20 * CHUNK * 2, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    handle = pa.pa_simple_new(None, b"bench-phone", PA_STREAM_PLAYBACK, sink.encode(), b"mouth",
                              ctypes.byref(spec), None, ctypes.byref(attr), ctypes.byref(err))
    if not handle:
        raise RuntimeError(f"cannot play into {sink}: pa_simple_new failed ({err.value})")
    estimates = []
    try:
        for start in range(0, len(samples), CHUNK):
            chunk = samples[start:start + CHUNK].tobytes()
            if pa.pa_simple_write(handle, chunk, len(chunk), ctypes.byref(err)) < 0:
                raise RuntimeError(f"pa_simple_write failed ({err.value})")
            latency = pa.pa_simple_get_latency(handle, ctypes.byref(err)) / 1e6
            written = start + len(chunk) // 2
            estimates.append(time.monotonic() + latency - written / RATE)
        pa.pa_simple_drain(handle, ctypes.byref(err))
    finally:
        pa.pa_simple_free(handle)
    # The first writes fill the buffer before playback starts (prebuf): their latency says nothing yet.
    return statistics.median(estimates[len(estimates) // 10:]) + lead / RATE
