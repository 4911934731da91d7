"""Callbacks in the real app: "Remind me…" on a call, the reminder's notification on D-Bus at its time (the lead
is 0 minutes here, so it comes at the callback's own time), a click on the notification (dunstctl invokes its
action) that brings the number into the dial field and Enter that dials it; a SCHEDULE leaf's callback; the list
after a restart with the missed one on top, walked with the keys (arrows, Enter, D, Delete); nothing personal in
the file in the clear."""
import json
import re
import subprocess
from datetime import datetime, timedelta

from selenium.webdriver.common.keys import Keys

from conftest import ARTIFACTS, screenshot, signed_in, wait_for
from test_cti import CTI, paste_cti


def local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def into_call(app, number):
    app.el("number").send_keys(number)
    app.el("dial-btn").click()
    app.wait_state("in_call")


def remind(app, when, note):
    app.el("remind-btn").click()
    wait_for(lambda: app.visible("remind-form"), "the Remind me form")
    wait_for(lambda: app.driver.execute_script("return document.activeElement.id") == "remind-when", "the time to have the focus")
    assert app.el("remind-when").get_attribute("type") == "datetime-local", "the time is a date and time field"
    app.driver.execute_script("document.getElementById('remind-when').value = arguments[0];", local(when))
    app.el("remind-note").send_keys(note, Keys.ENTER)
    app.wait_text("status", "Callback kept")


def hang_up_and_file(app):
    app.el("hangup-btn").click()
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    app.el("dispo-filter").send_keys("1", "1", "1", Keys.ENTER)
    app.wait_state("idle")


def dialed(sim):
    return [sim.fields(e)["destination"] for e in sim.journal("Agents/AgentCall") if e["status"] == 200]


def entries(app):
    """The list as shown: (number, missed?) per entry, top to bottom."""
    return app.driver.execute_script(
        "return [...document.querySelectorAll('#callbacks-list li[data-id]')]"
        ".map(li => [li.querySelector('strong').textContent, li.classList.contains('item-missed')])")


def focused_number(app):
    return app.driver.execute_script(
        "const li = document.activeElement.closest('#callbacks-list li'); return li && li.querySelector('strong').textContent")


def dunstctl(*args):
    return subprocess.run(["dunstctl", *args], capture_output=True, text=True, check=False)


def test_a_reminder_on_dbus_whose_click_prefills_the_number_and_enter_dials(sim, profile, launch):
    app = signed_in(sim, profile, launch, callback_reminder_minutes=0)
    into_call(app, "099 111 222")
    remind(app, datetime.now() + timedelta(seconds=20), "quiere la oferta oro")
    hang_up_and_file(app)
    wait_for(lambda: app.visible("callbacks-btn"), "the callbacks badge")
    assert app.text("callbacks-btn") == "Callbacks (1)", "one ahead, none due yet"
    log = ARTIFACTS / "notifications.log"
    assert "Call back 099111222" not in log.read_text(), "not before its time"
    # Only the reminder on screen, so the daemon's first notification is the reminder.
    dunstctl("close-all")

    wait_for(lambda: 'string "Call back 099111222"' in log.read_text(), "the reminder on D-Bus", timeout=40)
    assert re.search(r'string "Ventas-> at \d\d:\d\d — quiere la oferta oro"', log.read_text())
    app.wait_text("callbacks-btn", "Callbacks: 1 due")
    screenshot("70-callback-due", app)

    # A click on the notification: the app hears the action, comes up and prefills.
    wait_for(lambda: dunstctl("action", "0").returncode == 0 and app.el("number").get_attribute("value") == "099111222",
             "the notification's action to put the number in the dial field", timeout=20)
    app.wait_text("link-banner", "Call back 099111222? Press Enter to call")
    assert app.driver.execute_script("return document.activeElement.id") == "number"
    assert dialed(sim) == ["099111222"], "nothing dialed before Enter"
    app.el("number").send_keys(Keys.ENTER)
    wait_for(lambda: dialed(sim) == ["099111222", "099111222"], "AgentCall with the callback's number")
    app.wait_state("in_call")


def test_the_list_survives_a_restart_missed_first_and_the_keys_prefill_mark_done_and_dismiss(sim, profile, launch):
    app = signed_in(sim, profile, launch, callback_reminder_minutes=0)
    # A "Remind me" that comes and goes while the app runs: it is missed.
    into_call(app, "098 555 666")
    remind(app, datetime.now() + timedelta(seconds=25), "volver a llamar")
    hang_up_and_file(app)

    # A dialer call filed with the SCHEDULE leaf: its callback is kept with the comment as the note.
    tomorrow = (datetime.now() + timedelta(days=1)).replace(hour=10, minute=30, second=0, microsecond=0)
    paste_cti(app, json.dumps(CTI))
    app.wait_state("in_call")
    app.el("hangup-btn").click()
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    box = app.el("dispo-filter")
    box.send_keys("3", "1")  # Volver a llamar → Agendar (SCHEDULE)
    wait_for(lambda: app.driver.execute_script("return document.activeElement.id") == "dispo-schedule", "the date field")
    assert app.el("dispo-schedule").get_attribute("type") == "datetime-local", "a date and time field to call again"
    app.driver.execute_script("document.getElementById('dispo-schedule').value = arguments[0];", local(tomorrow)[:16])
    app.el("dispo-comment").send_keys("prefiere de mañana")
    app.el("dispo-submit").click()
    app.wait_state("idle")
    wait_for(lambda: sim.journal("Dialers/ScheduleDialerCall"), "the server's schedule")
    app.wait_text("callbacks-btn", "Callbacks (2)")
    # The next call's wrap-up starts clean: its 1 1 1 Enter files, the last one's date field is not in the way.
    filed = len(sim.journal("api/DispositionCall"))
    app.el("number").send_keys("097000111")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    app.el("hangup-btn").click()
    wait_for(lambda: app.visible("dispo-form"), "the next disposition form")
    assert not app.driver.execute_script("return document.getElementById('dispo-more').open"), "extra fields folded"
    app.el("dispo-filter").send_keys("1", "1", "1", Keys.ENTER)
    app.wait_state("idle")
    assert len(sim.journal("api/DispositionCall")) == filed + 1
    app.wait_attribute("callbacks-btn", "data-due", "1", timeout=40)
    app.quit()

    stored = b"".join(p.read_bytes() for p in (profile / "data").glob("callbacks.sqlite3*"))
    for personal in (b"098555666", b"099123456", "prefiere de mañana".encode(), b"volver a llamar"):
        assert personal not in stored, f"{personal!r} is sealed in the file"

    app = launch(profile)
    app.wait_text("agent-name", "Alice Agent")
    app.wait_attribute("callbacks-btn", "data-due", "1")
    app.el("callbacks-btn").click()
    wait_for(lambda: entries(app) == [["098555666", True], ["099123456", False]], "the missed one on top, then tomorrow's")
    assert "prefiere de mañana" in app.text("callbacks-list") and "missed" in app.text("callbacks-list")
    screenshot("71-callbacks-after-restart", app)
    wait_for(lambda: focused_number(app) == "098555666", "the first entry to have the focus")
    active = app.driver.switch_to.active_element
    active.send_keys(Keys.ARROW_DOWN)
    wait_for(lambda: focused_number(app) == "099123456", "↓ to the second")
    app.driver.switch_to.active_element.send_keys(Keys.ARROW_UP)
    wait_for(lambda: focused_number(app) == "098555666", "↑ back to the first")
    app.driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(lambda: app.el("number").get_attribute("value") == "098555666", "Enter to put the number in the dial field")
    assert not app.visible("callbacks-panel")
    app.driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(lambda: dialed(sim)[-1:] == ["098555666"], "AgentCall with the callback's number")
    app.wait_state("in_call")
    hang_up_and_file(app)

    app.el("callbacks-btn").click()
    wait_for(lambda: focused_number(app) == "098555666", "the list again, on the first entry")
    app.driver.switch_to.active_element.send_keys("d")
    wait_for(lambda: entries(app) == [["099123456", False]], "D to mark it done")
    app.wait_text("status", "Callback 098555666: done")
    wait_for(lambda: focused_number(app) == "099123456", "the focus on the next entry")
    app.driver.switch_to.active_element.send_keys(Keys.DELETE)
    wait_for(lambda: entries(app) == [], "Delete to dismiss it")
    app.wait_text("callbacks-list", "No callbacks.")
    wait_for(lambda: not app.visible("callbacks-btn"), "no badge with nothing on the list")
