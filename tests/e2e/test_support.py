"""Support: the connection light in the header (green, amber while a disposition waits on a failing server, red when
the server is gone, always with words and the reason on hover) and "Save a support report" (a zip with the logs,
settings and versions, and no password, token, data key, phone number or comment)."""
import zipfile
from pathlib import Path

from accessibility import wait_announced
from conftest import keychain, screenshot, signed_in, wait_for, waiting_disposition
from test_layout import resize


def light(app):
    el = app.el("connection")
    return el.get_attribute("data-light"), el.text, el.get_attribute("title")


def test_the_connection_light_follows_the_server_with_words_and_a_reason(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    wait_for(lambda: light(app)[0] == "green", "a green light once signed in")
    assert light(app)[1] == "Connected"
    waiting_disposition(app, sim, "099 111 222", "nada")
    wait_for(lambda: light(app)[0] == "amber", "an amber light while the disposition is retried")
    colour, words, reason = light(app)
    assert words in ("Retrying", "1 waiting"), words
    assert "500" in reason or "server" in reason.lower(), reason
    screenshot("connection-amber", app)
    sim.stop()
    app.el("pending").click()
    app.el("outbox-flush").click()
    wait_for(lambda: light(app)[0] == "red", "a red light once the server is gone")
    wait_announced(app, "Server unreachable")
    colour, words, reason = light(app)
    assert words == "Server unreachable"
    assert reason.startswith("Server unreachable: "), reason
    screenshot("connection-red", app)
    # In the narrowest window the words stay whole and clear of the header's buttons.
    resize(app, 360, 480)
    light_box, buttons = app.driver.execute_script(
        "const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; };"
        "const first = [...document.querySelectorAll('#desk .bar-actions > *')].find((b) => b.getClientRects().length);"
        "return [box(document.querySelector('#connection .light-text')), box(first)]")
    assert light_box[1] <= buttons[0] + 0.5, f"the words {light_box} run under the buttons {buttons}"
    who = app.driver.execute_script("return document.querySelector('#desk .who').getBoundingClientRect().right")
    assert light_box[1] <= who + 0.5, "the words are inside the header's left part, not clipped by it"
    assert app.driver.execute_script(
        "const t = document.querySelector('#connection .light-text'); return t.scrollWidth <= t.clientWidth + 1"), \
        "the words are not cut"
    screenshot("connection-red-360", app)


def test_a_support_report_has_logs_settings_and_counts_and_nothing_personal(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    waiting_disposition(app, sim, "099 765 432", "cliente Ana Pérez pide baja")
    app.el("settings-btn").click()
    wait_for(lambda: app.visible("settings"), "Settings")
    app.click_in_view("report-btn")
    app.wait_text("report-result", "Saved: ")
    path = Path(app.text("report-result").split("Saved: ", 1)[1].strip())
    assert path.suffix == ".zip" and path.exists(), path
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        texts = {name: z.read(name).decode(errors="replace") for name in names}
    for expected in ("README.txt", "summary.txt", "settings.toml", "errors.txt", "logs/companion.log"):
        assert expected in names, names
    summary = texts["summary.txt"]
    assert "app: 0." in summary and "webkit:" in summary, summary
    assert "pending: 1" in summary, summary
    assert sim.url.split("//")[1] in texts["settings.toml"]
    assert "signed in" in texts["logs/companion.log"].lower() or "ready" in texts["logs/companion.log"]
    token = keychain(f"token:alice@{sim.url}")
    data_key = keychain("data-key")
    assert token and data_key
    everything = "\n".join(texts.values())
    for what, value in {"password": "alice-pw", "token": token, "data key": data_key, "number": "099765432",
                        "spaced number": "099 765 432", "comment": "Ana Pérez", "comment word": "pide baja"}.items():
        assert value not in everything, f"the {what} is in the report"
    raw = path.read_bytes()
    assert b"alice-pw" not in raw and token.encode() not in raw
