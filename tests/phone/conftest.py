"""Fixtures for the phone rig's own tests (tests/phone/test_rig.py): kamailio on free loopback ports, the reference
clips, and far ends driven over their JSON-lines stdin/stdout. Every wait is a condition wait with a timeout."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

PHONE = Path(__file__).resolve().parent
ROOT = PHONE.parents[1]
FAREND = PHONE / "farend" / "farend.py"


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rig:
    """A running tests/phone/sip/kamailio.sh."""

    def __init__(self, workdir: Path, qualify_secs: int):
        self.workdir = workdir
        self.ports = {"WSS_PORT": free_port(), "WS_PORT": free_port(), "WRONG_HOST_PORT": free_port(),
                      "SIP_UDP_PORT": free_port(socket.SOCK_DGRAM)}
        env = dict(os.environ, QUALIFY_SECS=str(qualify_secs), CATCH_ALL="asterisk",
                   **{k: str(v) for k, v in self.ports.items()})
        self.log = open(workdir / "kamailio.stderr", "w")
        self.proc = subprocess.Popen(["bash", str(PHONE / "sip" / "kamailio.sh"), str(workdir)], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.proc.stdout.readline()), daemon=True).start()
        try:
            self.ready_line = lines.get(timeout=30).strip()
        except queue.Empty:
            self.ready_line = ""
        assert self.ready_line == f"READY wss://127.0.0.1:{self.ports['WSS_PORT']}", (
            f"kamailio.sh did not print READY: {self.ready_line!r}\n{self.log_text()[-3000:]}")
        self.wss = f"wss://127.0.0.1:{self.ports['WSS_PORT']}"
        self.ws = f"ws://127.0.0.1:{self.ports['WS_PORT']}"
        self.wrong = f"wss://127.0.0.1:{self.ports['WRONG_HOST_PORT']}"
        self.ca = str(workdir / "ca.pem")

    def log_text(self) -> str:
        return (self.workdir / "kamailio.stderr").read_text(errors="replace")

    def wait_log(self, pattern: str, timeout: float = 5) -> re.Match:
        """Waits for a line of kamailio's log matching `pattern` (the log reaches the file through a pipe)."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, self.log_text())
            if match or time.monotonic() > deadline:
                assert match, f"kamailio logged no {pattern!r} within {timeout}s"
                return match
            time.sleep(0.05)

    def kamcmd(self, *args: str) -> str:
        return subprocess.run(["kamcmd", "-s", f"unix:{self.workdir}/kamailio.ctl", *args], check=True,
                              capture_output=True, text=True, timeout=10).stdout

    def stop(self) -> None:
        self.proc.stdin.close()  # end of file on stdin stops kamailio.sh
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class FarEnd:
    """A farend.py process: `send(cmd=...)` writes a command, `wait(event, **match)` consumes the first matching
    event received so far or within `timeout` seconds (events are consumed in any order)."""

    def __init__(self, name: str, rig: Rig, args: list[str], logdir: Path):
        self.name = name
        self.stderr = open(logdir / f"farend-{name}.stderr", "w")
        self.proc = subprocess.Popen([sys.executable, str(FAREND), "--wss", rig.wss, "--ca", rig.ca, *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     text=True, bufsize=1)
        self.events: list[dict] = []
        self.all: list[dict] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            event = json.loads(line)
            with self.cond:
                self.events.append(event)
                self.all.append(event)
                self.cond.notify_all()
        with self.cond:
            self.events.append({"event": "exited"})
            self.cond.notify_all()

    def send(self, **cmd) -> None:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()

    def wait(self, event: str, timeout: float = 10, **match) -> dict:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i, e in enumerate(self.events):
                    if e["event"] == event and all(e.get(k) == v for k, v in match.items()):
                        return self.events.pop(i)
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [e["event"] for e in self.all]
                    raise AssertionError(f"{self.name}: no {event} {match or ''} within {timeout}s; events: {seen}")
                self.cond.wait(left)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # end of file: the far end hangs up, unregisters and exits
                self.proc.wait(timeout=10)
            except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


def require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None and not Path(f"/usr/sbin/{t}").exists()]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (scripts/setup-debian.sh installs them)")


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    require("kamailio", "kamcmd", "openssl")
    workdir = tmp_path_factory.mktemp("kam")
    rig = Rig(workdir, qualify_secs=1)
    yield rig
    rig.stop()


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> Path:
    require("espeak-ng", "sox")
    out = tmp_path_factory.mktemp("clips")
    subprocess.run(["bash", str(PHONE / "analysis" / "make_clips.sh"), str(out)], check=True, timeout=60)
    return out


@pytest.fixture
def farends(rig, tmp_path):
    started: list[FarEnd] = []

    def start(name: str, *args: str, ready: bool = True) -> FarEnd:
        far = FarEnd(name, rig, list(args), tmp_path)
        started.append(far)
        if ready:
            far.wait("ready", timeout=20)
        return far

    yield start
    for far in started:
        far.stop()
