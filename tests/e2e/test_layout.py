"""The window follows the call: one primary panel per moment (idle → dial, in call → the call card, wrap-up → the
disposition form on top and focused), nothing to scroll at the default 440×680, nothing internal or empty shown.
Screenshots of each moment in light and dark, English and Spanish, at 440×680 and 360×480 go to the artifacts
(tests/e2e/artifacts/layout-*.png) for review; docs/screenshots/ holds a few of them for the README and
docs/user-guide.md."""
import subprocess

import pytest
from selenium.webdriver.common.keys import Keys

from conftest import ARTIFACTS, signed_in, wait_for, xdo

SIZES = [(440, 680), (360, 480)]
THEMES = ["light", "dark"]
TEXTS = {
    "en": {"in_call": "In call", "wrap_up": "Wrap-up", "idle": "Ready"},
    "es": {"in_call": "En llamada", "wrap_up": "Tipificación", "idle": "Disponible"},
}


def window_shot(app, name):
    """The app's window alone, once the webview has painted twice."""
    app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));")
    window = xdo("search", "--onlyvisible", "--name", "^uContact Agent Companion$").split()[0]
    subprocess.run(["import", "-window", window, str(ARTIFACTS / f"{name}.png")], check=True)


def resize(app, width, height):
    window = xdo("search", "--onlyvisible", "--name", "^uContact Agent Companion$").split()[0]
    xdo("windowsize", "--sync", window, str(width), str(height))
    wait_for(lambda: app.driver.execute_script("return [innerWidth, innerHeight]") == [width, height],
             f"the window at {width}×{height}")


def scrolls(app):
    return app.driver.execute_script(
        "const s = document.scrollingElement; return s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1")


def in_view(app, element_id):
    """The element's box lies inside the window (none of it below the fold)."""
    return app.driver.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth", element_id)


def first_panel(app):
    """The id of the topmost card on the desk (the primary panel)."""
    return app.driver.execute_script(
        "const cards = [...document.querySelectorAll('#desk > .card')].filter(e => e.checkVisibility());"
        "cards.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);"
        "return cards[0] && cards[0].id")


def shoot_moment(app, lang, moment):
    for theme in THEMES:
        app.driver.execute_script("document.documentElement.dataset.theme = arguments[0]", theme)
        for width, height in SIZES:
            resize(app, width, height)
            window_shot(app, f"layout-{moment}-{lang}-{theme}-{width}x{height}")
    app.driver.execute_script("delete document.documentElement.dataset.theme")
    resize(app, *SIZES[0])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_moment_has_its_panel_on_top_without_scrolling(sim, profile, launch, lang):
    app = signed_in(sim, profile, launch, language=lang)
    texts = TEXTS[lang]
    resize(app, *SIZES[0])
    assert first_panel(app) == "dial-form", "idle: the dial form first"
    assert not scrolls(app), "idle fits 440×680"
    assert not app.visible("call-number") or app.text("call-number") == "—" and not app.driver.execute_script(
        "return document.getElementById('call-number').checkVisibility()"), "no empty call facts when idle"
    shoot_moment(app, lang, "1-idle")

    app.el("number").send_keys("099123456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    assert app.text("call-state") == texts["in_call"], "the state in the language shown"
    app.wait_text("call-guid", "-")
    assert first_panel(app) == "call-card", "in call: the call card first"
    assert in_view(app, "hangup-btn") and in_view(app, "call-campaign") and in_view(app, "call-timer")
    assert not scrolls(app), "in call fits 440×680"
    assert app.driver.execute_script("return document.getElementById('cti-card').checkVisibility()") is False, \
        "an own call's CTI says nothing the call card does not (no Screen / Answer flags)"
    shoot_moment(app, lang, "2-in-call")

    app.el("hangup-btn").click()
    app.wait_state("wrap_up")
    assert app.text("call-state") == texts["wrap_up"], "the state in the language shown"
    wait_for(lambda: app.visible("dispo-form"), "the disposition form")
    shoot_moment(app, lang, "3-wrap-up")   # before the checks, so a failure has its picture
    app.el("dispo-filter").click()
    assert first_panel(app) == "dispo-form", "wrap-up: the disposition form first"
    assert app.driver.execute_script("return document.activeElement.id") == "dispo-filter", "and focused"
    assert in_view(app, "dispo-submit") and in_view(app, "call-number"), "the form and the call's summary in sight"
    assert not scrolls(app), "wrap-up fits 440×680"
    app.el("dispo-filter").send_keys("1")
    shoot_moment(app, lang, "4-wrap-up-level-2")
    app.el("dispo-filter").send_keys("1", "1", Keys.ENTER)
    app.wait_state("idle")
    assert app.text("call-state") == texts["idle"], "the state in the language shown"
    assert first_panel(app) == "dial-form", "back to the dial form"


def test_the_language_chosen_in_settings_is_loaded_and_shown_at_once(sim, profile, launch):
    """The window loads only the language it shows (ui/js/i18n.js): choosing the other one in settings loads its
    texts and redraws the window in it, the status included; choosing English again brings English back."""
    app = signed_in(sim, profile, launch, language="en")
    for lang, title, saved, dial in (("es", "Ajustes", "Ajustes guardados.", "Llamar"),
                                     ("en", "Settings", "Settings saved.", "Dial")):
        app.el("settings-btn").click()
        wait_for(lambda: app.visible("settings"), "the settings screen")
        app.driver.execute_script("const s = document.getElementById('set-language'); s.value = arguments[0];"
                                  "s.dispatchEvent(new Event('change', {bubbles: true}));", lang)
        app.el("settings-form").submit()
        app.wait_text("status", saved)
        assert app.text("settings-title") == title, f"the settings screen in {lang}"
        assert app.driver.execute_script("return document.documentElement.lang") == lang
        app.driver.execute_script("document.getElementById('settings-close').scrollIntoView({block: 'nearest'})")
        app.el("settings-close").click()
        wait_for(lambda: app.visible("desk"), "the desk")
        assert app.text("dial-btn") == dial, f"the desk in {lang}"


def extension_readable(app):
    """The agent's extension, "ext." and its number, lies whole inside the header: no box around it clips it."""
    return app.driver.execute_script("""
        const ext = document.getElementById('agent-ext').parentElement;  // "ext." and the number
        const r = ext.getBoundingClientRect();
        if (!ext.checkVisibility() || r.width === 0 || !document.getElementById('agent-ext').textContent.trim()) return false;
        for (let el = ext.parentElement; el && el !== document.body; el = el.parentElement) {
          const b = el.getBoundingClientRect();
          if (getComputedStyle(el).overflow !== 'visible' && (r.left < b.left - 0.5 || r.right > b.right + 0.5)) return false;
        }
        return r.left >= 0 && r.right <= innerWidth;""")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_agents_extension_is_readable_in_the_header_at_360_and_440_px(sim, profile, launch, lang):
    app = signed_in(sim, profile, launch, language=lang)
    app.wait_text("agent-ext", "1001")
    for width, height in SIZES:
        resize(app, width, height)
        assert extension_readable(app), f"the extension whole at {width} px in {lang}"
    # A badge joins the buttons (a callback kept): the extension still reads.
    app.driver.execute_script("document.getElementById('callbacks-btn').hidden = false")
    for width, height in SIZES:
        resize(app, width, height)
        assert extension_readable(app), f"the extension whole at {width} px in {lang} with one more button"
