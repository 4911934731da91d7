// The saved password stopped working mid-shift (changed by an administrator): the new one is asked for in place,
// over the desk; the call, the forms and everything waiting stay as they are.
import * as backend from './backend.js';
import { $, status } from './dom.js';
import { errorText, t } from './i18n.js';
import * as layout from './layout.js';

function typingElsewhere() {
  const el = document.activeElement;
  if (!el || el === document.body || $('relogin').contains(el)) return false;
  return el.isContentEditable || el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(el.type));
}

export function ask(reason) {
  $('relogin').hidden = false;
  $('relogin-error').textContent = reason || '';
  layout.signInLost(reason);
  // The prompt is announced; it takes the focus only if the agent is not typing somewhere else, so the rest of
  // a phone number or a comment never lands in the password field (a background retry can find the expiry).
  if (!typingElsewhere()) $('relogin-password').focus();
}

export function install() {
  $('relogin').addEventListener('submit', async (e) => {
    e.preventDefault();
    const result = await backend.renewSession($('relogin-password').value);
    $('relogin-password').value = '';
    if (!result.ok) { $('relogin-error').textContent = errorText(result.error); $('relogin-password').focus(); return; }
    $('relogin').hidden = true;
    status(t('relogin.done'));
  });
}
