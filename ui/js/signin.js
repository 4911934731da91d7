// The sign-in screen (the server address checked first: server.js) and signing out.
import * as backend from './backend.js';
import { $, show, status } from './dom.js';
import { errorText, t } from './i18n.js';
import * as policy from './policy.js';
import * as server from './server.js';

let hooks = null;

/** Shows the sign-in form with what the app remembers (`info`: the app's status). */
export function enter(info) {
  show('signin');
  $('server-url').value = info.server_url || '';
  $('agent-user').value = info.agent_user || '';
  policy.apply(); // a server URL the policy locks is shown read-only
  ($('server-url').value ? ($('agent-user').value ? $('password') : $('agent-user')) : $('server-url')).focus();
}

/** A sign-in the app could not restore: the form, with why. */
export function failed(message) {
  enter(hooks.info());
  $('signin-error').textContent = message;
}

export async function signOut() {
  await backend.signOut();
  await hooks.refresh();
  enter(hooks.info());
}

async function submit(e) {
  e.preventDefault();
  const overrides = {};
  for (const field of ['callerid', 'outqueue', 'extension', 'context', 'tech']) overrides[field] = $(`ov-${field}`).value.trim();
  $('signin-btn').disabled = true;
  $('signin-error').textContent = '';
  status(t('signin.working'));
  // The address first: a typo there is said as such, and the password is not sent to a server that is not uContact.
  if (!await server.verify()) { $('signin-btn').disabled = false; status(''); return; }
  const form = { server_url: $('server-url').value.trim(), agent: $('agent-user').value.trim(), password: $('password').value, overrides };
  const result = await backend.signIn(form);
  $('signin-btn').disabled = false;
  $('password').value = '';
  if (!result.ok) {
    status('');
    $('signin-error').textContent = errorText(result.error);
    (result.error.code === 'wrong_credentials' ? $('password') : $('server-url')).focus();
    return;
  }
  status('');
  await hooks.refresh();
  hooks.signedIn();
}

/** `given`: info() (the app's status as last read), refresh() (reads it again), signedIn() (shows the desk). */
export function install(given) {
  hooks = given;
  server.install();
  $('signin-form').addEventListener('submit', submit);
  $('signout-btn').addEventListener('click', signOut);
}
