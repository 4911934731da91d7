"""Living on the desktop: one instance only, and hotkeys that another program already holds are named."""
import os
import subprocess

from Xlib import X, XK, display

from conftest import APP, screenshot, wait_for, write_settings, xdo


def test_a_second_launch_exits_and_focuses_the_first(sim, profile, launch, crm_window):
    write_settings(profile, sim.url)
    app = launch(profile)
    wait_for(lambda: app.visible("signin"), "the first instance")
    window = wait_for(lambda: xdo("search", "--onlyvisible", "--name", "^uContact Agent Companion$").split()[0], "its window")
    xdo("windowunmap", "--sync", window)
    xdo("windowfocus", "--sync", crm_window)
    second = subprocess.run([APP, "--profile-dir", str(profile)], capture_output=True, timeout=30)
    assert second.returncode == 0
    wait_for(lambda: xdo("search", "--onlyvisible", "--name", "^uContact Agent Companion$"), "the first window to be shown again")
    wait_for(lambda: xdo("getwindowfocus", "getwindowname") == "uContact Agent Companion", "the first window to get the focus")


def test_a_hotkey_taken_by_another_program_is_reported_by_name(sim, profile, launch):
    # Another program grabs Ctrl+Alt+D first, as a second softphone or a desktop shortcut would.
    x = display.Display()
    root = x.screen().root
    keycode = x.keysym_to_keycode(XK.string_to_keysym("d"))
    for extra in (0, X.Mod2Mask, X.LockMask, X.Mod2Mask | X.LockMask):
        root.grab_key(keycode, X.ControlMask | X.Mod1Mask | extra, True, X.GrabModeAsync, X.GrabModeAsync)
    x.sync()
    try:
        write_settings(profile, sim.url)
        app = launch(profile)
        wait_for(lambda: app.visible("signin"), "the app")
        report = wait_for(lambda: app.driver.execute_script(
            "return window.__TAURI_INTERNALS__.invoke('hotkey_status')"), "the hotkey report")
        by_action = {r["action"]: r for r in report}
        assert not by_action["dial"]["registered"]
        assert by_action["dial"]["problem"]["code"] == "hotkey_in_use"
        assert "Ctrl+Alt+D could not be registered" in by_action["dial"]["problem"]["message"]
        assert by_action["hang_up"]["registered"], "the other hotkeys still work"
        log = (os.environ["E2E_ARTIFACTS"] + "/notifications.log")
        wait_for(lambda: "Ctrl+Alt+D could not be registered" in open(log).read(), "a notification naming the hotkey")
        screenshot("08-hotkey-taken", app)
    finally:
        x.close()


def test_the_page_can_call_only_the_apps_own_commands(sim, profile, launch):
    app = launch(profile)
    wait_for(lambda: app.visible("signin"), "the app")
    call = """
        const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(() => done('allowed'), (e) => done('denied: ' + e));
    """
    assert app.driver.execute_async_script(call, "status", {}) == "allowed"
    grab = app.driver.execute_async_script(call, "plugin:global-shortcut|register", {"shortcuts": ["Ctrl+Alt+X"]})
    assert grab.startswith("denied"), grab
    unknown = app.driver.execute_async_script(call, "plugin:autostart|disable", {})
    assert unknown.startswith("denied"), unknown
