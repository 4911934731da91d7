"""The machine-wide policy (UCAC_POLICY_FILE, set by session.sh to a scratch path) on the real app: a preset server
URL, a locked hotkey shown read-only and refused by the save command, a broken part named in Settings, and a
disposition tree from the shared URL source in the disposition form."""
import json
import os
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from conftest import screenshot, wait_for

POLICY = Path(os.environ["UCAC_POLICY_FILE"])

SHARED_TREE = {"campaign": "Ventas->", "l1": [
    {"name": "Desde la intranet", "l2": [{"name": "Agendar", "action": "SCHEDULE"}, {"name": "Venta"}]},
    {"name": "Sin respuesta"},
]}


@pytest.fixture
def policy_file():
    yield POLICY
    POLICY.unlink(missing_ok=True)


def serve_tree(sim, campaign, tree):
    """The simulator serves the file at /_sim/files/trees/<campaign>.json, as an intranet server would."""
    name = urllib.parse.quote(f"{campaign}.json", safe="")
    req = urllib.request.Request(f"{sim.url}/_sim/files/trees/{name}", data=json.dumps(tree).encode(), method="PUT")
    urllib.request.urlopen(req, timeout=5).read()


def invoke(app, command, args):
    """Calls a command as the window would; returns {ok, value} or {ok: false, error: {code, message}}."""
    return app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])"
        ".then((value) => done({ok: true, value}), (error) => done({ok: false, error}));",
        command, args,
    )


def test_policy_presets_locks_names_a_broken_part_and_brings_the_shared_tree(sim, profile, launch, policy_file):
    for local in (profile / "config" / "dispositions").glob("*.toml"):
        local.unlink()  # no local override: the tree must come from the shared URL
    serve_tree(sim, "Ventas->", SHARED_TREE)
    policy_text = f"""locked = ["server_url", "hotkeys.dial"]
[settings]
server_url = "{sim.url}"
campaigns = ["Ventas->"]
default_campaign = "Ventas->"
colour = "blue"
[settings.identity]
callerid = "59821234567"
[settings.hotkeys]
dial = "Ctrl+Alt+K"
[settings.trees]
server = false
shared = "{sim.url}/_sim/files/trees/{{campaign}}.json"
"""
    policy_file.write_text(policy_text)
    policy_file.chmod(0o444)

    app = launch(profile)
    wait_for(lambda: app.visible("signin"), "the sign-in screen")
    server = app.el("server-url")
    wait_for(lambda: server.get_attribute("value") == sim.url, "the server URL preset by the policy")
    wait_for(lambda: not server.is_enabled(), "the locked server URL read-only")
    app.el("agent-user").send_keys("alice")
    app.el("password").send_keys("alice-pw")
    app.el("signin-btn").click()
    app.wait_text("agent-name", "Alice Agent")

    app.el("settings-btn").click()
    wait_for(lambda: app.visible("settings"), "Settings")
    dial = app.el("hk-dial")
    assert dial.get_attribute("value") == "Ctrl+Alt+K"
    assert not dial.is_enabled()
    assert "set by your organization" in app.driver.execute_script(
        "return document.getElementById('hk-dial').closest('label').textContent")
    assert app.el("hk-hang_up").is_enabled(), "what the policy does not lock stays the agent's"
    assert app.el("id-callerid").get_attribute("value") == "59821234567", "a preset survives the sign-in form"
    app.wait_text("policy-problems", "settings.colour: not a setting")
    assert str(policy_file) in app.text("policy-problems")
    app.wait_text("tree-sources", "Ventas->: shared file")
    screenshot("policy-settings", app)

    current = invoke(app, "get_settings", {})
    assert current["ok"]
    changed = {**current["value"], "hotkeys": {**current["value"]["hotkeys"], "dial": "Ctrl+Alt+Q"}}
    refused = invoke(app, "save_settings", {"settings": changed})
    assert not refused["ok"]
    assert refused["error"]["code"] == "locked_setting"
    assert refused["error"]["message"].startswith("hotkeys.dial is set by your organization"), refused
    settings_file = profile / "config" / "settings.toml"
    assert "Ctrl+Alt+Q" not in (settings_file.read_text() if settings_file.exists() else "")
    unlocked = {**current["value"], "hotkeys": {**current["value"]["hotkeys"], "hang_up": "Ctrl+Alt+J"}}
    assert invoke(app, "save_settings", {"settings": unlocked})["ok"], "an unlocked change saves"
    assert policy_file.read_text() == policy_text, "the app never writes the policy file"

    app.el("settings-close").click()
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    app.el("hangup-btn").click()
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    app.wait_text("dispo-options", "Desde la intranet")
    assert "Sin respuesta" in app.text("dispo-options")
    app.el("dispo-filter").send_keys("1")
    app.wait_text("dispo-options", "SCHEDULE")  # the shared file's leaf action
    screenshot("policy-shared-tree", app)
    app.el("dispo-filter").send_keys(Keys.BACKSPACE)
