"""What waits in the outbox, from the window: the badge, each item's state with the server's answer, and the
agent's choices (fix and send, send again, discard)."""
import json


from conftest import screenshot, signed_in, wait_for, waiting_disposition


def items(app):
    return app.driver.execute_script(
        "return [...document.querySelectorAll('#outbox-list .item')].map(li => li.textContent)")


def test_a_refused_item_is_shown_fixed_and_sent_and_another_discarded(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    waiting_disposition(app, sim, "099111222", "primera")
    app.wait_text("pending", "1 waiting")
    # The server comes back but refuses it: the item stays, with the server's answer, for the agent.
    sim.faults(zero_next=1, path_contains="DispositionCall")
    app.el("pending").click()
    wait_for(lambda: app.visible("outbox-panel"), "the outbox list")
    app.el("outbox-flush").click()
    wait_for(lambda: any("refused by the server" in i and "099111222" in i for i in items(app)), "the refused item")
    assert any('"0"' in i for i in items(app)), items(app)
    screenshot("50-outbox-refused", app)
    app.driver.find_element("css selector", "#outbox-list [data-action=edit]").click()
    wait_for(lambda: app.visible("outbox-edit"), "the editor")
    request = json.loads(app.el("outbox-json").get_attribute("value"))
    assert (request["callerid"], request["comment"]) == ("099111222", "primera")
    request["comment"] = "primera, corregida"
    app.driver.execute_script("document.getElementById('outbox-json').value = arguments[0];", json.dumps(request))
    app.driver.find_element("css selector", "#outbox-edit button[type=submit]").click()
    # A "0" is an HTTP 200 too: wait for the server's "1" to the fixed request.
    fixed = wait_for(lambda: [e for e in sim.journal("api/DispositionCall") if e["response"].strip() == "1"],
                     "the fixed disposition to be acknowledged")
    assert [sim.fields(e)["comment"] for e in fixed] == ["primera, corregida"]
    wait_for(lambda: items(app) == [], "the list to empty")
    wait_for(lambda: not app.visible("pending"), "the badge to go")

    waiting_disposition(app, sim, "099333444", "segunda")
    app.el("pending").click()
    sent_before = len(sim.journal("api/DispositionCall"))
    discard = app.driver.find_element("css selector", "#outbox-list [data-action=discard]")
    discard.click()
    app.wait_text("outbox-result", "Press Discard again")
    assert len(items(app)) == 1, "one press is not enough"
    discard.click()
    wait_for(lambda: items(app) == [], "the item to be discarded")
    sim.faults()
    app.el("outbox-flush").click()
    app.wait_text("status", "0 still waiting")
    assert len(sim.journal("api/DispositionCall")) == sent_before, "a discarded item is never sent"
