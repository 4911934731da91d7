"""The wrap-up time limit in the real app: the countdown on the form, "+N s", the campaign's timeout code filed at
zero with a comment that says it was automatic and keeps what the agent typed, the agent told in the window and by
a notification (captured on D-Bus), and a restart in the middle of the countdown that still files it."""
import re
import subprocess
from pathlib import Path

from selenium.webdriver.common.keys import Keys
from conftest import dial_and_hang_up, single_instance_released, ARTIFACTS, app_pid, screenshot, signed_in, wait_for

LIMIT = """
[wrap_up_limit]
timeout_code = ["No contactado", "Ocupado"]
extension_seconds = 2
max_extensions = 1

[wrap_up_limit.campaigns."Ventas->"]
seconds = {seconds}
"""


def into_wrap_up(app, number):
    dial_and_hang_up(app, number)
    wait_for(lambda: app.visible("wrapup-clock"), "the countdown on the disposition form")


def type_note(app, text):
    app.driver.execute_script("document.getElementById('dispo-more').open = true;")
    app.el("dispo-comment").send_keys(text)


def test_at_zero_the_timeout_code_is_filed_with_what_the_agent_typed(sim, profile, launch):
    app = signed_in(sim, profile, launch, extra_config=LIMIT.format(seconds=4))
    into_wrap_up(app, "099123456")
    app.wait_text("wrapup-left", "s left")
    app.wait_text("wrapup-extend", "+2 s")
    app.el("wrapup-extend").click()
    wait_for(lambda: not app.el("wrapup-extend").is_enabled(), "no extension left (max 1)")
    type_note(app, "pidió la tarjeta oro")
    screenshot("63-wrapup-countdown", app)
    filed = wait_for(lambda: sim.journal("api/DispositionCall"), "the automatic disposition", timeout=20)
    fields = sim.fields(filed[0])
    assert (fields["l1"], fields["l2"], fields["l3"]) == ("No contactado", "Ocupado", "")
    assert fields["comment"] == ("Automatic disposition: the wrap-up time (6 s) ran out. "
                                 "Agent's note: pidió la tarjeta oro")
    assert fields["callerid"] == "099123456"
    app.wait_state("idle")
    app.wait_text("status", "wrap-up time ran out")
    log = ARTIFACTS / "notifications.log"
    wait_for(lambda: re.search(r'string "Wrap-up time ran out"', log.read_text()), "the notification on D-Bus")
    assert "No contactado / Ocupado" in log.read_text()


def test_a_campaign_without_a_limit_has_no_countdown(sim, profile, launch):
    app = signed_in(sim, profile, launch, extra_config=LIMIT.format(seconds=4))
    app.driver.execute_script("const s = document.getElementById('campaign'); s.value = 'Cobranzas->';"
                              "s.dispatchEvent(new Event('change'));")
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    app.el("hangup-btn").click()
    app.wait_state("wrap_up")
    wait_for(lambda: app.visible("dispo-form"), "the form")
    assert not app.visible("wrapup-clock")


def test_a_restart_during_the_countdown_still_files_the_timeout_code(sim, profile, launch):
    app = signed_in(sim, profile, launch, extra_config=LIMIT.format(seconds=6))
    into_wrap_up(app, "099765432")
    guid = app.text("call-guid")
    type_note(app, "cortó antes de terminar")
    wait_for(lambda: app.driver.execute_script("return document.getElementById('wrapup-clock').dataset.kept")
             == "cortó antes de terminar", "the note kept on disk")
    pid = app_pid(profile)
    app.quit()
    # The next launch must not meet the old one still leaving (it would hand over to it and exit).
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(),
             "the first app to be gone", timeout=10)
    wait_for(single_instance_released, "the first app's single-instance name to be released", timeout=10)
    assert not sim.journal("api/DispositionCall")
    again = launch(profile)
    again.wait_text("agent-name", "Alice Agent", timeout=30)
    filed = wait_for(lambda: sim.journal("api/DispositionCall"), "the timeout code after the restart", timeout=20)
    fields = sim.fields(filed[0])
    assert fields["guid"] == guid
    assert (fields["l1"], fields["callerid"], fields["campaign"]) == ("No contactado", "099765432", "Ventas->")
    assert fields["comment"] == ("Automatic disposition: the wrap-up time (6 s) ran out. "
                                 "Agent's note: cortó antes de terminar")


FAILED_DIALS = """
[wrap_up_limit]
timeout_code = ["No contactado", "Ocupado"]
failed_dial_seconds = {seconds}
"""


def failed_dial(app, sim, number):
    sim.faults(zero_next=1, path_contains="AgentCall")
    app.el("number").clear()
    app.el("number").send_keys(number)
    app.el("dial-btn").click()
    app.wait_state("wrap_up")
    wait_for(lambda: app.visible("dispo-attempt"), "the failed attempt's wrap-up")
    assert "was not placed" in app.text("dispo-attempt-why")
    assert "check the number and the campaign" in app.text("dispo-attempt-why")


def test_a_failed_dial_can_be_filed_or_left_when_the_setting_asks(sim, profile, launch):
    app = signed_in(sim, profile, launch, extra_config=FAILED_DIALS.format(seconds=0))
    failed_dial(app, sim, "099123456")
    assert not app.visible("wrapup-clock"), "0: no time limit"
    guid = app.text("call-guid")
    app.el("dispo-filter").send_keys("1", "1", "1", Keys.ENTER)
    app.wait_state("idle")
    filed = wait_for(lambda: sim.journal("api/DispositionCall"), "the attempt's disposition")
    fields = sim.fields(filed[0])
    assert (fields["callerid"], fields["guid"]) == ("099123456", guid)
    assert not app.visible("dispo-attempt")

    failed_dial(app, sim, "099765432")
    app.el("attempt-discard").click()
    app.wait_state("idle")
    assert len(sim.journal("api/DispositionCall")) == 1, "nothing filed for the attempt left"


def test_a_failed_dial_short_wrap_up_files_the_timeout_code(sim, profile, launch):
    app = signed_in(sim, profile, launch, extra_config=FAILED_DIALS.format(seconds=3))
    failed_dial(app, sim, "099123456")
    wait_for(lambda: app.visible("wrapup-clock"), "the short countdown")
    filed = wait_for(lambda: sim.journal("api/DispositionCall"), "the automatic disposition", timeout=20)
    fields = sim.fields(filed[0])
    assert (fields["l1"], fields["l2"], fields["callerid"]) == ("No contactado", "Ocupado", "099123456")
    assert fields["comment"].startswith("Automatic disposition: the wrap-up time (3 s) ran out.")
    app.wait_state("idle")
