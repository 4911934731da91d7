"""The window between shifts: its size and place kept (and brought back on screen when the monitor it was on is
gone), and the shortcuts overlay listing every key with the global bindings in effect."""
import json
import os
import signal
from pathlib import Path

from selenium.webdriver.common.keys import Keys

from conftest import app_pid, signed_in, wait_for, xdo

TITLE = "^uContact Agent Companion$"


def geometry():
    """(x, y, width, height) of the app's window on the X screen."""
    window = xdo("search", "--onlyvisible", "--name", TITLE).split()[0]
    shape = dict(line.split("=") for line in xdo("getwindowgeometry", "--shell", window).splitlines())
    return int(shape["X"]), int(shape["Y"]), int(shape["WIDTH"]), int(shape["HEIGHT"])


def end_session(profile):
    """Ends the app the way logging out of the computer does (SIGTERM: a clean exit)."""
    pid = app_pid(profile)
    os.kill(pid, signal.SIGTERM)
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(),
             "the app to exit", timeout=10)


def test_size_and_place_are_kept_across_restarts(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    window = xdo("search", "--onlyvisible", "--name", TITLE).split()[0]
    xdo("windowsize", "--sync", window, "520", "720")
    xdo("windowmove", "--sync", window, "300", "120")
    wait_for(lambda: geometry() == (300, 120, 520, 720), "the window moved and resized")
    end_session(profile)
    saved = json.loads((profile / "config" / "window-state.json").read_text())
    assert (saved["main"]["width"], saved["main"]["height"]) == (520, 720), saved
    app.quit()

    app = signed_in(sim, profile, launch)
    wait_for(lambda: geometry() == (300, 120, 520, 720), "the same size and place after the restart")


def test_a_place_on_a_monitor_that_is_gone_comes_back_on_screen(sim, profile, launch):
    (profile / "config").mkdir(parents=True, exist_ok=True)
    # Last shift on a second monitor to the right of this 1280×900 screen, which is not there today.
    (profile / "config" / "window-state.json").write_text(json.dumps({"main": {
        "width": 480, "height": 700, "x": 2400, "y": 200, "prev_x": 2400, "prev_y": 200,
        "maximized": False, "visible": True, "decorated": True, "fullscreen": False}}))
    signed_in(sim, profile, launch)
    x, y, width, height = geometry()
    assert (width, height) == (480, 700), "the size is kept"
    assert 0 <= x and x + width <= 1280 and 0 <= y and y + height <= 900, f"on screen: {(x, y, width, height)}"


def test_f1_and_question_mark_list_every_shortcut_with_the_bindings_in_effect(sim, profile, launch):
    app = signed_in(sim, profile, launch, extra_config='\n[hotkeys]\ndial = "Ctrl+Alt+J"\n')
    is_open = lambda: app.driver.execute_script("return document.getElementById('shortcuts').open")
    app.el("dial-btn").send_keys(Keys.F1)
    wait_for(is_open, "the overlay after F1")
    listed = app.text("shortcuts-global")
    assert "Ctrl+Alt+J" in listed and "Ctrl+Alt+H" in listed, listed
    assert "Ctrl+Alt+D" not in listed, "the bindings in effect, not the defaults"
    for keys in ("Ctrl+=", "Ctrl+0", "Backspace", "Alt+N"):
        assert keys in app.text("shortcuts-window")
    assert app.driver.switch_to.active_element.get_attribute("id") == "shortcuts-close", "the focus is in the overlay"
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(lambda: not is_open(), "Esc closes it")
    assert app.driver.switch_to.active_element.get_attribute("id") == "dial-btn", "the focus is back where it was"
    app.el("dial-btn").send_keys("?")
    wait_for(is_open, "the overlay after ?")
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(lambda: not is_open(), "closed again")
    app.el("number").send_keys("?")
    assert not is_open() and app.el("number").get_attribute("value") == "?", "a ? typed in a field is just a ?"
