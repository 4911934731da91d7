"""What a screen reader gets from the real app, through AT-SPI (the accessibility bus Orca reads), not through the
page: every control that shows has a name (exactly its label), the call is placed and hung up through AT-SPI (the
focus moved and the buttons pressed by their accessibility actions, the number typed as keys), and the live
region holds the words for each moment. The app is started without NO_AT_BRIDGE (the other tests set it) so
WebKit joins the bus; tests/e2e/atspi_probe.py runs on the system python3 with python3-pyatspi."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import APP, ARTIFACTS, remember_password, single_instance_released, wait_for, write_settings, xdo

PROBE = [
    "/usr/bin/python3", str(Path(__file__).with_name("atspi_probe.py"))]
APP_NAME = "ucontact-agent-companion"
# Roles an agent operates: each must say what it is for.
CONTROLS = {"push button", "toggle button", "entry", "password text", "combo box", "check box", "radio button",
            "spin button", "list box", "slider"}


def probe(*args):
    out = subprocess.run([*PROBE, args[0], APP_NAME, *args[1:]], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture
def screen_reader_app(sim, profile):
    write_settings(profile, sim.url)
    remember_password(sim.url)
    env = {k: v for k, v in os.environ.items() if k != "NO_AT_BRIDGE"}
    # Launched directly, not through tauri-driver: an app of the test before still leaving would take this launch
    # over (single instance) and no app would join the accessibility bus.
    wait_for(single_instance_released, "the app of the test before to be gone", timeout=20)
    log = open(ARTIFACTS / "app-screen-reader.log", "w")
    app = subprocess.Popen([APP, "--profile-dir", str(profile)], env=env, stdout=log, stderr=subprocess.STDOUT)
    yield app
    app.terminate()
    app.wait(timeout=15)
    log.close()


def live_regions():
    """What the live regions hold now, as AT-SPI gives it to a screen reader."""
    return [text for role, _, _, text in probe("tree") or [] if role in ("status bar", "notification") and text]


def showing(role, name):
    tree = probe("tree") or []
    return any(r == role and n == name for r, n, _, _ in tree)


def test_a_screen_reader_user_places_and_ends_a_call_and_hears_each_moment(sim, screen_reader_app):
    wait_for(lambda: showing("push button", "Dial"), "the desk in the accessibility tree", timeout=30)
    tree = probe("tree")
    unnamed = [(r, states) for r, n, states, _ in tree if r in CONTROLS and not n.strip()]
    assert unnamed == [], f"controls a screen reader would only call by their role: {unnamed}"
    names = {(r, n) for r, n, _, _ in tree}
    # Exactly the label: not the placeholder or the option shown read after it ("Number 099 123 456").
    for control in [("entry", "Number"), ("combo box", "Campaign"), ("combo box", "Break motive"),
                    ("push button", "Sign out"), ("push button", "Take a break")]:
        assert control in names, f"{control} in {sorted(names)}"

    window = wait_for(lambda: xdo("search", "--onlyvisible", "--name", "^uContact Agent Companion$").split()[0], "the window")
    xdo("windowfocus", "--sync", window)
    assert probe("focus", "entry", "Number")
    wait_for(lambda: any(r == "entry" and n == "Number" and "focused" in st for r, n, st, _ in probe("tree")),
             "the number field focused through AT-SPI")
    xdo("type", "--delay", "20", "099123456")
    assert probe("act", "push button", "Dial")
    wait_for(lambda: sim.journal("Agents/AgentCall"), "AgentCall from the AT-SPI press")
    assert sim.fields(sim.journal("Agents/AgentCall")[-1])["destination"] == "099123456"
    wait_for(lambda: any("Connected: in call with 099123456" in s for s in live_regions()), "'connected' in the live region")

    wait_for(lambda: showing("push button", "Hang up"), "Hang up in the tree")
    assert probe("act", "push button", "Hang up")
    wait_for(lambda: sim.journal("Agents/HungupPhone"), "HungupPhone from the AT-SPI press")
    wait_for(lambda: any("ended after" in s and "Pick the disposition" in s for s in live_regions()),
             "'call ended' in the live region")
    wait_for(lambda: showing("list box", "Disposition"), "the codes as a named list box")
    codes = [n for r, n, _, _ in probe("tree") if r in ("list item", "option") and n.strip()]
    assert codes, "the codes are readable options"
