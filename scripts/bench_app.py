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

from bench_memory import mapping_lines, pss_line, settle

DEBOUNCE_S = 0.62  # the app counts presses of one action at most once per 600 ms (agent::hotkeys::Debounce)


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


def dial(keys, journal, last_dial):
    """One dial hotkey press past the debounce; answers (latency µs or None if that press was not heard, time of the
    press). A press that brings no AgentCall within 2 s is counted as lost, and the caller presses again."""
    time.sleep(max(0.0, last_dial + DEBOUNCE_S - time.monotonic()))
    pressed = time.monotonic()
    stamp = keys.combo("d")
    try:
        return journal.wait("Agents/AgentCall", timeout=2.0)["received_us"] - stamp, pressed
    except TimeoutError:
        return None, pressed


def hang_up(keys, journal):
    """The hang-up hotkey until HungupPhone arrives: a press that lands while the app still waits for AgentCall's
    answer finds no call to end, so it is pressed again past the debounce (its latency is not measured)."""
    for _ in range(20):
        keys.combo("h")
        try:
            return journal.wait("Agents/HungupPhone", timeout=DEBOUNCE_S + 0.1)
        except TimeoutError:
            continue
    raise TimeoutError("no HungupPhone after 20 hang-up presses")


def dispose(keys, journal, window):
    """1 1 1 Enter in the disposition form once the window has the focus, until DispositionCall arrives; answers
    how many times the keys were typed again."""
    deadline = time.monotonic() + 5
    while not keys.focus_in(window):
        if time.monotonic() > deadline:
            raise TimeoutError("the app window did not take the focus for the disposition")
        time.sleep(0.005)
    # Keys typed while the page still shows "dialing" (its desk event not yet in) are not the form's: an agent
    # that fast types them again, and so does this, after 2 s (counted).
    for attempt in range(5):
        for key in ("1", "1", "1", "Return"):
            keys.tap(key)
        try:
            journal.wait("api/DispositionCall", timeout=2.0)
            return attempt
        except TimeoutError:
            pass
    raise TimeoutError("no DispositionCall after typing 1 1 1 Enter five times")


def cmd_launch(args):
    """exec -> window mapped, and (with --log) exec -> the app's "ready" log line; leaves the process running and
    prints its pid last."""
    keys = Keys()
    keys.watch_maps()
    offset = os.path.getsize(args.log) if args.log and os.path.exists(args.log) else 0
    env = dict(os.environ)
    started = now_us()
    # BENCH_STDERR=FILE keeps what the app and its WebKit processes print (e.g. with JSC_logGC=1, the page's heap).
    err = open(os.environ["BENCH_STDERR"], "a") if os.environ.get("BENCH_STDERR") else subprocess.DEVNULL
    proc = subprocess.Popen(args.cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
    mapped = keys.wait_map(args.title)
    out = [f"window {(mapped - started) / 1000:.0f} ms"]
    if args.log:
        ready = wait_log_line(args.log, offset, "ready: signed in")
        out.append(f"ready {(ready - started) / 1000:.0f} ms")
    print(" ".join(out), proc.pid, flush=True)


def cmd_idle(args):
    print("\n".join([settle(args.pid), *mapping_lines(args.pid)]), flush=True)


def cmd_hotkey(args):
    """--presses dial hotkeys; after each, the app's call is hung up by its hotkey (the bare app has no call)."""
    keys, journal = Keys(), Journal(args.sim)
    journal.skip()
    latencies, last_dial, lost = [], 0.0, 0
    while len(latencies) < args.presses:
        # A random phase, so presses do not fall in step with a polling loop (upstream's 50 ms).
        time.sleep(random.uniform(0, 0.05))
        latency, last_dial = dial(keys, journal, last_dial if args.app else 0.0)
        if latency is None:
            lost += 1
            if lost > 20:
                raise TimeoutError("more than 20 dial presses brought no AgentCall")
            continue
        latencies.append(latency)
        if args.app:
            hang_up(keys, journal)
    summary(f"{args.label}: dial hotkey press -> AgentCall on the wire", latencies)
    if lost:
        print(f"{args.label}: {lost} presses brought no AgentCall within 2 s and were pressed again", flush=True)


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
        for line in mapping_lines(args.pid):
            print(line, flush=True)

    print("shift: " + settle(args.pid) + " at the start (idle, signed in)", flush=True)
    sample(0)
    latencies, last_dial, started, lost, retyped = [], 0.0, time.monotonic(), 0, 0
    for done in range(1, args.calls + 1):
        latency, last_dial = dial(keys, journal, last_dial)
        while latency is None:
            lost += 1
            if lost > 20:
                raise TimeoutError("more than 20 dial presses brought no AgentCall")
            latency, last_dial = dial(keys, journal, last_dial)
        latencies.append(latency)
        hang_up(keys, journal)
        retyped += dispose(keys, journal, window)
        if done % args.every == 0:
            sample(done)
    print(f"shift: {args.calls} calls in {time.monotonic() - started:.0f} s", flush=True)
    summary("shift: dial hotkey press -> AgentCall on the wire", latencies)
    if lost:
        print(f"shift: {lost} dial presses brought no AgentCall within 2 s and were pressed again", flush=True)
    if retyped:
        print(f"shift: the disposition keys were typed again {retyped} times", flush=True)


def cmd_typing(args):
    """--keys key taps (press + release) while no window has the keyboard focus, as an agent types in the CRM all
    shift. With tauri's `x11` feature, tao's device thread heard each one as an X raw input event (and leaked it,
    tao 0.37.2); the app is built without that feature, so this phase shows it stays flat. PSS every --every taps."""
    keys = Keys()
    keys.d.set_input_focus(X.NONE, X.RevertToNone, X.CurrentTime)
    keys.d.sync()
    print(f"typing elsewhere: {settle(args.pid)} after 0 keys", flush=True)
    k = keys.code("a")
    for done in range(args.every, args.keys + 1, args.every):
        for _ in range(args.every):
            xtest.fake_input(keys.d, X.KeyPress, k)
            xtest.fake_input(keys.d, X.KeyRelease, k)
        keys.d.sync()
        print(f"typing elsewhere: {settle(args.pid)} after {done} keys", flush=True)


def cmd_ipc(args):
    """The bare app's own IPC cost (BARE_IPC=1): the family's PSS before and after rounds of Tauri events (each with
    a payload of its own, or all with the same), command calls, and renders of a list whose elements are made afresh
    or reused, each figure once memory holds still."""
    keys = Keys()
    keys.watch_maps()
    proc = subprocess.Popen([args.bare], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=dict(os.environ, BARE_IPC="1"))
    try:
        keys.wait_map("Bare Tauri")
        # Tauri's traffic, then the page itself: a picker's 7 options rendered each/2 times, made afresh or reused.
        for kind, each in (("unique", args.each), ("same", args.each), ("invoke", args.each),
                           ("dom-fresh", args.each // 2), ("dom-reuse", args.each // 2)):
            print(f"ipc {kind}: {settle(proc.pid)} at the start", flush=True)
            for done in range(each, each * args.rounds + 1, each):
                proc.stdin.write(f"{kind} {each}\n")
                proc.stdin.flush()
                if proc.stdout.readline().strip() != "done":
                    sys.exit("bench: the bare app stopped answering")
                print(f"ipc {kind}: {settle(proc.pid)} after {done}", flush=True)
    finally:
        proc.kill()
        proc.wait()


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
    p = sub.add_parser("typing")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--keys", type=int, default=40000)
    p.add_argument("--every", type=int, default=10000)
    p.set_defaults(run=cmd_typing)
    p = sub.add_parser("ipc")
    p.add_argument("--bare", required=True)
    p.add_argument("--each", type=int, default=2000)
    p.add_argument("--rounds", type=int, default=3)
    p.set_defaults(run=cmd_ipc)
    args = parser.parse_args()
    if getattr(args, "cmd", None) and args.cmd[0] == "--":
        args.cmd = args.cmd[1:]
    args.run(args)


if __name__ == "__main__":
    main()
