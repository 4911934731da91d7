"""The far end's media: one aiortc RTCPeerConnection (ICE, DTLS-SRTP, rtcp-mux, G.711/Opus) per call, plus what
aiortc lacks for a phone: RFC 4733 telephone-event both ways, not sending while held, a WAV source that turns to
silence at its end, and a WAV recorder that keeps gaps (hold) as silence.

aiortc knows nothing of telephone-event, so the DTLS transport of the call is wrapped: received SRTP-decrypted RTP
of the telephone-event payload type is decoded here (a digit is reported once, at its end bit) instead of being
routed to aiortc, and outgoing audio packets are replaced by event packets while a digit is being sent (same
SSRC and sequence numbers, RFC 4733 §2.5). The ICE host candidate is one address (127.0.0.1 by default): aioice
leaves out 127.0.0.1 when it lists interfaces, and offering the machine's other addresses would send test traffic
off loopback.
"""

from __future__ import annotations

import asyncio
import fractions
import struct
import time
import wave
from typing import Callable

import aioice.ice
import numpy as np
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcrtpsender import RTCRtpSender
from av import AudioFrame

import sdp as sdpmod

DTMF_EVENTS = "0123456789*#ABCD"
PTIME = 0.02


def use_ice_address(address: str) -> None:
    """Makes aioice gather host candidates on `address` only."""
    aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=True: [address]


TRACK_RATE = 48000


def load_wav(path: str) -> np.ndarray:
    """16-bit PCM WAV → mono int16 samples at TRACK_RATE (linear interpolation; a windowed-sinc low-pass first
    when the file's rate is higher)."""
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: only 16-bit PCM WAV is supported")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
        if w.getnchannels() > 1:
            pcm = pcm.reshape(-1, w.getnchannels()).mean(axis=1)
        rate = w.getframerate()
    if rate > TRACK_RATE:
        n = np.arange(129) - 64
        h = np.sinc(2 * 0.45 * TRACK_RATE / rate * n) * np.blackman(129)
        pcm = np.convolve(pcm, h / h.sum(), mode="same")
    if rate != TRACK_RATE and len(pcm):
        times = np.arange(int(len(pcm) * TRACK_RATE / rate)) * (rate / TRACK_RATE)
        pcm = np.interp(times, np.arange(len(pcm)), pcm)
    return np.clip(np.round(pcm), -32768, 32767).astype(np.int16)


class ClipTrack(MediaStreamTrack):
    """Plays a WAV clip once from the first frame the sender asks for (the call's media is up), then silence, in
    real time: 20 ms frames at 48 kHz mono. `set_clip` starts another clip at once (timestamps run on)."""

    kind = "audio"

    def __init__(self, path: str | None, on_start: Callable[[str | None], None],
                 on_end: Callable[[str | None], None]):
        super().__init__()
        self.on_start, self.on_end = on_start, on_end
        self._start: float | None = None
        self._samples_out = 0
        self.set_clip(path)

    def set_clip(self, path: str | None) -> None:
        self.path = path
        self.pcm = load_wav(path) if path else np.zeros(0, dtype=np.int16)
        self.pos = 0
        if self._start is not None and path:
            self.on_start(path)

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
            if self.path:
                self.on_start(self.path)
        samples = int(TRACK_RATE * PTIME)
        wait = self._start + self._samples_out / TRACK_RATE - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        chunk = self.pcm[self.pos:self.pos + samples]
        self.pos += len(chunk)
        if len(chunk) and self.pos >= len(self.pcm):
            self.on_end(self.path)
        if len(chunk) < samples:
            chunk = np.concatenate([chunk, np.zeros(samples - len(chunk), dtype=np.int16)])
        frame = AudioFrame(format="s16", layout="mono", samples=samples)
        frame.planes[0].update(chunk.astype("<i2").tobytes())
        frame.sample_rate = TRACK_RATE
        frame.pts = self._samples_out
        frame.time_base = fractions.Fraction(1, TRACK_RATE)
        self._samples_out += samples
        return frame


class Recorder:
    """Writes what the remote track plays to a mono 16-bit WAV (valid at every moment: `wave` patches the header on
    each write). It starts at `start()` (the answer): the time until the first frame is silence, and so is any
    later gap in the RTP timestamps (hold), up to 60 s."""

    def __init__(self, path: str):
        self.path = path
        self.started = time.monotonic()
        self.writer: wave.Wave_write | None = None
        self.next_pts: int | None = None
        self.frames = 0

    def write(self, frame: AudioFrame) -> None:
        pcm = frame.to_ndarray().reshape(-1)
        channels = len(frame.layout.channels)
        if channels > 1:
            pcm = pcm.reshape(-1, channels).mean(axis=1).astype(np.int16)
        rate = frame.sample_rate
        if self.writer is None:
            self.writer = wave.open(self.path, "wb")
            self.writer.setnchannels(1)
            self.writer.setsampwidth(2)
            self.writer.setframerate(rate)
            lead = int((time.monotonic() - self.started) * rate - len(pcm))
            if lead > 0:
                self.writer.writeframes(bytes(2 * lead))
        elif self.next_pts is not None and frame.pts is not None:
            gap = int(frame.pts - self.next_pts)
            if 0 < gap < 60 * rate:
                self.writer.writeframes(bytes(2 * gap))
        if frame.pts is not None:
            self.next_pts = frame.pts + len(pcm)
        self.writer.writeframes(pcm.astype("<i2").tobytes())
        self.frames += len(pcm)

    def close(self) -> float:
        seconds = 0.0
        if self.writer is not None:
            seconds = self.writer.getnframes() / self.writer.getframerate()
            self.writer.close()
            self.writer = None
        return seconds


class CallMedia:
    """One call's media. `emit(event, **fields)` reports media events."""

    def __init__(self, emit: Callable[..., None], play: str | None, codecs: list[str], bundle: bool):
        self.emit = emit
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.track = ClipTrack(play, lambda path: emit("playing", file=path), lambda path: emit("played", file=path))
        self.transceiver = self.pc.addTransceiver(self.track, direction="sendrecv")
        wanted = [c for c in codecs if c in sdpmod.OFFER_CODECS]
        if not wanted:
            raise ValueError(f"no codec the far end knows in {codecs} (it knows {list(sdpmod.OFFER_CODECS)})")
        caps = RTCRtpSender.getCapabilities("audio").codecs
        self.transceiver.setCodecPreferences(
            [c for name in wanted for c in caps if c.mimeType.lower() == f"audio/{name}".lower()])
        self.codecs = wanted
        self.bundle = bundle
        self.session_id = int(time.time())
        self.version = 0
        self.local_wire: str | None = None     # our last SDP on the wire
        self.remote_wire: str | None = None    # the other side's last SDP
        self.sending = True
        self.dtmf_rx_pt: set[int] = {sdpmod.TELEPHONE_EVENT_PT}
        self.dtmf_tx_pt: int | None = None
        self.dtmf_queue: list[str] = []
        self.dtmf_state: dict | None = None
        self.dtmf_done = asyncio.Event()
        self.dtmf_duration = 800  # 100 ms at 8 kHz
        self.dtmf_seen: set[tuple[int, int]] = set()
        self.first_rtp = False
        self.rtp_log = None  # a text file: one line per audio RTP packet sent or received (rtp_log_to())
        self.recorder: Recorder | None = None
        self.recorder_task: asyncio.Task | None = None
        self.remote_track = None
        self.dtls_role: str | None = None  # "active" or "passive": ours, once negotiated

        transport = self.transceiver.sender.transport
        self._orig_send, self._orig_handle = transport._send_rtp, transport._handle_rtp_data
        transport._send_rtp = self._send_rtp
        transport._handle_rtp_data = self._handle_rtp_data

        @self.pc.on("track")
        def on_track(track):
            self.remote_track = track

        @self.pc.on("connectionstatechange")
        async def on_state():
            emit("media", state=self.pc.connectionState)

    # --- SDP ---------------------------------------------------------------------------------------------------
    def _next_version(self) -> int:
        self.version += 1
        return self.version

    async def offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        codecs = [sdpmod.OFFER_CODECS[c] for c in self.codecs]
        telephone = sdpmod.TELEPHONE_EVENT_PT if any(c in ("PCMU", "PCMA") for c in self.codecs) else None
        self.local_wire = sdpmod.wire(self.pc.localDescription.sdp, session_id=self.session_id,
                                      version=self._next_version(), codecs=codecs, telephone_event=telephone,
                                      dir_="sendrecv", setup="actpass", mid="0" if self.bundle else None)
        return self.local_wire

    async def accept_answer(self, answer: str) -> None:
        """Applies the other side's answer to our offer (raises ValueError if aiortc refuses it)."""
        mid = self.transceiver.mid or "0"
        await self.pc.setRemoteDescription(RTCSessionDescription(sdpmod.for_aiortc(answer, mid), "answer"))
        self.remote_wire = answer
        info = sdpmod.summary(answer)
        self.dtls_role = "passive" if info["setup"] == "active" else "active"
        self._learn_dtmf(info)
        self.sending = info["direction"] in ("sendrecv", "recvonly")

    async def answer(self, offer: str) -> str:
        """Our answer to the other side's initial offer."""
        info = sdpmod.summary(offer)
        await self.pc.setRemoteDescription(RTCSessionDescription(sdpmod.for_aiortc(offer, "0"), "offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        local = sdpmod.Sdp.parse(self.pc.localDescription.sdp).audio()
        self.dtls_role = local.attr("setup") or "active"
        offered = sdpmod.rtpmaps(sdpmod.Sdp.parse(offer).audio())
        chosen = [(pt, desc, None) for pt, desc in offered.items()
                  if desc.split("/")[0] in self.codecs and pt != info["telephone_event_pt"]]
        self.remote_wire = offer
        self._learn_dtmf(info)
        dir_ = sdpmod.answer_direction(info["direction"])
        self.sending = dir_ in ("sendrecv", "sendonly")
        self.local_wire = sdpmod.wire(self.pc.localDescription.sdp, session_id=self.session_id,
                                      version=self._next_version(), codecs=chosen[:1] or chosen,
                                      telephone_event=info["telephone_event_pt"], dir_=dir_,
                                      setup=self.dtls_role, mid=info["mid"])
        return self.local_wire

    def reoffer(self, dir_: str) -> str:
        """A re-INVITE's offer: our last SDP with another direction, same ICE credentials and fingerprint."""
        self.local_wire = sdpmod.with_direction(self.local_wire, dir_, self._next_version(), setup="actpass")
        return self.local_wire

    def accept_reanswer(self, answer: str) -> dict:
        return self._take_remote(answer, offered=False)

    def reanswer(self, offer: str) -> tuple[str, dict]:
        """Our answer to a re-INVITE: same ICE/DTLS, the matching direction, our DTLS role kept."""
        change = self._take_remote(offer, offered=True)
        dir_ = sdpmod.answer_direction(change["direction"])
        self.local_wire = sdpmod.with_direction(self.local_wire, dir_, self._next_version(), setup=self.dtls_role)
        self.sending = dir_ in ("sendrecv", "sendonly")
        change["answered"] = dir_
        return self.local_wire, change

    def _take_remote(self, new: str, offered: bool) -> dict:
        old, info = sdpmod.summary(self.remote_wire), sdpmod.summary(new)
        self.remote_wire = new
        if not offered:
            self.sending = info["direction"] in ("sendrecv", "recvonly")
        return {"direction": info["direction"],
                "ice_restart": (old["ice_ufrag"], old["ice_pwd"]) != (info["ice_ufrag"], info["ice_pwd"]),
                "dtls_changed": (old["fingerprint"] or "").lower() != (info["fingerprint"] or "").lower(),
                "setup": info["setup"]}

    def _learn_dtmf(self, info: dict) -> None:
        if info["telephone_event_pt"] is not None:
            self.dtmf_rx_pt.add(info["telephone_event_pt"])
            self.dtmf_tx_pt = info["telephone_event_pt"]

    # --- RTP ---------------------------------------------------------------------------------------------------
    async def _handle_rtp_data(self, data: bytes, arrival_time_ms: int) -> None:
        pt = data[1] & 0x7F
        if pt in self.dtmf_rx_pt and len(data) >= 16:
            self._dtmf_received(data)
            return
        if not self.first_rtp:
            self.first_rtp = True
            self.emit("first_rtp", pt=pt)
        self._log_rtp("in", data)
        await self._orig_handle(data, arrival_time_ms=arrival_time_ms)

    def _dtmf_received(self, data: bytes) -> None:
        cc = data[0] & 0x0F
        offset = 12 + 4 * cc
        if data[0] & 0x10:  # header extension
            offset += 4 + 4 * struct.unpack("!H", data[offset + 2:offset + 4])[0]
        event, flags, duration = struct.unpack("!BBH", data[offset:offset + 4])
        timestamp, ssrc = struct.unpack("!II", data[4:12])
        if flags & 0x80 and (ssrc, timestamp) not in self.dtmf_seen and event < len(DTMF_EVENTS):
            self.dtmf_seen.add((ssrc, timestamp))
            self.emit("dtmf", digit=DTMF_EVENTS[event], duration_ms=duration // 8)

    async def _send_rtp(self, data: bytes) -> None:
        if 192 <= data[1] <= 223:  # RTCP
            await self._orig_send(data)
            return
        if not self.sending:
            return
        if self.dtmf_state is None and self.dtmf_queue:
            self.dtmf_state = {"digit": self.dtmf_queue.pop(0), "ts": data[4:8], "n": 0, "end": 0, "gap": 0}
        state = self.dtmf_state
        if state is not None and self.dtmf_tx_pt is not None:
            if state["end"] < 3:
                state["n"] += 1
                duration = min(state["n"] * 160, self.dtmf_duration)
                ending = duration >= self.dtmf_duration
                if ending:
                    state["end"] += 1
                marker = 0x80 if state["n"] == 1 else 0
                header = bytes([0x80, marker | self.dtmf_tx_pt]) + data[2:4] + state["ts"] + data[8:12]
                payload = struct.pack("!BBH", DTMF_EVENTS.index(state["digit"]), (0x80 if ending else 0) | 10,
                                      duration)
                await self._orig_send(header + payload)
                return
            state["gap"] += 1  # a few audio packets between digits
            if state["gap"] >= 3:
                self.dtmf_state = None
                if not self.dtmf_queue:
                    self.dtmf_done.set()
        self._log_rtp("out", data)
        await self._orig_send(data)

    # --- RTP log -----------------------------------------------------------------------------------------------
    def rtp_log_to(self, path: str | None) -> None:
        """From now, one line per audio RTP packet (not telephone-event) into `path`, as it leaves for SRTP or
        comes out of it: `in|out T SEQ TIMESTAMP PT PAYLOAD-HEX`, T in seconds of CLOCK_MONOTONIC. The wire's
        own view of the audio, with nothing of aiortc's encoder, jitter buffer or decoder in its times
        (scripts/bench_phone.py). None stops."""
        if self.rtp_log is not None:
            self.rtp_log.close()
        self.rtp_log = open(path, "w") if path else None

    def _log_rtp(self, way: str, data: bytes) -> None:
        if self.rtp_log is None or len(data) < 12:
            return
        cc = data[0] & 0x0F
        offset = 12 + 4 * cc
        if data[0] & 0x10 and len(data) >= offset + 4:  # header extension
            offset += 4 + 4 * struct.unpack("!H", data[offset + 2:offset + 4])[0]
        seq, timestamp = struct.unpack("!HI", data[2:8])
        self.rtp_log.write(f"{way} {time.monotonic():.6f} {seq} {timestamp} {data[1] & 0x7F} "
                           f"{data[offset:].hex()}\n")

    async def send_dtmf(self, digits: str, duration_ms: int = 100) -> None:
        if self.dtmf_tx_pt is None:
            raise ValueError("the other side did not accept telephone-event")
        bad = [d for d in digits if d.upper() not in DTMF_EVENTS]
        if bad:
            raise ValueError(f"not DTMF digits: {bad}")
        self.dtmf_duration = max(160, duration_ms * 8)
        self.dtmf_done.clear()
        self.dtmf_queue += [d.upper() for d in digits]
        await asyncio.wait_for(self.dtmf_done.wait(), timeout=2 + len(digits) * (duration_ms / 1000 + 0.3))

    # --- recording ---------------------------------------------------------------------------------------------
    def record(self, path: str | None) -> None:
        """Starts recording to `path` now (closing any earlier recording), or stops with None."""
        if self.recorder is not None:
            seconds = self.recorder.close()
            self.emit("recorded", file=self.recorder.path, seconds=round(seconds, 3))
        self.recorder = Recorder(path) if path else None
        if path and self.recorder_task is None:
            self.recorder_task = asyncio.ensure_future(self._record_loop())

    async def _record_loop(self) -> None:
        while self.remote_track is None:
            await asyncio.sleep(0.01)
        try:
            while True:
                frame = await self.remote_track.recv()
                if self.recorder is not None:
                    self.recorder.write(frame)
        except (MediaStreamError, asyncio.CancelledError):
            pass

    async def close(self) -> None:
        self.record(None)
        self.rtp_log_to(None)
        if self.recorder_task is not None:
            self.recorder_task.cancel()
        self.track.stop()
        await self.pc.close()
