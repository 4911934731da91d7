#!/usr/bin/python3
"""The measuring client of scripts/bench-app.sh (figures printed, never asserted).

One persistent X connection presses keys through XTest and watches windows; the simulator stamps each request's
arrival (`received_us` in its journal, CLOCK_REALTIME microseconds), and this script stamps each key press on the
same clock just before it goes to the X server, so a figure is press -> request on the wire, with nothing of the
measuring tools in it. Waits are for conditions (a window mapped, a journal entry, a log line, the focus), never
fixed sleeps; the one deliberate pause is the app's 600 ms hotkey debounce, which a press must be past to count.

Needs python3-xlib (apt) and the system python3, not a venv.
"""
import argparse
import datetime
import http.client
import json
import os
import random
import select
import subprocess
import sys
import time
from urllib.parse import urlsplit

from Xlib import X, XK, display
from Xlib.ext import xtest

DEBOUNCE_S = 0.62  # the app counts presses of one action at most once per 600 ms (agent::hotkeys::Debounce)
MIB = 1024.0


def now_us():
    return time.time_ns() // 1000


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def summary(label, latencies_us):
    v = sorted(latencies_us)
    ms = lambda us: us / 1000.0  # noqa: E731
    print(f"{label}: p50 {ms(percentile(v, 0.50)):.1f} ms, p99 {ms(percentile(v, 0.99)):.1f} ms, "
          f"min {ms(v[0]):.1f}, max {ms(v[-1]):.1f} (n={len(v)})", flush=True)


class Journal:
    """The simulator's journal, read incrementally (`?after=SEQ`) over one keep-alive connection."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = None
        self.seq = 0

    def _newer(self):
        for _ in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                self.conn.request("GET", f"/_sim/journal?after={self.seq}")
                return json.loads(self.conn.getresponse().read())
            except (http.client.HTTPException, OSError):
                self.conn = None
        raise RuntimeError("the simulator's journal cannot be read")

    def skip(self):
        """Passes over everything already journaled."""
        entries = self._newer()
        if entries:
            self.seq = entries[-1]["seq"]

    def wait(self, endpoint, timeout=10.0):
        """The next entry for `endpoint` (e.g. Agents/AgentCall); entries before it are passed over."""
        deadline = time.monotonic() + timeout
        while True:
            for entry in self._newer():
                self.seq = entry["seq"]
                if entry["path"].endswith("/" + endpoint):
                    return entry
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {endpoint} reached the simulator within {timeout} s")
            time.sleep(0.002)


class Keys:
    """Key presses through XTest, and the windows and focus of the display."""

    def __init__(self):
        self.d = display.Display()
        if not self.d.has_extension("XTEST"):
            sys.exit("bench: the X server has no XTEST extension")
        self.root = self.d.screen().root
        self.ctrl, self.alt = self.code("Control_L"), self.code("Alt_L")

    def code(self, name):
        return self.d.keysym_to_keycode(XK.string_to_keysym(name))

    def combo(self, key):
        """Ctrl+Alt+key; answers the press's stamp (taken just before the key's press goes to the server)."""
        k = self.code(key)
        xtest.fake_input(self.d, X.KeyPress, self.ctrl)
        xtest.fake_input(self.d, X.KeyPress, self.alt)
        self.d.sync()
        stamp = now_us()
        xtest.fake_input(self.d, X.KeyPress, k)
        self.d.flush()
        for code in (k, self.alt, self.ctrl):
            xtest.fake_input(self.d, X.KeyRelease, code)
        self.d.sync()
        return stamp

    def tap(self, name):
        k = self.code(name)
        xtest.fake_input(self.d, X.KeyPress, k)
        xtest.fake_input(self.d, X.KeyRelease, k)
        self.d.sync()

    def title(self, window):
        try:
            name = window.get_full_property(self.d.intern_atom("_NET_WM_NAME"), X.AnyPropertyType)
            if name and name.value:
                v = name.value
                return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
            v = window.get_wm_name()
            return v.decode("latin-1") if isinstance(v, bytes) else (v or "")
        except Exception:  # the window went away
            return ""

    def find(self, title):
        for w in self.root.query_tree().children:
            if self.title(w) == title:
                return w
        return None

    def focus_in(self, window):
        """True if the keyboard focus is `window` or inside it."""
        w = self.d.get_input_focus().focus
        while isinstance(w, type(self.root)) and w.id not in (0, self.root.id):
            if w.id == window.id:
                return True
            w = w.query_tree().parent
        return False

    def watch_maps(self):
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self.d.sync()
        while self.d.pending_events():
            self.d.next_event()

    def wait_map(self, title, timeout=30.0):
        """The stamp at which a top-level window called `title` was mapped (after watch_maps)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.d.pending_events():
                select.select([self.d.fileno()], [], [], 0.05)
            while self.d.pending_events():
                ev = self.d.next_event()
                if ev.type == X.MapNotify:
                    stamp = now_us()
                    if self.title(ev.window) == title:
                        self.root.change_attributes(event_mask=0)
                        self.d.sync()
                        return stamp
        raise TimeoutError(f"no window {title!r} within {timeout} s")


def wait_log_line(path, offset, needle, timeout=30.0):
    """The timestamp (µs since the epoch, from tracing's RFC 3339 prefix) of the first line with `needle` that was
    written after `offset` bytes of the app's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, "rb") as f:
                f.seek(offset)
                for line in f.read().decode("utf-8", "replace").splitlines():
                    if needle in line:
                        stamp = line.split()[0].replace("Z", "+00:00")
                        return int(datetime.datetime.fromisoformat(stamp).timestamp() * 1_000_000)
        except FileNotFoundError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"no {needle!r} in {path} within {timeout} s")


def family(pid):
    """The process and its descendants (the WebKit web and network processes), as (pid, name)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            name = os.path.basename(open(f"/proc/{p}/cmdline", "rb").read().split(b"\0")[0].decode()) or "?"
        except OSError:
            continue
        found.append((p, name))
        todo += [c for c, parent in parents.items() if parent == p]
    return found


def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def pss_line(pid):
    """'total X MiB (app A, WebKitWebProcess W, WebKitNetworkProcess N)', and the total in MiB."""
    parts, total = [], 0
    for p, name in family(pid):
        kib = pss_kib(p)
        total += kib
        parts.append(f"{'app' if p == pid else name} {kib / MIB:.1f}")
    return f"PSS {total / MIB:.1f} MiB ({', '.join(parts)})", total / MIB


def settle(pid, timeout=30.0):
    """Waits until the family's PSS holds still (within 0.5 MiB over one second), so "idle" means idle."""
    deadline = time.monotonic() + timeout
    _, last = pss_line(pid)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        line, total = pss_line(pid)
        if abs(total - last) < 0.5:
            return line
        last = total
    return pss_line(pid)[0] + " (still moving)"


def cmd_launch(args):
    """exec -> window mapped, and (with --log) exec -> the app's "ready" log line; leaves the process running and
    prints its pid last."""
    keys = Keys()
    keys.watch_maps()
    offset = os.path.getsize(args.log) if args.log and os.path.exists(args.log) else 0
    env = dict(os.environ)
    started = now_us()
    proc = subprocess.Popen(args.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    mapped = keys.wait_map(args.title)
    out = [f"window {(mapped - started) / 1000:.0f} ms"]
    if args.log:
        ready = wait_log_line(args.log, offset, "ready: signed in")
        out.append(f"ready {(ready - started) / 1000:.0f} ms")
    print(" ".join(out), proc.pid, flush=True)


def cmd_idle(args):
    print(settle(args.pid), flush=True)


def cmd_hotkey(args):
    """--presses dial hotkeys; after each, the app's call is hung up by its hotkey (the bare app has no call)."""
    keys, journal = Keys(), Journal(args.sim)
    journal.skip()
    latencies, last_dial = [], 0.0
    for _ in range(args.presses):
        # A random phase, so presses do not fall in step with a polling loop (upstream's 50 ms).
        time.sleep(random.uniform(0, 0.05))
        if args.app:
            time.sleep(max(0.0, last_dial + DEBOUNCE_S - time.monotonic()))
        last_dial = time.monotonic()
        stamp = keys.combo("d")
        latencies.append(journal.wait("Agents/AgentCall")["received_us"] - stamp)
        if args.app:
            keys.combo("h")
            journal.wait("Agents/HungupPhone")
    summary(f"{args.label}: dial hotkey press -> AgentCall on the wire", latencies)


def cmd_shift(args):
    """--calls whole calls by keys alone: dial hotkey (number on the clipboard), hang-up hotkey, 1 1 1 Enter."""
    keys, journal = Keys(), Journal(args.sim)
    window = keys.find(args.title)
    if window is None:
        sys.exit(f"bench: no window {args.title!r}")
    journal.skip()

    def sample(done):
        line, _ = pss_line(args.pid)
        size = sum(os.path.getsize(p) for p in (args.outbox, args.outbox + "-wal") if os.path.exists(p))
        print(f"after {done:4d} calls: {line}; outbox {size / 1024:.0f} KiB", flush=True)

    print("shift: " + settle(args.pid) + " at the start (idle, signed in)", flush=True)
    sample(0)
    latencies, last_dial, started = [], 0.0, time.monotonic()
    for done in range(1, args.calls + 1):
        time.sleep(max(0.0, last_dial + DEBOUNCE_S - time.monotonic()))
        last_dial = time.monotonic()
        stamp = keys.combo("d")
        latencies.append(journal.wait("Agents/AgentCall")["received_us"] - stamp)
        keys.combo("h")
        journal.wait("Agents/HungupPhone")
        deadline = time.monotonic() + 5
        while not keys.focus_in(window):
            if time.monotonic() > deadline:
                raise TimeoutError("the app window did not take the focus for the disposition")
            time.sleep(0.005)
        for key in ("1", "1", "1", "Return"):
            keys.tap(key)
        journal.wait("api/DispositionCall")
        if done % args.every == 0:
            sample(done)
    print(f"shift: {args.calls} calls in {time.monotonic() - started:.0f} s", flush=True)
    summary("shift: dial hotkey press -> AgentCall on the wire", latencies)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("launch")
    p.add_argument("--title", required=True)
    p.add_argument("--log")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    p.set_defaults(run=cmd_launch)
    p = sub.add_parser("idle")
    p.add_argument("--pid", type=int, required=True)
    p.set_defaults(run=cmd_idle)
    p = sub.add_parser("hotkey")
    p.add_argument("--sim", required=True)
    p.add_argument("--presses", type=int, default=500)
    p.add_argument("--label", required=True)
    p.add_argument("--app", action="store_true", help="the real app: hang up after each dial, mind the debounce")
    p.set_defaults(run=cmd_hotkey)
    p = sub.add_parser("shift")
    p.add_argument("--sim", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--outbox", required=True)
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--every", type=int, default=100)
    p.set_defaults(run=cmd_shift)
    args = parser.parse_args()
    if getattr(args, "cmd", None) and args.cmd[0] == "--":
        args.cmd = args.cmd[1:]
    args.run(args)


if __name__ == "__main__":
    main()
