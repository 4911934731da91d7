"""Global hotkeys pressed with xdotool while another application's window has the focus."""
import re

from selenium.webdriver.support.ui import Select

from conftest import ARTIFACTS, screenshot, set_clipboard, signed_in, wait_for, xdo


def focused_window_name():
    return xdo("getwindowfocus", "getwindowname")


def test_dial_and_hang_up_by_hotkey_while_the_crm_has_focus(sim, profile, launch, crm_window):
    app = signed_in(sim, profile, launch)
    set_clipboard("Cliente: Ana Pérez, tel. (099) 765-432, deuda 1200")
    xdo("windowfocus", "--sync", crm_window)
    assert focused_window_name() == "CRM"
    xdo("key", "ctrl+alt+d")
    call = wait_for(lambda: sim.journal("Agents/AgentCall"), "AgentCall from the dial hotkey")[0]
    assert sim.fields(call)["destination"] == "099765432", "the number came from the clipboard"
    app.wait_state("in_call")
    app.wait_text("call-guid", call["response"])
    xdo("windowfocus", "--sync", crm_window)
    xdo("key", "ctrl+alt+h")
    wait_for(lambda: sim.journal("Agents/HungupPhone"), "HungupPhone from the hang-up hotkey")
    app.wait_state("wrap_up")


def test_the_dial_hotkey_dials_the_typed_number_in_the_picked_campaign_before_the_clipboard(sim, profile, launch, crm_window):
    app = signed_in(sim, profile, launch)
    assert app.driver.execute_script("return document.getElementById('campaign').value") == "Ventas->", \
        "the picker starts on the default campaign"
    Select(app.el("campaign")).select_by_value("Cobranzas->")
    app.el("number").send_keys("098 765 432")
    set_clipboard("099123456")
    xdo("windowfocus", "--sync", crm_window)
    xdo("key", "ctrl+alt+d")
    call = wait_for(lambda: sim.journal("Agents/AgentCall"), "AgentCall from the dial hotkey")[0]
    fields = sim.fields(call)
    assert (fields["destination"], fields["outqueue"]) == ("098765432", "Cobranzas->"), fields


def test_a_double_pressed_dial_hotkey_dials_once(sim, profile, launch, crm_window):
    app = signed_in(sim, profile, launch)
    set_clipboard("099123456")
    xdo("windowfocus", "--sync", crm_window)
    xdo("key", "--delay", "40", "ctrl+alt+d", "ctrl+alt+d")
    wait_for(lambda: sim.journal("Agents/AgentCall"), "the first AgentCall")
    app.wait_state("in_call")
    # The desk handles requests one at a time: once the later hang-up reached the server, every earlier press
    # has been dealt with.
    xdo("windowfocus", "--sync", crm_window)
    xdo("key", "ctrl+alt+h")
    wait_for(lambda: sim.journal("Agents/HungupPhone"), "HungupPhone")
    assert len(sim.journal("Agents/AgentCall")) == 1
    assert len(sim.state()["calls"]) == 1


def test_a_whole_call_in_six_keystrokes_from_the_crm(sim, profile, launch, crm_window):
    """dial hotkey, hang-up hotkey, 1, 1, 1, Enter: the disposition reaches the server."""
    app = signed_in(sim, profile, launch)
    set_clipboard("099 111 222")
    keys = []

    def press(key):
        keys.append(key)
        xdo("key", key)

    xdo("windowfocus", "--sync", crm_window)
    press("ctrl+alt+d")
    app.wait_state("in_call")
    xdo("windowfocus", "--sync", crm_window)
    press("ctrl+alt+h")
    wait_for(lambda: app.driver.execute_script("return document.activeElement && document.activeElement.id") == "dispo-filter",
             "the disposition filter to have the focus")
    wait_for(lambda: focused_window_name() == "uContact Agent Companion", "the app window to get the keyboard focus")
    press("1")
    press("1")
    press("1")
    press("Return")
    dispo = wait_for(lambda: sim.journal("api/DispositionCall"), "DispositionCall")[0]
    fields = sim.fields(dispo)
    assert (fields["l1"], fields["l2"], fields["l3"]) == ("Contactado", "Venta", "Tarjeta")
    assert fields["callerid"] == "099111222"
    assert len(keys) == 6, keys
    app.wait_state("idle")
    screenshot("07-after-six-keys", app)


def test_notifications_reach_the_desktop(sim, profile, launch, crm_window):
    app = signed_in(sim, profile, launch)
    set_clipboard("099123456")
    xdo("key", "ctrl+alt+d")
    app.wait_state("in_call")
    log = ARTIFACTS / "notifications.log"
    wait_for(lambda: re.search(r'string "Call placed"', log.read_text()), "a Notify call with 'Call placed' on D-Bus")
    text = log.read_text()
    assert "099123456" in text and "uContact Agent Companion" in text
