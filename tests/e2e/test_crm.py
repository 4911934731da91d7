"""The CRM beside the call, on the real app: the screen pop reaches the default browser (tests/e2e/browser, a
recorder registered for https in this run's XDG folders) once per call with every value encoded, `O` on the call
card opens it again, Settings previews a template and refuses a bad one by name; IT's hooks (policy file) get the
call in their environment and a hanging one is killed without holding up the desk; a paired CRM page in
WebKitGTK's MiniBrowser hears the call's moments in order through the bridge."""
import os
import time
import urllib.parse
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from conftest import ARTIFACTS, app_pid, free_port, screenshot, signed_in, tray_click, wait_for
from test_callbacks import hang_up_and_file, into_call
from test_cti import bridge_post

BROWSER_LOG = Path(os.environ["E2E_BROWSER_LOG"])
POLICY = Path(os.environ["UCAC_POLICY_FILE"])
TEMPLATE = "https://crm.example.com/search?phone={number}&call={guid}&campaign={campaign}&agent={agent}"


def popped():
    """The URLs the recording browser was given, in order."""
    return BROWSER_LOG.read_text().splitlines() if BROWSER_LOG.exists() else []


def screen_pop(url=TEMPLATE, when="answer"):
    return f'\n[screen_pop]\n[[screen_pop.templates]]\nurl = "{url}"\nwhen = "{when}"\n'


@pytest.fixture
def policy_file():
    yield POLICY
    POLICY.unlink(missing_ok=True)


def test_a_call_pops_the_crm_once_with_its_values_encoded_and_o_opens_it_again(sim, profile, launch):
    before = len(popped())
    app = signed_in(sim, profile, launch, screen_pop())
    app.el("number").send_keys("099 555 123")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    guid = sim.journal("Agents/AgentCall")[0]["response"]
    [url] = wait_for(lambda: popped()[before:], "the CRM's URL in the default browser")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query == {"phone": ["099555123"], "call": [guid], "campaign": ["Ventas->"], "agent": ["alice"]}, url
    assert "campaign=Ventas-%3E&" in url, "the value is percent-encoded, '>' included"

    app.el("hangup-btn").click()
    app.wait_state("wrap_up")
    # The desk's events for the same call (hang-up, wrap-up) open no second tab.
    app.driver.execute_script("document.getElementById('call-card').focus()")
    app.el("call-card").send_keys("o")
    wait_for(lambda: len(popped()) == before + 2, "the URL opened again by O")
    assert popped()[-1] == url
    screenshot("90-crm-open-again", app)
    # And from the tray, as from another window.
    tray_click(app_pid(profile), "Open in CRM")
    wait_for(lambda: len(popped()) == before + 3, "the URL opened again from the tray")
    assert popped()[-1] == url


def test_settings_previews_a_template_and_refuses_an_unknown_field_by_name(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    app.el("settings-btn").click()
    app.wait_screen("settings")
    app.click_in_view("crm-add")
    url = app.el("crm-url-0")
    url.send_keys("https://crm.example.com/c?q={cti.data.customer_id}&n={number}")
    app.wait_text("crm-preview-0", "https://crm.example.com/c?q=C-42&n=")
    screenshot("91-settings-crm-preview", app)
    url.clear()
    url.send_keys("https://crm.example.com/c?q={phone}")
    app.wait_text("crm-preview-0", "{phone}")
    url.clear()
    url.send_keys("ftp://crm.example.com/{number}")
    app.wait_text("crm-preview-0", "ftp")
    app.el("settings-form").submit()
    wait_for(lambda: "ftp" in app.text("settings-error"), "the save refused, the scheme named")
    assert "ftp://" not in (profile / "config" / "settings.toml").read_text(), "the refused address is not saved"


def write_hook(path, body):
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def test_a_hook_gets_the_call_in_its_environment_and_a_hanging_hook_is_killed_without_holding_the_desk(
        sim, profile, launch, policy_file, tmp_path):
    record = tmp_path / "hook.env"
    hook = write_hook(tmp_path / "crm-hook", f'env | grep ^UCAC_ >> "{record}"\necho --- >> "{record}"\n')
    hang_pid = tmp_path / "hang.pid"
    hang = write_hook(tmp_path / "hang-hook", f'echo $$ > "{hang_pid}"\nexec sleep 600\n')
    policy_file.write_text(
        f'[[hooks]]\non = ["answered"]\ncommand = "{hook}"\n\n'
        f'[[hooks]]\non = ["dialing"]\ncommand = "{hang}"\ntimeout_seconds = 2\n\n'
        '[[hooks]]\non = ["ended"]\ncommand = "relative/path"\n')
    app = signed_in(sim, profile, launch)
    app.el("number").send_keys("099 555 123")
    app.el("dial-btn").click()
    app.wait_state("in_call")  # the hanging hook started at `dialing` did not hold the dial
    guid = sim.journal("Agents/AgentCall")[0]["response"]
    env = wait_for(lambda: record.exists() and "---" in record.read_text() and record.read_text(), "the hook's environment")
    values = dict(line.split("=", 1) for line in env.splitlines() if "=" in line)
    assert values["UCAC_EVENT"] == "answered"
    assert (values["UCAC_NUMBER"], values["UCAC_GUID"], values["UCAC_CAMPAIGN"]) == ("099555123", guid, "Ventas->")
    assert values["UCAC_AGENT"] == "alice"

    pid = int(wait_for(lambda: hang_pid.exists() and hang_pid.read_text().strip(), "the hanging hook to start"))
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower(),
             "the hanging hook killed at its timeout", timeout=10)
    app.el("hangup-btn").click()
    app.wait_state("wrap_up")

    # The relative command was refused when the policy was read, and Settings names it.
    app.el("settings-btn").click()
    app.wait_screen("settings")
    wait_for(lambda: "hooks[2]" in app.text("policy-problems") and "relative/path" in app.text("policy-problems"),
             "the refused hook named in Settings")


def test_a_paired_crm_page_hears_the_call_in_order(sim, profile, launch, browser):
    port = free_port()
    app = signed_in(sim, profile, launch, f'\n[bridge]\nenabled = true\nport = {port}\nallowed_origins = ["{sim.url}"]\n')
    token = wait_for(lambda: app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI_INTERNALS__.invoke('bridge_pairing', {rotate: false}).then(done, () => done(null));"), "the pairing code")
    # The example page reads the pairing the bridge page keeps in its origin's localStorage.
    browser.get(f"{sim.url}/_sim/bridge/companion-bridge.html")
    browser.execute_script("localStorage.setItem('ucontactCompanionBridge.token', arguments[0]);"
                           "localStorage.setItem('ucontactCompanionBridge.port', arguments[1]);", token, str(port))
    browser.get(f"{sim.url}/_sim/bridge/examples/crm-events.html")
    wait_for(lambda: browser.find_element("id", "state").text.startswith("open"), "the page subscribed")

    app.el("number").send_keys("099 555 123")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    app.el("hangup-btn").click()
    app.wait_state("wrap_up")
    filter_box = app.el("dispo-filter")
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    filter_box.send_keys("1")
    filter_box.send_keys("venta")
    filter_box.send_keys(Keys.ENTER)
    filter_box.send_keys("2")
    filter_box.send_keys(Keys.ENTER)
    app.wait_state("idle")

    def heard():
        """The page's lines, oldest first: '#<id> <at> <event> [<number> (<campaign>)] [→ <disposition>]'."""
        return [li.text for li in reversed(browser.find_elements("css selector", "#events li"))]
    lines = wait_for(lambda: any(" filed " in line for line in heard()) and heard(), "the filed event on the page")
    names = [line.split()[2] for line in lines]
    assert names == ["dialing", "answered", "ended", "wrap_up", "filed"], lines
    assert "099555123 (Ventas->)" in lines[1], lines
    assert "→ Contactado" in lines[4], lines
    ids = [int(line.split()[0][1:]) for line in lines]
    assert ids == sorted(ids), "in the order they happened"


def test_a_browser_that_cannot_start_is_said_and_the_call_goes_on(sim, profile, launch):
    # No browser: the https handler names a program that is not installed, the recorder is gone (xdg-mime would
    # find it by its MimeType), and BROWSER=false (run.sh) keeps xdg-open from looking for known browsers.
    mimeapps = Path(os.environ["XDG_CONFIG_HOME"]) / "mimeapps.list"
    recorder = Path(os.environ["XDG_DATA_HOME"]) / "applications" / "e2e-browser.desktop"
    kept = mimeapps.read_text()
    mimeapps.write_text("[Default Applications]\nx-scheme-handler/https=no-such-browser.desktop\n")
    recorder.rename(recorder.with_suffix(".away"))
    try:
        log = ARTIFACTS / "notifications.log"
        start = log.stat().st_size if log.exists() else 0
        before = len(popped())
        app = signed_in(sim, profile, launch, screen_pop())
        app.el("number").send_keys("099 555 123")
        app.el("dial-btn").click()
        app.wait_state("in_call")
        app.wait_text("status", "the default browser did not start")
        wait_for(lambda: "The CRM could not be opened" in log.read_text()[start:], "the notification")
        assert len(popped()) == before
        app.el("hangup-btn").click()
        app.wait_state("wrap_up")  # the call went on
    finally:
        mimeapps.write_text(kept)
        recorder.with_suffix(".away").rename(recorder)


def test_a_portal_call_pops_at_ring_once_though_its_event_is_sent_again(sim, profile, launch):
    port = free_port()
    before = len(popped())
    ring_pop = screen_pop("https://crm.example.com/in?from={number}&call={guid}&q={campaign}", when="ring")
    app = signed_in(sim, profile, launch, ring_pop.replace("when = ", 'direction = "inbound"\nwhen = ')
                    + f'\n[bridge]\nenabled = true\nport = {port}\nallowed_origins = ["http://portal.test"]\n')
    token = wait_for(lambda: app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI_INTERNALS__.invoke('bridge_pairing', {rotate: false}).then(done, () => done(null));"), "the pairing code")
    ringing = {"action": "gettingCall", "params": {"guid": "portal-guid-9", "campaign": "Soporte<-",
                                                   "number": "099 777 888", "direction": "inbound"}}
    status, body = bridge_post(port, "/v1/event", ringing, token)
    assert status == 200, body
    app.wait_text("call-guid", "portal-guid-9")
    [url] = wait_for(lambda: popped()[before:], "the CRM's URL at ring")
    assert url == "https://crm.example.com/in?from=099777888&call=portal-guid-9&q=Soporte%3C-", url
    # The portal sends the same event again (a reconnect, a reload): no second tab.
    status, body = bridge_post(port, "/v1/event", ringing, token)
    assert status == 200, body
    app.el("hangup-btn").click()
    app.wait_state("wrap_up")
    assert popped()[before:] == [url]


def test_a_dial_template_pops_each_call_to_the_same_number(sim, profile, launch):
    before = len(popped())
    app = signed_in(sim, profile, launch, screen_pop("https://crm.example.com/dial?to={number}", when="dial"))
    for n in (1, 2):
        into_call(app, "099 555 123")
        wait_for(lambda: len(popped()) == before + n, f"call {n}'s URL at dial")
        hang_up_and_file(app)
    assert popped()[before:] == ["https://crm.example.com/dial?to=099555123"] * 2
