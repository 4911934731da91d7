"""The headless demo's walk (scripts/demo.sh): the app opened through tauri-driver (WebDriver, as the end-to-end
tests open it), one call by global hotkeys as an agent makes it, and a screenshot of the screen at each moment taken
only once the window shows that moment: the call card's state (#call-card[data-state], whatever the language) and
two painted frames after it. A picture is never of a window still blank or a moment behind.

Environment: DEMO_DRIVER (tauri-driver's URL), DEMO_APP, DEMO_PROFILE, DEMO_OUT, SIM_URL."""
import json
import os
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions

OUT = os.environ["DEMO_OUT"]


def wait_for(condition, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # the page may still be loading
            pass
        time.sleep(0.05)
    sys.exit(f"demo: timed out waiting for {what}")


def key(combo):
    subprocess.run(["xdotool", "key", "--delay", "150", *combo.split()], check=True)


def journal():
    with urllib.request.urlopen(f"{os.environ['SIM_URL']}/_sim/journal", timeout=5) as resp:
        return json.load(resp)


def main():
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": os.environ["DEMO_APP"],
                                          "args": ["--profile-dir", os.environ["DEMO_PROFILE"]]})
    driver = webdriver.Remote(command_executor=os.environ["DEMO_DRIVER"], options=opts)

    def attribute(element_id, name):
        return driver.execute_script(
            "const e = document.getElementById(arguments[0]); return e && e.getAttribute(arguments[1])", element_id, name)

    def shot(name, state):
        wait_for(lambda: attribute("call-card", "data-state") == state, f"the window to show {state}")
        driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));")
        subprocess.run(["import", "-window", "root", f"{OUT}/{name}.png"], check=True)

    try:
        wait_for(lambda: attribute("app", "data-screen") == "desk" and driver.execute_script(
            "return !!document.getElementById('agent-name').textContent"), "the desk, signed in")
        subprocess.run(["xclip", "-selection", "clipboard"], input="099 123 456", text=True, check=True)
        key("ctrl+alt+d")
        shot("1-in-call", "in_call")
        key("ctrl+alt+h")
        shot("2-wrap-up", "wrap_up")
        time.sleep(1)  # a human pace between the hang-up and the codes (the demo is not a test)
        key("1 1 1 Return")
        wait_for(lambda: any(e["path"].endswith("DispositionCall") for e in journal()), "the disposition on the server")
        shot("3-done", "idle")
        print("demo: what the simulator received:")
        for e in journal():
            form = dict(e["form"])
            print("  ", e["path"].split("/")[-1], form.get("destination") or form.get("l1") or "")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
