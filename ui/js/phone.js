// @ts-check: reads payloads typed from the Rust types (ui/types/payloads.d.ts).
// The phone light in the header (crates/phone through src-tauri/src/phone): hidden while the phone is off; amber
// while connecting, green when registered, red with the reason (and when it tries again) when it is not. A phone
// that stops working is said at once, as losing the server is.
import { announce } from './a11y.js';
import * as backend from './backend.js';
import { $ } from './dom.js';
import { errorText, onLanguage, t } from './i18n.js';

/** @type {import('../types/payloads').PhoneView | null} */
let last = null;

const LIGHTS = { connecting: 'amber', registered: 'green', not_connected: 'red', off: 'amber' };

/** @param {import('../types/payloads').PhoneView} view */
function render(view) {
  if (view.state === 'not_connected' && last && last.state === 'registered') {
    announce(t('phone.not_connected'), { urgent: true });
  }
  last = view;
  const light = $('phone-light');
  light.hidden = view.state === 'off';
  light.dataset.state = view.state;
  light.dataset.light = LIGHTS[view.state] || 'amber';
  const words = view.state === 'off' ? '' : t(`phone.${view.state}`);
  light.querySelector('.light-text').textContent = words;
  const reason = view.problem ? errorText(view.problem) : '';
  const retry = view.retry_in_secs ? t('phone.retry_in', { secs: view.retry_in_secs }) : '';
  light.title = [words, reason, retry].filter(Boolean).join(' — ');
}

export async function install() {
  onLanguage(() => { if (last) render(last); });
  await backend.onPhone(render);
  const result = await backend.phoneStatus();
  if (result.ok) render(result.value);
}
