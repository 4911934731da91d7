"""The compact bar: a 360×64 always-on-top window toggled by a hotkey (and the tray) that opens without taking
the focus from the CRM, follows the call, hangs up, files a plain disposition, passes axe-core, and comes back
where the agent put it."""
import subprocess

import pytest
from selenium.webdriver.common.by import By

from accessibility import assert_no_violations
from conftest import signed_in, wait_for, xdo

BAR = "^uContact Agent Companion bar$"


def bar_window():
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", BAR], capture_output=True, text=True)
    return found.stdout.split()[0] if found.stdout.split() else None


def bar_geometry():
    shape = dict(line.split("=") for line in xdo("getwindowgeometry", "--shell", bar_window()).splitlines())
    return int(shape["X"]), int(shape["Y"]), int(shape["WIDTH"]), int(shape["HEIGHT"])


def on_bar(app):
    """Points the WebDriver session at the bar's webview (it is a window of the same app)."""
    def find():
        for handle in app.driver.window_handles:
            app.driver.switch_to.window(handle)
            if app.driver.title.endswith(" bar"):
                return handle
        return None
    return wait_for(find, "the bar's webview")


def on_main(app):
    for handle in app.driver.window_handles:
        app.driver.switch_to.window(handle)
        if not app.driver.title.endswith(" bar"):
            return


def bar_text(app, element_id):
    return app.driver.execute_script("return document.getElementById(arguments[0]).textContent", element_id)


def bar_shows(app, element_id):
    return app.driver.execute_script("return document.getElementById(arguments[0]).checkVisibility()", element_id)


@pytest.fixture
def with_bar(sim, profile, launch, crm_window):
    app = signed_in(sim, profile, launch)
    xdo("windowfocus", "--sync", crm_window)
    xdo("key", "ctrl+alt+m")
    wait_for(bar_window, "the compact bar")
    return app


def test_the_bar_opens_on_top_without_taking_the_focus_and_follows_the_call(sim, with_bar, crm_window):
    app = with_bar
    x, y, width, height = bar_geometry()
    assert (width, height) == (360, 64)
    assert 0 <= x and x + width <= 1280 and 0 <= y, "on screen"
    assert xdo("getwindowfocus") == crm_window, "the CRM keeps the keyboard"
    on_bar(app)
    wait_for(lambda: app.attribute("bar", "data-state") == "idle", "the bar idle")
    assert_no_violations(app, "compact bar, idle")

    on_main(app)
    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    on_bar(app)
    wait_for(lambda: bar_text(app, "c-number") == "099123456", "the number on the bar")
    wait_for(lambda: bar_shows(app, "c-hangup"), "the bar's hang-up button")
    assert_no_violations(app, "compact bar, in call")
    app.driver.execute_script("document.getElementById('c-hangup').click()")
    wait_for(lambda: sim.journal("Agents/HungupPhone"), "HungupPhone from the bar")
    wait_for(lambda: bar_shows(app, "c-dispo"), "the bar's disposition picker")
    options = wait_for(lambda: app.driver.execute_script(
        "return [...document.querySelectorAll('#c-code option')].map(o => o.textContent).slice(0, -1)"),
        "the campaign's plain codes")
    assert "Contactado › Venta › Tarjeta" in options, options
    assert_no_violations(app, "compact bar, wrap-up")
    app.driver.execute_script(
        "const s = document.getElementById('c-code');"
        "s.value = [...s.options].find(o => o.text === 'Contactado › Venta › Efectivo').value;")
    app.driver.execute_script("document.getElementById('c-save').click()")
    dispo = wait_for(lambda: sim.journal("api/DispositionCall"), "DispositionCall from the bar")[0]
    assert (sim.fields(dispo)["l1"], sim.fields(dispo)["l2"], sim.fields(dispo)["l3"]) == ("Contactado", "Venta", "Efectivo")
    on_main(app)
    app.wait_state("idle")

    # The next call's wrap-up offers the same codes again (the bar keeps its option elements), from the first one.
    app.el("number").send_keys("099123457")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    on_bar(app)
    wait_for(lambda: bar_shows(app, "c-hangup"), "the bar's hang-up button, second call")
    app.driver.execute_script("document.getElementById('c-hangup').click()")
    wait_for(lambda: bar_shows(app, "c-dispo"), "the bar's disposition picker, second call")
    picked = app.driver.execute_script("return document.getElementById('c-code').selectedOptions[0].text")
    assert picked == options[0], (picked, options)
    app.driver.execute_script("document.getElementById('c-save').click()")
    second = wait_for(lambda: sim.journal("api/DispositionCall")[1:], "the second DispositionCall")[0]
    filed = [sim.fields(second)[k] for k in ("l1", "l2", "l3") if sim.fields(second).get(k)]
    assert " › ".join(filed) == options[0], (filed, options)
    on_main(app)
    app.wait_state("idle")


def test_the_bar_comes_back_where_the_agent_put_it(with_bar, crm_window):
    xdo("windowmove", "--sync", bar_window(), "200", "700")
    wait_for(lambda: bar_geometry()[:2] == (200, 700), "the bar moved")
    # A press right after the last one counts as the same press (the double-press guard): press until it acts.
    def press_until(done):
        def attempt():
            if done():
                return True
            xdo("windowfocus", "--sync", crm_window)
            xdo("key", "ctrl+alt+m")
            return done()
        return attempt
    wait_for(press_until(lambda: bar_window() is None), "the bar closed by the same hotkey", interval=0.4)
    wait_for(press_until(bar_window), "the bar again", interval=0.4)
    wait_for(lambda: bar_geometry()[:2] == (200, 700), "at the same place")
    assert xdo("getwindowfocus") == crm_window, "and again without taking the focus"
