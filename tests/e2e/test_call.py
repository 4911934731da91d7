"""A call from the window: dial, GUID shown, tag, hang up, disposition — and what the server receives."""
from selenium.webdriver.common.keys import Keys

from conftest import dial_and_hang_up, screenshot, signed_in, wait_for



def test_a_whole_call_from_the_window(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    app.el("number").send_keys("(099) 123-456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    [call] = sim.journal("Agents/AgentCall")
    assert sim.fields(call) == {
        "callerid": "59821234567", "agent": "alice", "phone": "1001", "tech": "SIP", "context": "agentes",
        "outqueue": "Ventas->", "destination": "099123456",
    }
    guid = call["response"]
    app.wait_text("call-guid", guid)
    screenshot("04-in-call", app)

    app.el("tag-text").send_keys("cliente VIP")
    app.el("tag-btn").click()
    tag = wait_for(lambda: sim.journal("Agents/TagRecord"), "TagRecord")[0]
    assert sim.fields(tag) == {"phone": "099123456", "guid": guid, "data": "cliente VIP"}

    app.el("hangup-btn").click()
    app.wait_state("wrap_up")
    assert sim.fields(sim.journal("Agents/HungupPhone")[0]) == {"phone": "1001"}
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    filter_box = app.el("dispo-filter")
    filter_box.send_keys("1")       # Contactado
    filter_box.send_keys("venta")   # type to filter level 2
    filter_box.send_keys(Keys.ENTER)  # the only match: Venta
    filter_box.send_keys("2")       # Efectivo
    screenshot("05-disposition", app)
    filter_box.send_keys(Keys.ENTER)
    dispo = wait_for(lambda: sim.journal("api/DispositionCall"), "DispositionCall")[0]
    assert sim.fields(dispo) == {
        "campaign": "Ventas->", "agent": "alice", "callerid": "099123456", "guid": guid,
        "l1": "Contactado", "l2": "Venta", "l3": "Efectivo", "d1": "", "d2": "", "comment": "",
        "schedule": "", "camptoreschedule": "", "tag": "Contactado|Venta|Efectivo",
    }
    app.wait_state("idle")
    app.wait_text("status", "Disposition saved")


def test_a_zero_from_agent_call_is_shown_in_plain_words(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    sim.faults(zero_next=1, path_contains="AgentCall")
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_text("status", "the server refused the call")
    assert app.attribute("call-card", "data-state") == "idle"
    screenshot("06-agentcall-zero", app)


def test_letters_in_the_number_are_refused_before_sending(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    sim_before = len(sim.journal())
    app.el("number").send_keys("099-CALL-ME")
    app.el("dial-btn").click()
    app.wait_text("status", "letters are not allowed in a phone number: 'CALLME'")
    assert len(sim.journal()) == sim_before


def test_customer_hung_up_goes_to_wrap_up_without_a_request(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    app.el("customer-hungup-btn").click()
    app.wait_state("wrap_up")
    assert sim.journal("Agents/HungupPhone") == []
    app.el("number").send_keys("099555666")
    app.el("dial-btn").click()
    app.wait_text("status", "file the disposition of the last call before dialing again")


def test_identity_overrides_from_settings_apply_to_the_next_call(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    app.el("settings-btn").click()
    wait_for(lambda: app.visible("settings"), "the settings screen")
    assert app.el("id-callerid").get_attribute("placeholder") == "59821234567", "the current value is shown"
    field = app.el("id-callerid")
    field.clear()
    field.send_keys("59820000000")
    app.el("settings-form").submit()
    app.wait_text("status", "Settings saved")
    # Typing in the identity field scrolled the (long) settings page: back up to its Back button, as the agent would
    # (WebKitWebDriver does not scroll a control above the viewport into view by itself).
    app.driver.execute_script("document.getElementById('settings-close').scrollIntoView({block: 'nearest'})")
    app.el("settings-close").click()
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    assert sim.fields(sim.journal("Agents/AgentCall")[0])["callerid"] == "59820000000"
    assert 'callerid = "59820000000"' in (profile / "config" / "settings.toml").read_text()


NEW_TREE = """campaign = "Ventas->"

[[l1]]
name = "Nuevo código"
"""


def whole_call(app, number):
    dial_and_hang_up(app, number)
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")


def test_a_tree_file_changed_between_calls_is_the_next_wrap_ups(sim, profile, launch):
    """The window keeps the trees it read (one read per campaign, not one per call): a file changed on disk is read
    again as the next call starts, and that call's form shows it."""
    app = signed_in(sim, profile, launch)
    whole_call(app, "099123456")
    wait_for(lambda: "Contactado" in app.text("dispo-options"), "the folder's tree in the form")
    for key in ("1", "1", "1"):
        app.el("dispo-filter").send_keys(key)
    app.el("dispo-filter").send_keys(Keys.ENTER)
    app.wait_state("idle")

    (profile / "config" / "dispositions" / "Ventas.toml").write_text(NEW_TREE)
    whole_call(app, "099555666")
    wait_for(lambda: "Nuevo código" in app.text("dispo-options"), "the changed tree in the next call's form")
    assert "Contactado" not in app.text("dispo-options")
    app.el("dispo-filter").send_keys("1")
    app.el("dispo-filter").send_keys(Keys.ENTER)
    sent = wait_for(lambda: sim.journal("api/DispositionCall")[1:], "the second DispositionCall")[0]
    assert sim.fields(sent)["l1"] == "Nuevo código"
