// A disposition whose dialer action cannot be undone (blacklist) waits for a yes: the question inside the
// disposition form, Yes / Cancel (Esc), and back to the form's filter on Cancel.
import { $ } from './dom.js';

let yes = null;
let back = () => {};

/** Asks `question`; `then()` runs on Yes. */
export function ask(question, then) {
  yes = then;
  $('dispo-question').textContent = question;
  $('dispo-confirm').hidden = false;
  $('dispo-confirm-yes').focus();
}

function cancel() {
  $('dispo-confirm').hidden = true;
  yes = null;
  back();
}

/** `onCancel()`: where the keyboard goes after Cancel. */
export function install(onCancel) {
  back = onCancel;
  $('dispo-confirm-yes').addEventListener('click', () => { const then = yes; $('dispo-confirm').hidden = true; yes = null; if (then) then(); });
  $('dispo-confirm-no').addEventListener('click', cancel);
  $('dispo-confirm').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); cancel(); } });
}
