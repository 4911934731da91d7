"""The Today screen in the real app: the day's calls from the local history (a real SQLite file) after a restart,
the number sealed in that file, the shift's figures (calls, talk, wrap-up, breaks), the keyboard (Alt+T in, type to
filter, Enter dials the number again, C copies the GUID, Esc back), a refused disposition filed from there, and a call
that ended without one filed late with the campaign's codes."""
import subprocess

from selenium.webdriver.common.keys import Keys

from conftest import screenshot, signed_in, wait_for, waiting_disposition, xdo
from test_accessibility import check


def options(app):
    """The calls listed, top to bottom: (number, delivery state, GUID)."""
    return app.driver.execute_script(
        "return [...document.querySelectorAll('#today-list [role=option][id]')].map((li) =>"
        " [li.querySelector('.today-number').textContent, li.dataset.delivery, li.dataset.guid])")


def seconds(text):
    parts = [int(p) for p in text.split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))


def open_today(app):
    """Alt+T, typed on the app's window as the agent would (the access key of the header's *Today*)."""
    window = wait_for(lambda: xdo("search", "--onlyvisible", "--name", "^uContact Agent Companion$").split()[0], "the window")
    xdo("windowfocus", "--sync", window)
    wait_for(lambda: xdo("getwindowfocus", "getwindowname") == "uContact Agent Companion", "the window to have the keyboard")
    xdo("key", "alt+t")
    app.wait_screen("today")  # from Alt+T
    wait_for(lambda: app.driver.execute_script("return document.activeElement.id") == "today-filter", "the filter to have the focus")


def a_filed_call(app, number, talk_seconds):
    app.el("number").send_keys(number)
    app.el("dial-btn").click()
    app.wait_state("in_call")
    wait_for(lambda: seconds(app.text("call-timer")) >= talk_seconds, f"{talk_seconds} s on the phone")
    app.el("hangup-btn").click()
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    app.el("dispo-filter").send_keys("1", "1", "1", Keys.ENTER)
    app.wait_state("idle")


def test_today_lists_the_calls_after_a_restart_with_figures_and_redials_and_copies_by_keyboard(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    a_filed_call(app, "099123456", 2)
    app.el("break-btn").click()
    wait_for(lambda: seconds(app.text("break-timer") or "0") >= 1, "a second on a break")
    app.el("break-end").click()
    app.wait_attribute("break-card", "data-state", "available")
    waiting_disposition(app, sim, "098765432", "llamar de tarde")
    app.quit()

    # The app is restarted: the history is read back from the data folder.
    again = launch(profile)
    again.wait_text("agent-name", "Alice Agent")
    data = (profile / "data" / "history.sqlite3").read_bytes()
    for wal in profile.glob("data/history.sqlite3-wal"):
        data += wal.read_bytes()
    assert b"099123456" not in data and b"098765432" not in data, "numbers are sealed in the history file"

    open_today(again)
    wait_for(lambda: len(options(again)) == 2, "both calls listed")
    listed = options(again)
    assert [(n, d) for n, d, _ in listed] == [("098765432", "waiting"), ("099123456", "sent")], "newest first"
    assert again.text("fig-calls") == "2"
    assert seconds(again.text("fig-talk")) >= 2
    assert seconds(again.text("fig-breaks")) >= 1
    assert seconds(again.text("fig-aht")) >= 1
    screenshot("70-today", again)
    # Each row is marked with its call: the rows are updated in place by call, not made again (dom.js fillList).
    again.driver.execute_script("document.querySelectorAll('#today-list [role=option][id]').forEach((li) => { li.dataset.mark = li.id; })")

    # C copies the GUID of the call picked (↓ from the filter picks the newest).
    again.el("today-filter").send_keys(Keys.ARROW_DOWN)
    wait_for(lambda: again.driver.execute_script("return document.activeElement.id") == "today-list", "the list to have the focus")
    again.driver.switch_to.active_element.send_keys("c")
    guid = listed[0][2]
    wait_for(lambda: subprocess.run(["xclip", "-o", "-selection", "clipboard"], capture_output=True, text=True).stdout == guid,
             "the GUID on the clipboard")
    again.wait_text("today-result", guid)

    # Typing on the list filters; Enter dials the one match again, through the desk's dial path.
    calls_before = len(sim.journal("Agents/AgentCall"))
    again.driver.switch_to.active_element.send_keys("1234")
    wait_for(lambda: [n for n, _, _ in options(again)] == ["099123456"], "the filter to keep the one call")
    assert again.el("today-filter").get_attribute("value") == "1234"
    assert again.driver.execute_script(
        "const li = document.querySelector('#today-list [role=option][id]'); return li.dataset.mark === li.id"), \
        "the call's row is the element it was before ↓, C and the filter's keys"
    again.driver.switch_to.active_element.send_keys(Keys.ENTER)
    again.wait_state("in_call")
    assert again.visible("desk") and again.el("number").get_attribute("value") == "099123456"
    dialed = sim.journal("Agents/AgentCall")
    assert len(dialed) == calls_before + 1 and sim.fields(dialed[-1])["destination"] == "099123456"

    # The redial is listed in its turn, and Esc goes back to the desk.
    open_today(again)
    wait_for(lambda: len(options(again)) == 3, "the new call listed")
    assert options(again)[0][0] == "099123456", options(again)
    again.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(lambda: again.visible("desk") and not again.visible("today"), "back on the desk")


def test_a_refused_disposition_is_shown_and_filed_from_today(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    app.el("hangup-btn").click()
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    sim.faults(zero_next=1, path_contains="DispositionCall")
    app.el("dispo-filter").send_keys("1", "1", "1", Keys.ENTER)
    wait_for(lambda: app.visible("pending"), "the refused disposition in the outbox")

    app.el("today-btn").click()
    wait_for(lambda: options(app) and options(app)[0][1] == "refused", "the call shown as refused")
    assert "refused by the server" in app.text("today-list")
    app.el("today-filter").send_keys(Keys.ARROW_DOWN)
    app.driver.switch_to.active_element.send_keys("f")
    wait_for(lambda: app.visible("outbox-panel"), "the outbox, to fix and resend it")
    wait_for(lambda: "refused" in app.text("outbox-list"), "the refused item listed")
    app.driver.find_element("css selector", "#outbox-list [data-action=resend]").click()
    wait_for(lambda: not app.visible("pending"), "the resend acknowledged")
    app.el("today-btn").click()
    wait_for(lambda: options(app) and options(app)[0][1] == "sent", "the call shown as sent")


def test_a_call_left_without_a_disposition_is_filed_late_from_today(sim, profile, launch):
    """The wrap-up left open when the app was closed: after the restart the call is "nothing filed", and F on it
    opens the campaign's codes; 1 1 1, a comment and Enter file it against the call's GUID."""
    app = signed_in(sim, profile, launch)
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    guid = app.text("call-guid")
    app.el("hangup-btn").click()
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    app.quit()

    again = launch(profile)
    again.wait_text("agent-name", "Alice Agent")
    again.wait_state("idle")
    # Between calls the desk's card carries the shift's figures.
    wait_for(lambda: again.visible("shift-line") and again.text("shift-line").startswith("Today: calls 1 "),
             "the shift line on the desk")
    open_today(again)
    wait_for(lambda: options(again) and options(again)[0] == ["099123456", "not_filed", guid], "the call, nothing filed")
    again.el("today-filter").send_keys(Keys.ARROW_DOWN)
    wait_for(lambda: again.driver.execute_script("return document.activeElement.id") == "today-list", "the list to have the focus")
    again.driver.switch_to.active_element.send_keys("f")
    wait_for(lambda: again.visible("late-form"), "the late filing form")
    wait_for(lambda: again.driver.execute_script("return document.activeElement.id") == "late-filter", "the codes to have the focus")
    assert "099123456" in again.text("late-call")
    assert not sim.journal("api/DispositionCall"), "nothing filed yet"

    # Esc leaves the form, not the Today screen; F opens it again.
    again.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(lambda: not again.visible("late-form") and again.visible("today"), "the form closed, Today still up")
    wait_for(lambda: again.driver.execute_script("return document.activeElement.id") == "today-list", "the list again")
    again.driver.switch_to.active_element.send_keys("f")
    wait_for(lambda: again.visible("late-form"), "the late filing form again")
    again.el("late-filter").send_keys("1", "1")
    again.el("late-comment").send_keys("olvidé tipificar")
    screenshot("72-today-late-filing", again)
    check(again, "Today's late filing form")
    again.el("late-filter").send_keys("1", Keys.ENTER)
    wait_for(lambda: sim.journal("api/DispositionCall"), "the disposition on the wire")
    filed = sim.fields(sim.journal("api/DispositionCall")[-1])
    assert (filed["guid"], filed["callerid"], filed["comment"]) == (guid, "099123456", "olvidé tipificar")
    assert filed["l1"] and filed["l2"] and filed["l3"]
    wait_for(lambda: not again.visible("late-form"), "the form closed")
    wait_for(lambda: options(again)[0][1] == "sent", "the call shown as sent")
    # Filed once: a second F says so instead of filing again.
    again.driver.switch_to.active_element.send_keys("f")
    again.wait_text("today-result", "already")
    assert len(sim.journal("api/DispositionCall")) == 1
