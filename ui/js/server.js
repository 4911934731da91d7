// The sign-in screen checks the server address (check_server) when the agent leaves the field and again before
// the password is sent: a wrong address is said as such, in plain words, next to the field.
import * as backend from './backend.js';
import { $ } from './dom.js';
import { errorText } from './i18n.js';

let checked = { url: null, ok: false, message: '' };

async function check(url) {
  if (checked.url === url) return checked;
  const result = await backend.checkServer(url);
  checked = { url, ok: result.ok, message: result.ok ? result.value : errorText(result.error) };
  return checked;
}

function say({ ok, message }) {
  const hint = $('server-check');
  hint.textContent = message;
  hint.classList.toggle('bad', !ok);
  hint.classList.toggle('good', ok);
  $('server-url').setAttribute('aria-invalid', String(!ok));
}

/** True when the typed address is a uContact server; otherwise the reason is shown and the field focused. */
export async function verify() {
  const url = $('server-url').value.trim();
  const verdict = await check(url);
  say(verdict);
  if (!verdict.ok) {
    $('signin-error').textContent = verdict.message;
    $('server-url').focus();
  }
  return verdict.ok;
}

export function install() {
  $('server-url').addEventListener('change', async () => {
    const url = $('server-url').value.trim();
    if (url) say(await check(url));
  });
  $('server-url').addEventListener('input', () => { $('server-check').textContent = ''; $('server-url').removeAttribute('aria-invalid'); });
}
