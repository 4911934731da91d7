"""Calls the app did not place: the simulator's portal page, embedded in the real bridge page in a real browser
window (MiniBrowser), posts the portal's call events; they reach the desk through the bridge. Checked on the desk,
in the desktop notifications and in the simulator's journal."""
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import ARTIFACTS, screenshot, signed_in, wait_for
from conftest import free_port

SOPORTE_TREE = """campaign = "Soporte<-"

[[l1]]
name = "Resuelto"

[[l1]]
name = "Derivado"
"""


class Portal:
    """The bridge page in the browser, paired with the app, embedding the simulator's portal page."""

    def __init__(self, browser, sim, token, port, vocab):
        self.browser = browser
        embed = urllib.parse.quote(f"/_sim/portal?vocab={vocab}", safe="")
        browser.get(f"{sim.url}/_sim/bridge/companion-bridge.html?embed={embed}")
        browser.execute_script("document.getElementById('port').value = arguments[0];", str(port))
        browser.find_element(By.ID, "code").send_keys(token)
        browser.find_element(By.ID, "pair").click()
        wait_for(lambda: "paired with the Agent Companion" in self.bridge_text("status"), "the bridge page to be paired")

    def bridge_text(self, element_id):
        return self.browser.execute_script(f"return document.getElementById('{element_id}').textContent")

    def click(self, button_id):
        """Presses a button of the portal page (inside the bridge page's frame)."""
        self.browser.switch_to.frame(self.browser.find_element(By.ID, "portal-frame"))
        try:
            self.browser.find_element(By.ID, button_id).click()
        finally:
            self.browser.switch_to.default_content()

    def call_guid(self):
        self.browser.switch_to.frame(self.browser.find_element(By.ID, "portal-frame"))
        try:
            text = wait_for(lambda: self.browser.find_element(By.ID, "call").text.startswith("portal-") and
                            self.browser.find_element(By.ID, "call").text, "the portal's call")
        finally:
            self.browser.switch_to.default_content()
        return text.split()[0]

    def wait_result(self, needle):
        return wait_for(lambda: needle in self.bridge_text("last") and self.bridge_text("last"),
                        f"the bridge page to show {needle!r}")


def portal_and_app(sim, profile, launch, browser, vocab):
    (profile / "config" / "dispositions" / "Soporte.toml").write_text(SOPORTE_TREE)
    port = free_port()
    origin = sim.url.rstrip("/")
    app = signed_in(sim, profile, launch, f'\n[bridge]\nenabled = true\nport = {port}\nallowed_origins = ["{origin}"]\n')
    token = wait_for(lambda: app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI_INTERNALS__.invoke('bridge_pairing', {rotate: false}).then(done, () => done(null));"), "the pairing code")
    return app, Portal(browser, sim, token, port, vocab)


def dispositions_of(sim, guid):
    return [e for e in sim.journal("api/DispositionCall") if sim.fields(e).get("guid") == guid]


def notified(text):
    log = ARTIFACTS / "notifications.log"
    return wait_for(lambda: text in log.read_text(), f"a notification with {text!r}")


def test_an_inbound_portal_call_rings_ends_by_itself_and_is_disposed_with_its_guid(sim, profile, launch, browser):
    app, portal = portal_and_app(sim, profile, launch, browser, "uphone")
    portal.click("ring-inbound")
    guid = portal.call_guid()
    app.wait_state("in_call")
    app.wait_text("call-guid", guid)
    assert (app.text("call-number"), app.text("call-campaign"), app.text("call-direction")) == ("099555123", "Soporte<-", "Inbound")
    app.wait_text("status", "Incoming call from 099555123 (Soporte<-)")
    notified("Call ringing")
    assert guid in (ARTIFACTS / "notifications.log").read_text()
    portal.wait_result("gettingCall: done")
    assert sim.journal("Agents/AgentCall") == [], "the app placed no call"
    screenshot("portal-inbound-ringing", app)

    portal.click("finish")
    app.wait_state("wrap_up")
    portal.wait_result("finishedCall: done")
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    box = app.el("dispo-filter")
    box.click()
    box.send_keys("1")
    box.send_keys(Keys.ENTER)
    app.wait_state("idle")
    sent = wait_for(lambda: dispositions_of(sim, guid), "DispositionCall with the portal call's GUID")
    fields = sim.fields(sent[0])
    assert (fields["campaign"], fields["callerid"], fields["l1"]) == ("Soporte<-", "099555123", "Resuelto")


def test_a_disposition_sent_from_the_portal_is_not_sent_again_and_a_malformed_event_is_refused(sim, profile, launch, browser):
    app, portal = portal_and_app(sim, profile, launch, browser, "portal")
    portal.click("ring-dialer")
    guid = portal.call_guid()
    app.wait_text("call-guid", guid)
    assert (app.attribute("call-card", "data-state"), app.text("call-direction"), app.text("call-number")) == ("in_call", "Outbound", "098765432")

    # Broken JSON where the payload goes: refused by name, the page goes on, the desk keeps its call.
    portal.click("malformed")
    refused = portal.wait_result("refused")
    assert "assignedInteraction" in refused and "not valid JSON" in refused and "[malformed_json]" in refused, refused
    assert (app.attribute("call-card", "data-state"), app.text("call-guid")) == ("in_call", guid)

    portal.click("finish")
    app.wait_state("wrap_up")
    portal.click("dispose")
    app.wait_state("idle")
    app.wait_text("status", "Disposed in the portal")
    portal.wait_result("sentDisposition: done")
    notified("Disposed in the portal")
    assert dispositions_of(sim, guid) == [], "the app filed nothing for a call disposed in the portal"
    assert not app.visible("pending"), "nothing waits in the outbox"


def test_a_disposition_waiting_in_the_outbox_is_dropped_when_the_portal_files_it(sim, profile, launch, browser):
    app, portal = portal_and_app(sim, profile, launch, browser, "uphone")
    portal.click("ring-inbound")
    guid = portal.call_guid()
    app.wait_text("call-guid", guid)
    portal.click("finish")
    app.wait_state("wrap_up")
    sim.faults(fail_rate=1.0, path_contains="DispositionCall")
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    box = app.el("dispo-filter")
    box.click()
    box.send_keys("1")
    box.send_keys(Keys.ENTER)
    app.wait_text("status", "kept on this computer")
    wait_for(lambda: app.visible("pending"), "the waiting disposition on the card")

    portal.click("dispose")
    portal.wait_result("sentDispositions: done")
    app.wait_text("status", "was dropped and will not be sent")
    notified("Waiting disposition dropped")
    wait_for(lambda: not app.visible("pending"), "the outbox to be empty")
    sim.faults(fail_rate=0.0)
    assert sim.state()["dispositions"] == [], "the server never got the dropped disposition"
