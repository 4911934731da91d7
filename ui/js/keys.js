// During wrap-up, keys typed while the focus is not in a form of its own go to the disposition picker, including
// keys typed before it finished opening (1 1 1 Enter right after the hang-up hotkey).
//
// A part of the window that has keys of its own says so in index.html: data-owns-keys on it (the Today screen,
// the respool editor, the CTI box, the confirmation, the callback forms and list), or data-owns-keys="fields" when
// only its text fields and pickers keep what is typed in them (the disposition and tag forms, settings, sign-in).
// The nearest such part around the focus decides.
import * as dispo from './dispo.js';

let state = () => 'idle';
let hangingUpAt = 0; // when a hang-up hotkey was pressed: keys typed next belong to the disposition

/** A hang-up hotkey was pressed: the wrap-up's form is on its way. */
export function hangingUp() {
  hangingUpAt = Date.now();
}

/** The hang-up failed: no form is coming, and the keys kept for it are forgotten. */
export function hangUpFailed() {
  hangingUpAt = 0;
  dispo.discardEarly();
}

function ownsKeys(el) {
  const owner = el && el.closest('[data-owns-keys]');
  if (!owner) return false;
  return owner.dataset.ownsKeys !== 'fields' || el.matches('input, textarea, select');
}

function route(e) {
  const wrapUpComing = state() === 'in_call' && Date.now() - hangingUpAt < 3000;
  if (!(state() === 'wrap_up' || wrapUpComing) || e.ctrlKey || e.altKey || e.metaKey) return;
  // The number field does not take input during a call (it owns no keys): what is typed there goes to the picker.
  if (ownsKeys(document.activeElement)) return;
  if (dispo.press(e.key)) e.preventDefault();
}

/** `deskState()`: the call's state on the desk. */
export function install(deskState) {
  state = deskState;
  document.addEventListener('keydown', route);
}
