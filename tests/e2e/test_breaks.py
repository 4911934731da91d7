"""Breaks in the real app: the hotkey from the CRM, the exact AgentBreak / AgentUnBreak fields in the simulator's
journal, "end the break and dial?" answered with Enter, a break after the call that waits for the disposition, a
break taken with the server down that reaches it later, and a break that survives a restart."""
import subprocess
from pathlib import Path

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import single_instance_released, app_pid, screenshot, set_clipboard, signed_in, wait_for, xdo

BREAK_MESSAGE = "break from the Agent Companion"
END_MESSAGE = "end of break from the Agent Companion"


def pause_fields(motive, message):
    return {"agent": "alice", "interface": "SIP/1001", "motive": motive, "message": message}


def answered(sim, endpoint):
    """The requests to `endpoint` the server answered (a dropped connection is journaled with status 0)."""
    return [e for e in sim.journal(endpoint) if e["status"] == 200]


def endpoints(sim):
    return [e["path"].rsplit("/", 2)[-2] + "/" + e["path"].rsplit("/", 1)[-1] for e in sim.journal() if e["status"] == 200]


def test_the_break_hotkey_from_the_crm_and_end_the_break_and_dial_with_enter(sim, profile, launch, crm_window):
    app = signed_in(sim, profile, launch)
    xdo("windowfocus", "--sync", crm_window)
    xdo("key", "ctrl+alt+b")
    taken = wait_for(lambda: answered(sim, "api/AgentBreak"), "AgentBreak from the break hotkey")
    assert sim.fields(taken[0]) == pause_fields("Descanso", BREAK_MESSAGE), "the first motive of the default list"
    app.wait_text("break-state", "On a break: Rest")
    wait_for(lambda: app.text("break-timer") not in ("", "00:00"), "the break timer to run")
    screenshot("60-on-a-break", app)

    set_clipboard("099 555 666")
    xdo("windowfocus", "--sync", crm_window)
    xdo("key", "ctrl+alt+d")
    wait_for(lambda: app.visible("break-dial"), "the question: end the break and dial?")
    app.wait_text("break-dial-question", "099555666")
    assert not sim.journal("Agents/AgentCall"), "nothing is dialed before the agent answers"
    wait_for(lambda: app.driver.execute_script("return document.activeElement.id") == "break-dial-yes",
             "the answer to have the focus")
    wait_for(lambda: xdo("getwindowfocus", "getwindowname") == "uContact Agent Companion", "the window to have the keyboard")
    screenshot("61-end-break-and-dial", app)
    xdo("key", "Return")
    call = wait_for(lambda: answered(sim, "Agents/AgentCall"), "AgentCall after the break ended")[0]
    assert sim.fields(call)["destination"] == "099555666"
    ended = answered(sim, "api/AgentUnBreak")
    assert [sim.fields(e) for e in ended] == [pause_fields("Descanso", END_MESSAGE)]
    order = endpoints(sim)
    assert order.index("api/AgentUnBreak") < order.index("Agents/AgentCall"), order
    app.wait_attribute("break-card", "data-state", "available")
    app.wait_state("in_call")


def test_a_state_read_before_a_change_does_not_undo_the_change_when_it_arrives_after_it(sim, profile, launch):
    """The race behind a break hotkey pressed as the desk appears: the window's question "what is the break status?"
    is read before the break starts, its answer travels back slower than the break's event, and used to put
    "Available" back over "On a break". The window's own rule (ui/js/latest.js), run in the real WebKit page."""
    app = signed_in(sim, profile, launch)
    seen = app.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('./js/latest.js').then(async ({ latest }) => {
          const seen = [];
          const view = latest((state) => seen.push(state));
          let answer;
          const asked = view.answer(() => new Promise((resolve) => { answer = resolve; }));
          view.event('on_break');                      // the change's event arrives first…
          answer({ ok: true, value: 'available' });    // …then the answer read before the change
          await asked;
          await view.answer(async () => ({ ok: true, value: 'after_call' }), (v) => v + '!');  // nothing overtook it
          await view.answer(async () => ({ ok: false, error: { code: 'network', message: 'down' } }));
          done(seen);
        }, (err) => done(String(err)));
    """)
    assert seen == ["on_break", "after_call!"]


def test_escape_keeps_the_break_and_dials_nothing(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    app.el("break-btn").click()
    wait_for(lambda: answered(sim, "api/AgentBreak"), "AgentBreak")
    app.el("number").send_keys("099123456", Keys.ENTER)
    wait_for(lambda: app.visible("break-dial"), "the question")
    app.el("break-dial-yes").send_keys(Keys.ESCAPE)
    wait_for(lambda: not app.visible("break-dial"), "the question to close")
    assert app.text("break-state").startswith("On a break")
    assert not sim.journal("Agents/AgentCall") and not sim.journal("api/AgentUnBreak")


def test_a_break_after_this_call_starts_once_the_disposition_is_filed(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    app.wait_text("break-btn", "Break after this call")
    Select(app.el("break-motive")).select_by_value("Capacitación")
    app.el("break-btn").click()
    app.wait_text("break-state", "Break after this call: Training")
    app.el("hangup-btn").click()
    app.wait_state("wrap_up")
    assert not sim.journal("api/AgentBreak"), "no break during the call or its wrap-up"
    box = app.el("dispo-filter")
    for key in ("1", "1", "1"):
        box.send_keys(key)
    box.send_keys(Keys.ENTER)
    taken = wait_for(lambda: answered(sim, "api/AgentBreak"), "AgentBreak after the disposition")
    assert sim.fields(taken[0]) == pause_fields("Capacitación", BREAK_MESSAGE)
    order = endpoints(sim)
    assert order.index("api/DispositionCall") < order.index("api/AgentBreak"), order
    app.wait_text("break-state", "On a break: Training")


def test_a_break_taken_offline_reaches_the_server_and_a_restart_keeps_it(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    sim.faults(drop_next=2, path_contains="AgentBreak")
    Select(app.el("break-motive")).select_by_value("Almuerzo")
    app.el("break-btn").click()
    app.wait_text("break-state", "On a break: Lunch")
    wait_for(lambda: sim.journal("api/AgentBreak"), "the first try, dropped")
    # The courier retries by itself (backoff from 1 s): the break reaches the server without the agent.
    taken = wait_for(lambda: answered(sim, "api/AgentBreak"), "AgentBreak once the server answers", timeout=30)
    assert sim.fields(taken[0]) == pause_fields("Almuerzo", BREAK_MESSAGE)
    timer_before = app.text("break-timer")

    pid = app_pid(profile)
    app.quit()
    # The next launch must not meet the old one still leaving (it would hand over to it and exit).
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(),
             "the first app to be gone", timeout=10)
    wait_for(single_instance_released, "the first app's single-instance name to be released", timeout=10)
    again = launch(profile)
    again.wait_text("agent-name", "Alice Agent")
    again.wait_text("break-state", "On a break: Lunch")
    wait_for(lambda: again.text("break-timer") >= timer_before, "the timer to go on from the break's start")
    assert len(answered(sim, "api/AgentBreak")) == 1, "the restart sends no second AgentBreak"
    wait_for(lambda: again.text("shift-line"), "the desk settled (the shift's figures shown)")
    screenshot("62-break-after-restart", again)
    again.el("break-end").click()
    # The page first (did the click take?), then the server (did the courier deliver?): a failure says which.
    try:
        again.wait_attribute("break-card", "data-state", "available")
    except AssertionError as missed:
        raise AssertionError(f"{missed}; the status line said {again.text('status')!r}") from None
    ended = wait_for(lambda: answered(sim, "api/AgentUnBreak"), "AgentUnBreak",
                     timeout=30)  # as for AgentBreak above: a first try that fails is retried after a backoff
    assert sim.fields(ended[0]) == pause_fields("Almuerzo", END_MESSAGE)
