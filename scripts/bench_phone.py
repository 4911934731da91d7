#!/usr/bin/env python3
"""The measuring client of scripts/bench-phone.sh: the app as the agent's phone (figures printed, never asserted).

Every time is CLOCK_MONOTONIC, the clock of the far end's events (farend.py's `t`) and of Rust's `Instant`:
- the far end (tests/phone/farend/farend.py, aiortc) stamps the INVITE it sends and the 200 OK it receives (its
  log lines), the first RTP from the app (`first_rtp`), and with `rtp_log` every audio packet as it crosses its
  SRTP layer, out or in: the wire, with nothing of aiortc's encoder, jitter buffer or decoder in the times;
- scripts/bench_pulse.py records the agent's headset (`agent_headset.monitor`) and microphone (`agent_mic`) with
  each sample's time from the audio server's own latency figures, and plays the agent's words into farend_voice
  (whose monitor is the microphone) with the same kind of stamp, a check of the taps;
- where a reference clip sits in a recording is tests/phone/analysis/correlate.py's lag, as in the e2e test.

Subcommands: `loop` (the wire stamps checked with two far ends and no app), `idle` (PSS of the app and its WebKit
processes once settled, and CPU over a window), `calls` (whole calls by keys: set-up, first sound, mouth to ear
each way, CPU and PSS during and after the calls), `growth` (short calls, memory every 25).

Run with the repository's venv python (aiortc's numpy, python-xlib); needs the X display, the PipeWire of
tests/phone/audio/start-pipewire.sh (PULSE_SERVER) and a kamailio of tests/phone/sip/kamailio.sh.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

from bench_app import Journal, Keys, dial, dispose, hang_up, wait_log_line
from bench_memory import family, pss_line, rollup_kib, settle
from bench_pulse import Tap, play

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "phone" / "analysis"))
from correlate import analyse  # noqa: E402

FAREND = ROOT / "tests" / "phone" / "farend" / "farend.py"
TICK = os.sysconf("SC_CLK_TCK")


def totals(pid):
    """(PSS, private) MiB of the app and its WebKit processes."""
    kib = [rollup_kib(p) for p, _ in family(pid)]
    return sum(k[0] for k in kib) / 1024, sum(k[1] for k in kib) / 1024


def counts(pid):
    """The app process's threads and open files (a call that leaves either behind shows here)."""
    with open(f"/proc/{pid}/status") as f:
        threads = next(line.split()[1] for line in f if line.startswith("Threads:"))
    return f"app threads {threads}, open files {len(os.listdir(f'/proc/{pid}/fd'))}"


def percentile(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def figure(label, values, unit="ms"):
    if not values:
        print(f"{label}: no value", flush=True)
        return
    print(f"{label}: p50 {percentile(values, 0.5):.1f} {unit}, p95 {percentile(values, 0.95):.1f} {unit}, "
          f"min {min(values):.1f}, max {max(values):.1f} (n={len(values)})", flush=True)


# --- CPU ---------------------------------------------------------------------------------------------------------
def cpu_ticks(pid):
    """utime + stime of a process (all its threads), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def thread_ticks(pid):
    """{(tid, name): utime + stime} of each of a process's threads."""
    ticks = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            ticks[(tid, name)] = cpu_ticks(f"{pid}/task/{tid}")
        except OSError:
            pass  # a thread that ended
    return ticks


class CpuWindow:
    """CPU of the app and of each of its WebKit processes between start() and stop(), in % of one core; and of
    the app's threads, by name."""

    def __init__(self, pid):
        self.pid = pid

    def start(self):
        self.procs = family(self.pid)
        self.t0 = time.monotonic()
        self.ticks0 = {p: cpu_ticks(p) for p, _ in self.procs}
        self.threads0 = thread_ticks(self.pid)
        return self

    def threads_line(self, top=6):
        """The app's busiest threads over the window (threads that started during it count from 0)."""
        used = {}
        for key, ticks in thread_ticks(self.pid).items():
            name = key[1]
            used[name] = used.get(name, 0) + ticks - self.threads0.get(key, 0)
        busiest = sorted(used.items(), key=lambda kv: -kv[1])[:top]
        return ", ".join(f"{name} {100.0 * t / TICK / self.elapsed:.1f} %" for name, t in busiest)

    def stop(self):
        elapsed = time.monotonic() - self.t0
        share = {}
        for p, name in self.procs:
            try:
                used = (cpu_ticks(p) - self.ticks0[p]) / TICK
            except OSError:
                continue
            share["app" if p == self.pid else name] = 100.0 * used / elapsed
        self.elapsed, self.share = elapsed, share
        return self

    def line(self):
        others = ", ".join(f"{name} {pct:.1f} %" for name, pct in self.share.items() if name != "app")
        return f"app {self.share.get('app', 0.0):.1f} % of one core ({others}; over {self.elapsed:.1f} s)"


# --- the far end ---------------------------------------------------------------------------------------------------
class FarEnd:
    """farend.py with JSON lines both ways. Every event is kept; `wait` finds the first one of a name after a mark
    (`mark()`), so events that come in another order than expected are not lost. Its stderr (one line per SIP
    message, `farend T in|out FIRST-LINE call-id=…`) goes to `log`."""

    def __init__(self, python, wss, ca, args, log):
        self.log = Path(log)
        self.proc = subprocess.Popen([python, str(FAREND), "--wss", wss, "--ca", ca, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=open(self.log, "w"), text=True)
        self.events, self.cond = [], threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait("ready", 0, timeout=30)

    def _read(self):
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            with self.cond:
                self.events.append(event)
                self.cond.notify_all()

    def mark(self):
        with self.cond:
            return len(self.events)

    def send(self, command):
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def wait(self, name, since, timeout=20.0, **fields):
        """The first event `name` (with these `fields`) at or after the mark `since`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for event in self.events[since:]:
                    if event.get("event") == name and all(event.get(k) == v for k, v in fields.items()):
                        return event
                    if event.get("event") == "error":
                        raise RuntimeError(f"the far end said {event}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the far end never said {name}; it said {self.events[since:]}")
                self.cond.wait(left)

    def sip_times(self, call_id):
        """(INVITE sent, its 200 OK received) for a call, from the log (ms precision)."""
        sent = ok = None
        for line in self.log.read_text().splitlines():
            m = re.match(r"farend (\d+\.\d+) (in |out) (.*) call-id=(\S+)", line)
            if not m or m.group(4) != call_id:
                continue
            t, way, first = float(m.group(1)), m.group(2).strip(), m.group(3).strip()
            if way == "out" and first.startswith("INVITE ") and sent is None:
                sent = t
            elif way == "in" and first.startswith("SIP/2.0 200") and ok is None and sent is not None:
                ok = t
        return sent, ok

    def stop(self):
        try:
            self.proc.stdin.close()  # it hangs up, unregisters and exits
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def lag_s(reference, recording):
    """Where `reference` starts in the recording (s) and the correlation's score; None if it did not cross."""
    found = analyse(str(reference), str(recording))
    if not found.get("crossed"):
        return None, found.get("ncc", 0.0)
    return found["lag_ms"] / 1000.0, found["ncc"]


def g711_tables():
    """Every byte's 16-bit sample, µ-law (PT 0) and A-law (PT 8), as G.711 decodes them."""
    u = (~np.arange(256)) & 0xFF
    mag = (((u & 0x0F) << 3) + 0x84 << ((u >> 4) & 7)) - 0x84
    ulaw = np.where(u & 0x80, -mag, mag)
    a = np.arange(256) ^ 0x55
    exp, man = (a >> 4) & 7, a & 0x0F
    mag = np.where(exp == 0, (man << 4) + 8, ((man << 4) + 0x108) << np.maximum(exp - 1, 0))
    alaw = np.where(a & 0x80, mag, -mag)
    return {0: ulaw.astype(np.int16), 8: alaw.astype(np.int16)}


G711 = g711_tables()


class Wire:
    """The far end's RTP log (farend.py `rtp_log`): each direction's audio decoded onto its RTP timeline, and when
    each of its samples was on the wire. A packet's samples count from the moment the packet crossed the far end's
    SRTP layer (arrival for `in`, departure for `out`), as a receiver that plays each packet the moment it comes
    would play them; the timeline is placed by the median over the packets, so one late packet moves nothing."""

    def __init__(self, path):
        self.packets = {"in": [], "out": []}
        for line in Path(path).read_text().splitlines():
            way, t, _seq, ts, pt, payload = (line.split() + [""])[:6]
            if int(pt) in G711:
                self.packets[way].append((float(t), int(ts), G711[int(pt)][np.frombuffer(bytes.fromhex(payload),
                                                                                          dtype=np.uint8)]))

    def when(self, reference, way, scratch):
        """When the reference clip's first sample was on the wire in direction `way` (s), and the score."""
        packets = self.packets[way]
        if not packets:
            return None, 0.0
        ts0 = packets[0][1]
        pos = [((ts - ts0 + 2**31) % 2**32) - 2**31 for _, ts, _ in packets]
        audio = np.zeros(max(pos) + 160, dtype=np.int16)
        for p, (_, _, pcm) in zip(pos, packets):
            if p >= 0:
                audio[p:p + len(pcm)] = pcm
        with wave.open(str(scratch), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes(audio.astype("<i2").tobytes())
        lag, ncc = lag_s(reference, scratch)
        if lag is None:
            return None, ncc
        return statistics.median(t - p / 8000 for p, (t, _, _) in zip(pos, packets)) + lag, ncc


# --- subcommands ---------------------------------------------------------------------------------------------------
def cmd_loop(args):
    """The wire stamps checked without the app: far end A calls far end B (user 9999, --answer) through kamailio
    and plays a clip; the clip's time on A's wire out and on B's wire in (loopback UDP, SRTP both sides) should
    differ by next to nothing. Done as the calls do it: RTP logs, correlation, the median placement."""
    clip = Path(args.clips) / "farend_to_agent.wav"
    out = Path(args.out)
    b = FarEnd(args.python, args.wss, args.ca, ["--user", "9999", "--answer"], out / "loop-b.log")
    a = FarEnd(args.python, args.wss, args.ca, [], out / "loop-a.log")
    gaps = []
    try:
        mark = a.mark()
        a.send({"cmd": "call", "to": "9999"})
        call_id = a.wait("answered", mark)["call_id"]
        first_rtp = a.wait("first_rtp", mark)["t"]
        media = a.wait("media", mark, state="connected")["t"]
        invite, ok = a.sip_times(call_id)
        print(f"set-up without the app (aiortc answering): INVITE sent -> 200 OK {(ok - invite) * 1000:.0f} ms, "
              f"-> media connected {(media - ok) * 1000:.0f} ms, -> first RTP {(first_rtp - ok) * 1000:.0f} ms "
              "after the 200 OK", flush=True)
        time.sleep(0.5)
        for k in range(args.times):
            ma, mb = a.mark(), b.mark()
            for end, m, name in ((a, ma, "a"), (b, mb, "b")):
                end.send({"cmd": "rtp_log", "file": str(out / f"loop-{name}.rtp")})
                end.wait("ok", m)
            a.send({"cmd": "play", "file": str(clip)})
            a.wait("played", ma, timeout=30)
            time.sleep(0.3)
            for end in (a, b):
                end.send({"cmd": "rtp_log", "file": None})
            time.sleep(0.2)
            sent, _ = Wire(out / "loop-a.rtp").when(clip, "out", out / "loop.wav")
            got, ncc = Wire(out / "loop-b.rtp").when(clip, "in", out / "loop.wav")
            if sent is None or got is None:
                print(f"loop {k}: the clip was not found on the wire (ncc {ncc})", flush=True)
                continue
            gaps.append((got - sent) * 1000)
        mark = a.mark()
        a.send({"cmd": "hangup"})
        a.wait("ended", mark)
    finally:
        a.stop()
        b.stop()
    figure("the wire stamps without the app: a clip on one far end's wire out -> on another's wire in", gaps)


def cmd_idle(args):
    """PSS once settled, then CPU over --seconds."""
    if args.wait_log:
        wait_log_line(args.log, 0, args.wait_log, timeout=30)
    print(f"{args.label}: {settle(args.pid)}; {counts(args.pid)}", flush=True)
    cpu = CpuWindow(args.pid).start()
    time.sleep(args.seconds)
    print(f"{args.label}: CPU {cpu.stop().line()}; the app's busiest threads: {cpu.threads_line(3)}", flush=True)


def cmd_calls(args):
    """--calls whole calls by keys (dial hotkey, the far end rings the app, which answers its own call; a clip each
    way; hang-up hotkey; 1 1 1 Enter), each measured."""
    clips, out = Path(args.clips), Path(args.out)
    to_agent, to_far = clips / "farend_to_agent.wav", clips / "agent_to_farend.wav"
    keys, journal = Keys(), Journal(args.sim)
    window = keys.find(args.title)
    if window is None:
        sys.exit(f"bench: no window {args.title!r}")
    work = Path(tempfile.mkdtemp(prefix="calls-", dir=out))
    far = FarEnd(args.python, args.wss, args.ca,
                 ["--follow-sim", args.sim, "--poll", "0.02", "--play", str(to_agent)], out / "farend.log")
    journal.skip()
    fig = {k: [] for k in ("invite_200", "ok_media", "media_rtp", "ok_rtp", "invite_rtp", "invite_audio",
                           "ok_audio", "hears", "speaks",
                           "tools", "stamps", "cpu_app", "cpu_web", "pss_call")}
    missed, codec, last_dial, after = [], None, 0.0, {}
    try:
        for n in range(1, args.calls + 1):
            headset, mic = Tap("agent_headset.monitor").start(), Tap("agent_mic").start()
            mark = far.mark()
            latency, last_dial = dial(keys, journal, last_dial)
            while latency is None:
                latency, last_dial = dial(keys, journal, last_dial)
            answered = far.wait("answered", mark)
            cpu = CpuWindow(args.pid).start()
            codec = answered.get("summary", {}).get("codecs", codec)
            call_id = answered["call_id"]
            first_rtp = far.wait("first_rtp", mark)["t"]
            media = far.wait("media", mark, state="connected")["t"]
            far.wait("played", mark, timeout=30)  # the clip the far end plays from its first frame
            fig["pss_call"].append(totals(args.pid)[0])
            if n == 1:
                print(f"call 1, between the clips: {pss_line(args.pid)[0]}", flush=True)
            time.sleep(0.5)  # the first clip's last packets played out
            rtp = work / f"call-{n}.rtp"
            m = far.mark()
            far.send({"cmd": "rtp_log", "file": str(rtp)})
            far.wait("ok", m)
            # The agent hears: the far end's clip again, mid-call.
            m = far.mark()
            far.send({"cmd": "play", "file": str(to_agent)})
            far.wait("played", m, timeout=30)
            time.sleep(0.5)
            # The agent speaks: the other clip into farend_voice, whose monitor is the agent's microphone.
            spoken_by_player = play("farend_voice", to_far)
            time.sleep(0.5)
            m = far.mark()
            far.send({"cmd": "rtp_log", "file": None})
            far.wait("ok", m)
            cpu.stop()
            fig["cpu_app"].append(cpu.share.get("app", 0.0))
            fig["cpu_web"].append(sum(v for k, v in cpu.share.items() if k != "app"))
            if n == 1:
                print(f"call 1, CPU from the answer to the hang-up: {cpu.line()}; the app's busiest threads: "
                      f"{cpu.threads_line()}", flush=True)
            hang_up(keys, journal)
            far.wait("ended", mark)
            dispose(keys, journal, window)
            headset.stop()
            mic.stop()

            # Set-up: the far end's log lines and first_rtp; the headset's first sound after the INVITE.
            invite, ok = far.sip_times(call_id)
            fig["invite_200"].append((ok - invite) * 1000)
            fig["ok_media"].append((media - ok) * 1000)
            fig["media_rtp"].append((first_rtp - media) * 1000)
            fig["ok_rtp"].append((first_rtp - ok) * 1000)
            fig["invite_rtp"].append((first_rtp - invite) * 1000)
            first_sound = headset.first_sound(headset.index_at(invite))
            if first_sound is not None:
                fig["invite_audio"].append((headset.time_of(first_sound) - invite) * 1000)
                fig["ok_audio"].append((headset.time_of(first_sound) - ok) * 1000)
            wire = Wire(rtp)
            # The far end's wire -> the agent's headset.
            sent, ncc_out = wire.when(to_agent, "out", work / "wire.wav")
            heard = None
            if sent is not None:
                start = headset.index_at(sent - 0.05)
                headset.write(work / "headset.wav", start)
                lag, ncc_out = lag_s(to_agent, work / "headset.wav")
                heard = None if lag is None else headset.time_of(start) + lag
            if heard is None:
                where = "its wire" if sent is None else "the headset"
                missed.append(f"call {n}: the far end's clip not found on {where} (ncc {ncc_out})")
            else:
                fig["hears"].append((heard - sent) * 1000)
            # The agent's microphone -> the far end's wire.
            start = mic.index_at(spoken_by_player - 0.5)
            mic.write(work / "mic.wav", start)
            lag, ncc_mic = lag_s(to_far, work / "mic.wav")
            got, ncc_in = wire.when(to_far, "in", work / "wire.wav")
            if lag is None or got is None:
                missed.append(f"call {n}: the agent's clip not found (microphone ncc {ncc_mic}, wire {ncc_in})")
            else:
                spoken = mic.time_of(start) + lag
                fig["speaks"].append((got - spoken) * 1000)
                fig["tools"].append((spoken - spoken_by_player) * 1000)
            fig["stamps"].append(max(headset.t0_spread(), mic.t0_spread()))
            if n == 1 or n == args.calls:
                print(f"after {n} calls: {settle(args.pid)}; {counts(args.pid)}", flush=True)
                after[n] = totals(args.pid)
            if missed and missed[-1].startswith(f"call {n}:"):
                for f in work.glob("*.wav"):  # kept to see why: what the headset, microphone and wire had
                    f.rename(out / f"missed-call-{n}-{f.name}")
            if not args.keep:
                for f in work.iterdir():
                    f.unlink()
    finally:
        far.stop()
    report(args, fig, codec, after, missed)


def cmd_growth(args):
    """--calls short whole calls by keys (dial hotkey, the app answers its own call, 1 s of audio, hang-up
    hotkey, 1 1 1 Enter): the memory of the app and its WebKit processes once settled, its threads and open files,
    every --every calls."""
    keys, journal = Keys(), Journal(args.sim)
    window = keys.find(args.title)
    if window is None:
        sys.exit(f"bench: no window {args.title!r}")
    far = FarEnd(args.python, args.wss, args.ca, ["--follow-sim", args.sim, "--poll", "0.02"],
                 Path(args.out) / "farend-growth.log")
    journal.skip()
    print(f"growth, after 0 calls: {settle(args.pid)}; {counts(args.pid)}", flush=True)
    samples, last_dial, started = {0: totals(args.pid)}, 0.0, time.monotonic()
    try:
        for n in range(1, args.calls + 1):
            mark = far.mark()
            latency, last_dial = dial(keys, journal, last_dial)
            while latency is None:
                latency, last_dial = dial(keys, journal, last_dial)
            far.wait("first_rtp", mark)
            time.sleep(1.0)
            hang_up(keys, journal)
            far.wait("ended", mark)
            dispose(keys, journal, window)
            if n % args.every == 0 or n == args.calls:
                print(f"growth, after {n} calls: {settle(args.pid)}; {counts(args.pid)}", flush=True)
                samples[n] = totals(args.pid)
    finally:
        far.stop()
    print(f"growth: {args.calls} calls in {time.monotonic() - started:.0f} s", flush=True)
    first = args.every if args.calls > args.every else 0
    (pss0, priv0), (pssn, privn) = samples[first], samples[args.calls]
    per = 100.0 / (args.calls - first)
    print(f"growth from call {first} to call {args.calls}: PSS {pssn - pss0:+.1f} MiB, private {privn - priv0:+.1f} MiB "
          f"({per * (pssn - pss0):+.1f} / {per * (privn - priv0):+.1f} MiB per 100 calls)", flush=True)


def report(args, fig, codec, after, missed):
    print(f"codec: {codec[0] if codec else '?'} (the app's answer: {codec})", flush=True)
    print("-- call set-up (the far end's log lines for the INVITE sent and its 200 OK received, ms precision; its "
          "first_rtp event; the headset's first sound after the INVITE)", flush=True)
    figure("INVITE sent -> 200 OK received", fig["invite_200"])
    figure("200 OK received -> the far end's media connected (ICE and DTLS done, aiortc's view)", fig["ok_media"])
    figure("the far end's media connected -> first RTP from the app", fig["media_rtp"])
    figure("200 OK received -> first RTP from the app", fig["ok_rtp"])
    figure("INVITE sent -> first RTP from the app", fig["invite_rtp"])
    figure("INVITE sent -> first sound on the agent's headset", fig["invite_audio"])
    figure("200 OK received -> first sound on the agent's headset", fig["ok_audio"])
    print("-- mouth to ear, each way, mid-call (the far end's wire: its RTP log; the headset and microphone: "
          "bench_pulse's stamped taps)", flush=True)
    figure("far end's wire -> agent's headset (agent_headset)", fig["hears"])
    figure("agent's microphone (agent_mic) -> far end's wire", fig["speaks"])
    figure("the PipeWire tools' own disagreement: tap on agent_mic - stamped player into farend_voice",
           fig["tools"])
    figure("the taps' stamp noise, p5..p95 of each tap's per-read estimates", fig["stamps"])
    print("-- CPU and memory", flush=True)
    figure("CPU of the app process during a call, % of one core (answer -> hang-up)", fig["cpu_app"], "%")
    figure("CPU of its WebKit processes during a call, % of one core", fig["cpu_web"], "%")
    print(f"PSS mid-call (between the clips): p50 {percentile(fig['pss_call'], 0.5):.1f} MiB, "
          f"min {min(fig['pss_call']):.1f}, max {max(fig['pss_call']):.1f}", flush=True)
    if args.calls > 1:
        (pss1, priv1), (pssn, privn) = after[1], after[args.calls]
        per = 100.0 / (args.calls - 1)
        print(f"growth from call 1 to call {args.calls}: PSS {pssn - pss1:+.1f} MiB, private {privn - priv1:+.1f} MiB "
              f"({per * (pssn - pss1):+.1f} / {per * (privn - priv1):+.1f} MiB per 100 calls)", flush=True)
    for line in missed:
        print(line, flush=True)
    (Path(args.out) / "calls.json").write_text(json.dumps(fig))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rig = argparse.ArgumentParser(add_help=False)
    rig.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    rig.add_argument("--wss", required=True)
    rig.add_argument("--ca", required=True)
    rig.add_argument("--clips", required=True)
    rig.add_argument("--out", required=True)
    p = sub.add_parser("loop", parents=[rig])
    p.add_argument("--times", type=int, default=5)
    p.set_defaults(run=cmd_loop)
    p = sub.add_parser("idle")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--label", required=True)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--log", help="the app's log, for --wait-log")
    p.add_argument("--wait-log", help="a line to wait for in --log first (e.g. 'phone registered')")
    p.set_defaults(run=cmd_idle)
    p = sub.add_parser("calls", parents=[rig])
    p.add_argument("--sim", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--calls", type=int, default=20)
    p.add_argument("--keep", action="store_true", help="keep each call's recordings")
    p.set_defaults(run=cmd_calls)
    p = sub.add_parser("growth", parents=[rig])
    p.add_argument("--sim", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--calls", type=int, default=100)
    p.add_argument("--every", type=int, default=25)
    p.set_defaults(run=cmd_growth)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
