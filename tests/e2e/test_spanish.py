"""The agent's language outside the window: with Spanish chosen, a call, a break and a callback reminder reach the
desktop's notifications (captured on D-Bus, as dunst receives them) in Spanish, and the tray's menu (read over D-Bus
from the app's dbusmenu, as a panel reads it) is in Spanish; choosing English in Settings words the menu again."""
import re
from datetime import datetime, timedelta

from selenium.webdriver.common.keys import Keys

from conftest import ARTIFACTS, app_pid, signed_in, tray_menu, wait_for
from test_callbacks import hang_up_and_file, into_call, local

SPANISH_MENU = ["Mostrar", "Marcar desde el portapapeles", "Colgar", "Abrir en el CRM", "Pausa sí / no", "Barra compacta sí / no",
                "Guardar un informe de soporte", "Cerrar sesión", "Salir"]
SPANISH_NO_CALL = "no hay ninguna llamada para cortar"  # ui/i18n/es.js, error.call.nothing_to_hang_up
ENGLISH_MENU = ["Show", "Dial from clipboard", "Hang up", "Open in CRM", "Break on / off", "Compact bar on / off",
                "Save a support report", "Sign out", "Quit"]


def remind_in_spanish(app, when, note):
    """"Recordarme…" on the call: the callback is kept (said in Spanish)."""
    app.el("remind-btn").click()
    wait_for(lambda: app.visible("remind-form"), "the Remind me form")
    app.driver.execute_script("document.getElementById('remind-when').value = arguments[0];", local(when))
    app.el("remind-note").send_keys(note, Keys.ENTER)
    app.wait_text("status", "Llamada a devolver guardada")


class Notifications:
    """The notifications sent to the daemon since this was made (the log is the whole session's)."""

    def __init__(self):
        self.log = ARTIFACTS / "notifications.log"
        self.start = len(self.log.read_text())

    def text(self):
        return self.log.read_text()[self.start:]

    def __call__(self, text):
        """Whether a notification carrying `text` (its summary or body) went to the daemon."""
        return f'string "{text}"' in self.text()


def test_a_call_a_break_and_a_callback_reminder_in_spanish_and_the_tray_menu_in_spanish(sim, profile, launch):
    # The hang-up rebound: the in-call hint names the agent's own binding.
    notified = Notifications()
    app = signed_in(sim, profile, launch, language="es", callback_reminder_minutes=0,
                    extra_config='[hotkeys]\nhang_up = "Ctrl+Alt+J"\n')
    pid = app_pid(profile)
    assert wait_for(lambda: tray_menu(pid) == SPANISH_MENU and tray_menu(pid), "the tray's menu in Spanish") == SPANISH_MENU

    # A call: placed, then filed.
    into_call(app, "099 111 222")
    wait_for(lambda: notified("Llamada en curso"), "the call placed, notified in Spanish")
    app.wait_text("call-hint", "Corte aquí o con Ctrl+Alt+J.")
    guid = app.text("call-guid").strip()
    assert notified(f"Llamando a 099111222 — GUID {guid}"), "the body in Spanish with the call's number and GUID"
    remind_in_spanish(app, datetime.now() + timedelta(seconds=20), "quiere la oferta oro")
    hang_up_and_file(app)
    wait_for(lambda: notified("Tipificación guardada"), "the disposition saved, notified in Spanish")
    assert notified("Tipificación de 099111222 guardada")
    assert not notified("Disposition saved") and not notified("Call placed"), "nothing in English"

    # A break with the window's motive in Spanish.
    app.driver.execute_script("window.__TAURI_INTERNALS__.invoke('take_break', {motive: 'Almuerzo'})")
    app.wait_attribute("break-card", "data-state", "on_break")
    wait_for(lambda: notified("En pausa"), "the break, notified in Spanish")
    assert notified("Almuerzo")
    app.driver.execute_script("window.__TAURI_INTERNALS__.invoke('end_break')")
    app.wait_attribute("break-card", "data-state", "available")

    # An action refused (the hang-up hotkey with no call): said in Spanish, the reason too.
    app.driver.execute_script("window.__TAURI_INTERNALS__.invoke('run_hotkey', {action: 'hang_up'})")
    wait_for(lambda: notified("No se hizo"), "the refusal, notified in Spanish")
    assert notified(SPANISH_NO_CALL), "its reason in Spanish"

    # The callback's reminder at its time.
    wait_for(lambda: notified("Devolver la llamada a 099111222"), "the reminder in Spanish", timeout=40)
    log = notified.text()
    assert re.search(r'string "Ventas-> a las \d\d:\d\d — quiere la oferta oro"', log), "the reminder's body in Spanish"
    assert re.search(r'string "default"\s+string "Devolver la llamada"', log), "its action in Spanish"
    assert not notified("Call back 099111222")

    # English chosen in Settings: the tray's menu follows at once.
    app.el("settings-btn").click()
    wait_for(lambda: app.visible("settings"), "the settings screen")
    app.driver.execute_script("const s = document.getElementById('set-language'); s.value = 'en';"
                              "s.dispatchEvent(new Event('change', {bubbles: true}));")
    app.el("settings-form").submit()
    app.wait_text("status", "Settings saved.")
    wait_for(lambda: tray_menu(pid) == ENGLISH_MENU, "the tray's menu in English after the change")
