"""The compact bar's place per set of monitors, on a real second monitor: Xvfb offers one monitor, so this test
runs its own X server (Xorg with the dummy video driver, whose outputs DUMMY0 and DUMMY1 are two RandR monitors
side by side, plugged and unplugged with xrandr) and the real app on it, and reads the bar's place with xdotool.
Docked, the bar goes back where the agent put it on the second monitor; undocked, to its place on the laptop's."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import APP, ARTIFACTS, SCRATCH, remember_password, wait_for, write_settings

BAR = "^uContact Agent Companion bar$"
XORG_CONF = """
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "AutoEnableDevices" "false"
EndSection
Section "Device"
  Identifier "dummy"
  Driver "dummy"
  VideoRam 256000
EndSection
Section "Monitor"
  Identifier "monitor"
  HorizSync 5.0-1000.0
  VertRefresh 5.0-200.0
EndSection
Section "Screen"
  Identifier "screen"
  Device "dummy"
  Monitor "monitor"
  DefaultDepth 24
  SubSection "Display"
    Depth 24
    Virtual 2560 800
  EndSubSection
EndSection
"""


@pytest.fixture
def two_monitors():
    """Yields (env, dock): the environment of a display with two monitors (1280×800 each, DUMMY1 right of DUMMY0)
    and dock(on) to plug or unplug the second."""
    display = next(f":{n}" for n in range(160, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                   and not Path(f"/tmp/.X{n}-lock").exists())
    conf = SCRATCH / "xorg-dummy.conf"
    conf.write_text(XORG_CONF)
    xorg = subprocess.Popen(["Xorg", display, "-config", str(conf), "-noreset", "-nolisten", "tcp",
                             "-logfile", str(ARTIFACTS / "xorg-dummy.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display)
    wait_for(lambda: subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode == 0, "Xorg (dummy) up")

    def xrandr(*args):
        subprocess.run(["xrandr", *args], env=env, check=True, capture_output=True)

    def monitors():
        return subprocess.run(["xrandr", "--listmonitors"], env=env, capture_output=True, text=True).stdout

    xrandr("--output", "DUMMY0", "--mode", "1280x800")
    xrandr("--addmode", "DUMMY1", "1280x800")

    def dock(on):
        if on:
            xrandr("--output", "DUMMY1", "--mode", "1280x800", "--right-of", "DUMMY0")
            wait_for(lambda: "Monitors: 2" in monitors(), "two monitors")
        else:
            xrandr("--output", "DUMMY1", "--off")
            wait_for(lambda: "Monitors: 1" in monitors(), "one monitor")

    dock(True)
    yield env, dock
    xorg.terminate()
    xorg.wait(timeout=10)


def test_the_bar_keeps_a_place_for_each_set_of_monitors(sim, profile, two_monitors):
    env, dock = two_monitors
    write_settings(profile, sim.url)
    remember_password(sim.url)
    log = open(ARTIFACTS / "app-two-monitors.log", "w")
    app = subprocess.Popen([APP, "--profile-dir", str(profile)], env=env, stdout=log, stderr=subprocess.STDOUT)

    def xdo(*args):
        return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True).stdout.strip()

    def bar():
        found = xdo("search", "--onlyvisible", "--name", BAR).split()
        return found[0] if found else None

    def place():
        shape = dict(line.split("=") for line in xdo("getwindowgeometry", "--shell", bar()).splitlines())
        return int(shape["X"]), int(shape["Y"])

    def toggle(want_open):
        # A press right after the last one counts as the same press (the double-press guard): press until it acts.
        def attempt():
            if bool(bar()) == want_open:
                return True
            xdo("key", "ctrl+alt+m")
            return bool(bar()) == want_open
        wait_for(attempt, "the bar " + ("open" if want_open else "closed"), interval=0.4)

    def move(x, y):
        xdo("windowmove", "--sync", bar(), str(x), str(y))
        wait_for(lambda: place() == (x, y), f"the bar at {x},{y}")

    try:
        companion_log = profile / "logs" / "companion.log"
        wait_for(lambda: companion_log.exists() and "ready:" in companion_log.read_text(errors="replace"),
                 "the app signed in with its hotkeys", timeout=30)
        # Docked: the agent puts the bar on the second monitor.
        toggle(True)
        move(1500, 600)
        toggle(False)
        # Undocked: that monitor is gone, so the bar opens on the laptop's, and is put somewhere there.
        dock(False)
        toggle(True)
        wait_for(lambda: place()[0] + 360 <= 1280, "the bar on the one monitor left")
        move(100, 500)
        toggle(False)
        # Docked again: back on the second monitor where it was; undocked again: back at the laptop's place.
        dock(True)
        toggle(True)
        wait_for(lambda: place() == (1500, 600), "the docked place")
        toggle(False)
        dock(False)
        toggle(True)
        wait_for(lambda: place() == (100, 500), "the undocked place")
        kept = json.loads((profile / "config" / "compact-places.json").read_text())
        assert sorted(kept["layouts"]) == ["DUMMY0", "DUMMY0+DUMMY1"], kept
    finally:
        app.terminate()
        app.wait(timeout=15)
        log.close()
