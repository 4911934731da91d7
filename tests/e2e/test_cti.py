"""Dialer calls with CTI: the CTI card, the respool editor under the dialer's rules, each disposition leaf's
dialer action, encrypted CTI, and the browser bridge — checked in the simulator's journal."""
import json
import subprocess
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

from selenium.webdriver.common.keys import Keys

from conftest import ROOT, free_port, screenshot, signed_in, wait_for

CTI = {
    "Guid": "dialer-guid-1", "Campaign": "Ventas->", "Callerid": "099123456", "Form": "ventas", "Screen": "TRUE",
    "Answer": "FALSE", "ParAndValues": "id=7",
    "campaign": "Ventas->", "destination": "099123456", "dialerbase": "base-nov", "status": 1,
    "data": "id=7:zona=norte", "alternatives": "098111222:097333444", "contact": 222, "retries": 2,
    "priority": 5, "agentphone": "1001",
}



def paste_cti(app, text):
    app.driver.execute_script("document.getElementById('cti-paste').open = true;")
    app.driver.execute_script("document.getElementById('cti-text').value = arguments[0];", text)
    app.el("cti-load").click()


def dialer_call_in_wrap_up(app):
    paste_cti(app, json.dumps(CTI))
    try:
        app.wait_state("in_call")
    except AssertionError as err:
        # Once seen under load in a full run (not reproduced): say what the window said.
        raise AssertionError(f"{err}; status line: {app.text('status')!r}; call card: {app.text('call-card')!r}") from err
    app.wait_text("call-guid", "dialer-guid-1")
    app.el("hangup-btn").click()
    app.wait_state("wrap_up")
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    return app.el("dispo-filter")


def journal_json(sim, endpoint, field):
    return [json.loads(sim.fields(e)[field]) for e in sim.journal(endpoint)]


def test_a_dialer_call_shows_its_cti_and_respools_to_an_alternative(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    paste_cti(app, json.dumps(CTI))
    app.wait_state("in_call")
    app.wait_text("cti-facts", "098111222 · 097333444")
    app.wait_text("cti-facts", "base-nov")
    app.el("respool-btn").click()
    wait_for(lambda: app.visible("respool-form"), "the respool editor")
    app.wait_text("respool-main-note", "already on the spool")
    assert not app.el("respool-submit").is_enabled(), "the number just called cannot be respooled"
    assert "base-nov" in app.text("respool-readonly") and "Ventas->" in app.text("respool-readonly")
    screenshot("30-respool-editor", app)
    app.el("respool-alts").send_keys("p")            # the highlighted (first) alternative becomes the main number
    app.wait_text("respool-main", "098111222")
    wait_for(lambda: app.el("respool-retries").get_attribute("value") == "0", "retries 0 for the new main number")
    app.el("respool-alts").send_keys(Keys.ARROW_DOWN)  # the second alternative…
    app.el("respool-alts").send_keys(Keys.ALT, Keys.ARROW_UP)  # …moves up
    wait_for(lambda: app.text("respool-alts").startswith("097333444"), "the alternatives reordered")
    priority = app.el("respool-priority")
    app.driver.execute_script("arguments[0].select();", priority)
    priority.send_keys("1", Keys.TAB)
    app.wait_text("respool-error", "priority 1 is reserved for scheduled calls")
    app.driver.execute_script("arguments[0].select();", priority)
    priority.send_keys("7", Keys.TAB)
    wait_for(lambda: app.text("respool-error") == "", "the refusal to clear once the priority is valid")
    app.el("respool-submit").click()
    [spool] = wait_for(lambda: journal_json(sim, "Dialers/Respool", "callspool"), "Respool")
    assert spool == {
        "campaign": "Ventas->", "destination": "098111222", "dialerbase": "base-nov", "status": 1,
        "data": "id=7:zona=norte", "alternatives": "097333444:099123456", "contact": 222, "retries": 0,
        "priority": 7, "agentphone": "1001",
    }
    wait_for(lambda: not app.visible("respool-form"), "the editor closes")


def test_respool_alternative_goes_after_its_disposition(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    box = dialer_call_in_wrap_up(app)
    box.send_keys("2")   # No contactado
    box.send_keys("1")   # Ocupado → RESPOOLALTERNATIVE
    box.send_keys(Keys.ENTER)
    [spool] = wait_for(lambda: journal_json(sim, "Dialers/Respool", "callspool"), "Respool")
    assert (spool["destination"], spool["retries"], spool["alternatives"]) == ("098111222", 0, "099123456:097333444")
    [dispo] = sim.journal("api/DispositionCall")
    [respool] = sim.journal("Dialers/Respool")
    assert dispo["seq"] < respool["seq"], "the dialer action follows its disposition"
    assert (sim.fields(dispo)["guid"], sim.fields(dispo)["l2"]) == ("dialer-guid-1", "Ocupado")


def test_respool_leaf_opens_the_editor_after_the_disposition(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    box = dialer_call_in_wrap_up(app)
    box.send_keys("2")   # No contactado
    box.send_keys("2")   # No contesta → RESPOOL
    box.send_keys(Keys.ENTER)
    wait_for(lambda: sim.journal("api/DispositionCall"), "DispositionCall")
    wait_for(lambda: app.visible("respool-form"), "the editor after the disposition")
    app.el("respool-alts").send_keys("p")
    app.wait_text("respool-main", "098111222")
    app.el("respool-alts").send_keys(Keys.ENTER)
    [spool] = wait_for(lambda: journal_json(sim, "Dialers/Respool", "callspool"), "Respool")
    assert spool["destination"] == "098111222"


def test_blacklist_leaves_ask_first(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    box = dialer_call_in_wrap_up(app)
    for key in ("1", "2", "2"):   # Contactado / No interesado / Ya tiene → BLACKLIST
        box.send_keys(key)
    box.send_keys(Keys.ENTER)
    wait_for(lambda: app.visible("dispo-confirm"), "the confirmation")
    app.wait_text("dispo-question", "099123456")
    assert sim.journal("api/DispositionCall") == [], "nothing is sent before the agent says yes"
    screenshot("31-blacklist-confirm", app)
    app.el("dispo-confirm-yes").click()
    [black] = wait_for(lambda: journal_json(sim, "admin/addblack", "black"), "addblack")
    assert black == {"phone": "099123456", "campaign": "Ventas->", "username": "alice"}
    assert sim.fields(sim.journal("api/DispositionCall")[0])["l3"] == "Ya tiene"
    app.wait_state("idle")


def test_blacklist_all_bars_every_campaign(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    box = dialer_call_in_wrap_up(app)
    box.send_keys("2")   # No contactado
    box.send_keys("4")   # No llamar nunca → BLACKLIST_ALL
    box.send_keys(Keys.ENTER)
    app.wait_text("dispo-question", "every campaign")
    app.el("dispo-confirm-yes").click()
    [black] = wait_for(lambda: journal_json(sim, "admin/addblack", "black"), "addblack")
    assert (black["phone"], black["campaign"]) == ("099123456", "*")


def test_schedule_leaf_requires_a_future_date(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    box = dialer_call_in_wrap_up(app)
    box.send_keys("3")   # Volver a llamar
    box.send_keys("1")   # Agendar → SCHEDULE: the date field takes the focus
    wait_for(lambda: app.driver.execute_script("return document.activeElement.id") == "dispo-schedule", "the date field")
    app.el("dispo-submit").click()
    app.wait_text("status", "pick a date and time")
    assert sim.journal("api/DispositionCall") == []
    when = (datetime.now() + timedelta(days=2)).replace(hour=10, minute=30, second=0, microsecond=0)
    app.driver.execute_script("document.getElementById('dispo-schedule').value = arguments[0];", when.strftime("%Y-%m-%dT%H:%M"))
    app.el("dispo-submit").click()
    [call] = wait_for(lambda: journal_json(sim, "Dialers/ScheduleDialerCall", "callschedule"), "ScheduleDialerCall")
    assert call == {
        "calldate": when.strftime("%Y-%m-%d %H:%M:%S"), "campaign": "Ventas->", "destination": "099123456",
        "alternatives": "098111222:097333444", "agentphone": "1001", "data": "id=7:zona=norte",
    }
    dispo = sim.fields(sim.journal("api/DispositionCall")[0])
    assert (dispo["schedule"], dispo["camptoreschedule"]) == (when.strftime("%Y-%m-%d %H:%M:%S"), "Ventas->")


def test_an_encrypted_cti_blob_is_read_with_the_saved_passphrase(sim, profile, launch):
    vectors = json.loads((ROOT / "crates/cti/tests/vectors/cti-vectors.json").read_text())
    vector = next(v for v in vectors["vectors"] if v["scheme"] == "cryptojs_passphrase" and "7f3c2a9e" in v["plaintext"])
    app = signed_in(sim, profile, launch)
    paste_cti(app, vector["blob"])
    app.wait_text("status", "no CTI passphrase is saved")
    app.el("settings-btn").click()
    wait_for(lambda: app.visible("settings"), "settings")
    app.el("set-cti-pass").send_keys(vector["passphrase"])
    app.click_in_view("cti-secret-save")
    app.wait_text("status", "saved in the keychain")
    found = subprocess.run(["secret-tool", "lookup", "service", "ucontact-agent-companion", "username", "cti-passphrase"],
                           capture_output=True, text=True).stdout
    assert found == vector["passphrase"], "the passphrase is in the keychain"
    assert vector["passphrase"] not in (profile / "config" / "settings.toml").read_text()
    app.el("settings-close").click()
    paste_cti(app, vector["blob"][:-8])   # a copy that missed its end
    app.wait_text("status", "the encrypted CTI is cut short")
    assert app.attribute("call-card", "data-state") == "idle"
    paste_cti(app, vector["blob"])
    app.wait_text("call-guid", "7f3c2a9e-1b4d-4e8f-9a0c-2d5e6f708192")
    app.wait_text("cti-facts", "Montevideo")


def bridge_post(port, path, body, token, origin="http://portal.test"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST",
                                 headers={"Content-Type": "application/json", "Origin": origin, "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def test_a_paired_page_pushes_cti_and_actions_through_the_bridge(sim, profile, launch):
    port = free_port()
    app = signed_in(sim, profile, launch, f'\n[bridge]\nenabled = true\nport = {port}\nallowed_origins = ["http://portal.test"]\n')
    token = wait_for(lambda: app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI_INTERNALS__.invoke('bridge_pairing', {rotate: false}).then(done, () => done(null));"), "the pairing code")
    assert bridge_post(port, "/v1/cti", {"CTI": CTI}, "not-the-code")[0] == 401
    assert bridge_post(port, "/v1/cti", {"CTI": CTI}, token, origin="http://evil.test")[0] == 403
    assert bridge_post(port, "/v1/cti", b"{not json", token)[0] == 400
    assert bridge_post(port, "/v1/cti", b"x" * (70 * 1024), token)[0] == 413
    assert app.attribute("call-card", "data-state") == "idle", "nothing refused reached the desk"
    status, body = bridge_post(port, "/v1/cti", {"CTI": json.dumps(CTI)}, token)
    assert status == 200, body
    app.wait_text("call-guid", "dialer-guid-1")
    app.wait_text("cti-source", "from a paired page")
    status, body = bridge_post(port, "/v1/action", {"action": "tag", "guid": "dialer-guid-1", "message": "VIP"}, token)
    assert status == 200, body
    assert sim.fields(sim.journal("Agents/TagRecord")[0])["data"] == "VIP"
    status, body = bridge_post(port, "/v1/action", {"action": "respool", "objetoRespool": {**{k: v for k, v in CTI.items() if k[0].islower()}}}, token)
    assert status == 422 and "spool" in body["message"], body
    status, body = bridge_post(port, "/v1/action", {"action": "hangup"}, token)
    assert status == 200, body
    app.wait_state("wrap_up")


def test_nothing_listens_when_the_bridge_is_off(sim, profile, launch):
    signed_in(sim, profile, launch)
    pid = subprocess.run(["pgrep", "-n", "-f", "--", f"--profile-dir {profile}"], capture_output=True, text=True).stdout.strip()
    assert pid, "the app's process"
    # Under WebDriver the webview listens for the driver on the port WebKitWebDriver gave it (the harness's, not
    # the app's); anything else the app listens on would be the bridge.
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    inspector = next((e.split(b"=", 1)[1].decode() for e in environ if e.startswith(b"WEBKIT_INSPECTOR_SERVER=")), None)
    listening = [line.split()[3] for line in subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout.splitlines()
                 if f"pid={pid}," in line]
    assert [addr for addr in listening if addr != inspector] == [], (listening, inspector)
    assert subprocess.run(["ss", "-ltnH", "sport = :47813"], capture_output=True, text=True).stdout.strip() == "", "the default bridge port is free"
