// @ts-check: reads payloads typed from the Rust types (ui/types/payloads.d.ts).
// The phone light in the header (crates/phone through src-tauri/src/phone): hidden while the phone is off; amber
// while connecting, green when registered, red with the reason (and when it tries again) when it is not. A phone
// that stops working is said at once, as losing the server is.
import { announce } from './a11y.js';
import * as backend from './backend.js';
import { $, status } from './dom.js';
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

let muted = false;
let held = false;

/** @param {import('../types/payloads').PhoneCall} call */
function renderCall(call) {
  const ringing = call.state === 'ringing';
  $('phone-ringing').hidden = !ringing;
  if (ringing) {
    const caller = call.name && call.number ? `${call.name} (${call.number})` : call.name || call.number || t('phone.unknown_caller');
    $('phone-caller').textContent = t('phone.ringing_from', { caller });
    $('phone-answer').focus();
  }
  const up = ['answered', 'connected', 'held', 'resumed', 'muted', 'unmuted', 'digit'].includes(call.state);
  $('phone-controls').hidden = !up;
  if (call.state === 'muted') muted = true;
  if (call.state === 'unmuted') muted = false;
  if (call.state === 'answered' || call.state === 'ended') { muted = false; held = false; }
  if (call.state === 'held') held = true;
  if (call.state === 'resumed') held = false;
  showControls();
}

function showControls() {
  $('phone-mute').setAttribute('aria-pressed', String(muted));
  $('phone-mute').textContent = t(muted ? 'phone.unmute' : 'phone.mute');
  $('phone-hold').setAttribute('aria-pressed', String(held));
  $('phone-hold').textContent = t(held ? 'phone.resume' : 'phone.hold');
}

/** @param {Promise<import('./backend.js').Answer<null>>} pending */
async function act(pending) {
  const result = await pending;
  if (!result.ok) status(errorText(result.error), true);
}

/** The digit keys while the call card (or the keypad) has the focus go to the call as tones (an IVR's menu). */
function onKey(/** @type {KeyboardEvent} */ e) {
  if ($('phone-controls').hidden || e.ctrlKey || e.altKey || e.metaKey) return;
  if (!/^[0-9*#]$/.test(e.key)) return;
  const target = /** @type {HTMLElement} */ (e.target);
  if (!target.closest('#call-card, #phone-keypad')) return;
  e.preventDefault();
  act(backend.phoneDigits(e.key));
}

export async function install() {
  document.addEventListener('keydown', onKey);
  $('phone-keypad').addEventListener('click', (e) => {
    const key = /** @type {HTMLElement} */ (e.target).closest('[data-digit]');
    if (key instanceof HTMLElement && key.dataset.digit) act(backend.phoneDigits(key.dataset.digit));
  });
  onLanguage(() => { if (last) render(last); showControls(); });
  $('phone-answer').addEventListener('click', () => act(backend.phoneAnswer()));
  $('phone-reject').addEventListener('click', () => act(backend.phoneReject()));
  $('phone-mute').addEventListener('click', () => act(backend.phoneMute(!muted)));
  $('phone-hold').addEventListener('click', () => act(backend.phoneHold(!held)));
  await backend.onPhoneCall(renderCall);
  await backend.onPhone(render);
  const result = await backend.phoneStatus();
  if (result.ok) render(result.value);
}
