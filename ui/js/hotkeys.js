// The global hotkeys' combinations inside the window too, for desktops without global hotkeys (Wayland without
// the portal): the same action through the app (run_hotkey).
import * as backend from './backend.js';
import * as settings from './settings.js';

export function install() {
  document.addEventListener('keydown', async (e) => {
    if (!(e.ctrlKey || e.altKey || e.metaKey)) return;
    const current = await settings.bindings();
    const pressed = [e.ctrlKey && 'Ctrl', e.altKey && 'Alt', e.shiftKey && 'Shift', e.metaKey && 'Super', e.key.length === 1 ? e.key.toUpperCase() : e.key]
      .filter(Boolean).join('+');
    for (const [action, combo] of Object.entries(current)) {
      if (combo && combo.toLowerCase() === pressed.toLowerCase()) {
        e.preventDefault();
        backend.runHotkey(action);
      }
    }
  });
}
