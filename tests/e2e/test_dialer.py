"""The Dialer screen (schedules, removals, dialer tasks) and click-to-dial links, against the simulator."""
import json
import os
import subprocess
from pathlib import Path
from datetime import datetime, timedelta

from selenium.webdriver.common.keys import Keys

from conftest import APP, screenshot, signed_in, wait_for



def set_value(app, element_id, value):
    """datetime-local inputs take no typed text under WebDriver: set the value as the picker would."""
    app.driver.execute_script(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input', {bubbles: true}));", element_id, value)


def submitted(sim, endpoint, field):
    entry = wait_for(lambda: sim.journal(endpoint), endpoint)[-1]
    return json.loads(sim.fields(entry)[field]) if field else sim.fields(entry)


def test_the_dialer_screen_schedules_removes_and_inserts_tasks(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    app.el("dialer-btn").click()
    wait_for(lambda: app.visible("dialer"), "the Dialer screen")
    # Date fields are made datetime-local when first needed (ui/js/datefields.js): here, before the screen shows.
    for field in ("dts-when", "dtu-from", "dtu-to", "dtt-when"):
        assert app.el(field).get_attribute("type") == "datetime-local", field
    tomorrow = (datetime.now() + timedelta(days=1)).replace(second=0, microsecond=0)

    # The past is refused before anything is sent.
    app.el("dts-number").send_keys("099 123 456")
    set_value(app, "dts-when", "2020-01-01T10:00")
    app.el("dt-schedule").submit()
    app.wait_text("dialer-result", "past")
    assert sim.journal("Dialers/ScheduleDialerCall") == []

    set_value(app, "dts-when", tomorrow.strftime("%Y-%m-%dT%H:%M"))
    app.el("dts-alternatives").send_keys("098 111 222, 097333444")
    app.el("dts-data").send_keys("id=7:zona=norte")
    app.el("dt-schedule").submit()
    app.wait_text("dialer-result", "scheduled")
    assert submitted(sim, "Dialers/ScheduleDialerCall", "callschedule") == {
        "calldate": tomorrow.strftime("%Y-%m-%d %H:%M:%S"), "campaign": "Ventas->", "destination": "099123456",
        "alternatives": "098111222:097333444", "agentphone": "", "data": "id=7:zona=norte",
    }
    assert len(sim.state()["schedules"]) == 1

    app.el("dtu-number").send_keys("099123456")
    set_value(app, "dtu-from", tomorrow.strftime("%Y-%m-%dT00:00"))
    set_value(app, "dtu-to", tomorrow.strftime("%Y-%m-%dT23:59"))
    app.el("dt-unschedule").submit()
    app.wait_text("dialer-result", "removed")
    assert submitted(sim, "Dialers/RemoveScheduleDialerCall", None) == {
        "campaign": "Ventas->", "destination": "099123456",
        "from": tomorrow.strftime("%Y-%m-%d 00:00:00"), "to": tomorrow.strftime("%Y-%m-%d 23:59:00"),
    }
    assert sim.state()["schedules"] == [], "the simulator deleted the schedule in that range"

    app.el("dtr-number").send_keys("099 555 666")
    app.el("dt-remove").submit()
    app.wait_text("dialer-result", "099 555 666 removed from Ventas->")
    assert submitted(sim, "Dialers/RemoveContact", None) == {"campaign": "Ventas->", "number": "099555666"}

    expected = {
        "priority_now": (None, False, True, ""),
        "click_to_call": (None, False, False, ""),
        "any_time": (tomorrow.strftime("%Y-%m-%d %H:%M:%S"), True, False, ""),
        "owned_by": (None, True, False, "alice"),
    }
    app.el("dtt-number").send_keys("099777888")
    app.el("dtt-data").send_keys("idcustomer=7")
    for mode, (calldate, bulk, automatic, agent) in expected.items():
        app.driver.execute_script(
            "const s = document.getElementById('dtt-mode'); s.value = arguments[0];"
            "s.dispatchEvent(new Event('change'));", mode)
        if mode == "any_time":
            set_value(app, "dtt-when", tomorrow.strftime("%Y-%m-%dT%H:%M"))
        if mode == "owned_by":
            app.el("dtt-agent").send_keys("alice")
        before = len(sim.journal("Dialers/DialerTask"))
        app.el("dt-task").submit()
        wait_for(lambda: len(sim.journal("Dialers/DialerTask")) > before, f"DialerTask {mode}")
        task = submitted(sim, "Dialers/DialerTask", "call")
        assert (task["calldate"], task["bulk"], task["automatic"], task["agent"]) == (calldate, bulk, automatic, agent), mode
        assert (task["destination"], task["data"]) == ("099777888", "idcustomer=7")
    screenshot("20-dialer-screen", app)


def test_a_tel_link_opens_the_prefilled_dial_and_enter_calls(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    # The desktop knows the app handles tel: and callto: (what a browser's or the file manager's click runs).
    apps = Path(os.environ["XDG_DATA_HOME"]) / "applications"
    handler = wait_for(lambda: [p for p in apps.glob("*.desktop") if "x-scheme-handler/tel" in p.read_text()],
                       "the tel: handler registered with the desktop")[0].read_text()
    assert "x-scheme-handler/callto" in handler and APP in handler, handler
    second = subprocess.run([APP, "--profile-dir", str(profile), "tel:+598-99-123-456"], capture_output=True, timeout=30)
    assert second.returncode == 0, "the link went to the running app"
    wait_for(lambda: app.el("number").get_attribute("value") == "+59899123456", "the number from the link")
    app.wait_text("link-banner", "Dial +59899123456?")
    assert sim.journal("Agents/AgentCall") == [], "a link alone rings nobody"
    screenshot("21-tel-link", app)
    app.el("number").send_keys(Keys.ENTER)
    call = wait_for(lambda: sim.journal("Agents/AgentCall"), "AgentCall after Enter")[0]
    assert sim.fields(call)["destination"] == "+59899123456"
    app.wait_state("in_call")


def test_a_bad_link_is_refused_with_its_reason(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    subprocess.run([APP, "--profile-dir", str(profile), "callto:099-CALL-ME"], capture_output=True, timeout=30)
    app.wait_text("status", "letters are not allowed in a phone number")
    assert app.el("number").get_attribute("value") == ""
    assert sim.journal("Agents/AgentCall") == []


def test_with_the_setting_a_link_dials_at_once(sim, profile, launch):
    app = signed_in(sim, profile, launch, dial_links_at_once=True)
    subprocess.run([APP, "--profile-dir", str(profile), "callto://099123456"], capture_output=True, timeout=30)
    call = wait_for(lambda: sim.journal("Agents/AgentCall"), "AgentCall from the link")[0]
    assert sim.fields(call)["destination"] == "099123456"
    app.wait_state("in_call")
