// @ts-check: reads the call view (ui/types/payloads.d.ts).
// The call card: the desk's call as the Rust side publishes it (state, number, campaign, direction, GUID, timer,
// the hint of the moment), its buttons (hang up, the customer hung up, copy the GUID, "nothing to file" for a dial
// that failed) and the recording's tag. The card's state is also #call-card[data-state] (idle, dialing, in_call,
// wrap_up: agent::desk::CallState as serialized), for the CSS and the tests, whatever the language shown.
import * as backend from './backend.js';
import { callLength, clock } from './clock.js';
import { $, status } from './dom.js';
import { errorText, t } from './i18n.js';

/** @typedef {import('../types/payloads').CallView} CallView */
/** @typedef {import('../types/payloads').HotkeyStatus} HotkeyStatus */

/** @type {Partial<CallView>} */
let view = { state: 'idle' };
let timer = null;
let shownExtension = '';
// The hang-up hotkey as registered now (the hint names the agent's own binding; none when unbound).
let hangUpCombo = '';

/** The call view the card shows. */
export function current() {
  return view;
}

function tick() {
  $('call-timer').textContent = clock(callLength(view));
}

/** Shows `next`; `extension` is the agent's, for the dialing hint.
 * @param {CallView} next
 * @param {string} [extension] */
export function show(next, extension = shownExtension) {
  view = next;
  shownExtension = extension;
  const state = view.state;
  $('call-card').dataset.state = state;
  $('call-state').textContent = t(`state.${state}`);
  $('call-state').className = `state state-${state}`;
  $('call-number').textContent = view.number || '—';
  $('call-campaign').textContent = view.campaign || '—';
  // Beside the state, not a row of its own: the in-call panel must fit the window without scrolling.
  $('call-direction').textContent = view.direction && state !== 'idle' ? t(`call.direction_${view.direction}`) : '';
  $('call-guid').textContent = view.guid || '—';
  $('copy-guid').hidden = !view.guid;
  $('hangup-btn').disabled = state !== 'in_call';
  $('customer-hungup-btn').disabled = state !== 'in_call';
  $('tag-form').hidden = !(state === 'in_call' || state === 'wrap_up');
  $('crm-open-btn').hidden = state === 'idle' || !crmOn;
  $('dial-btn').disabled = state === 'dialing' || state === 'in_call';
  const hints = {
    dialing: t('hint.dialing', { ext: extension, number: view.number }),
    in_call: inCallHint(),
    wrap_up: t('hint.wrap_up'),
  };
  $('call-hint').textContent = hints[state] || '';
  // A dial that failed, with its own wrap-up: why, and the way out when there is nothing to file.
  const attempt = state === 'wrap_up' && view.failed_attempt;
  $('dispo-attempt').hidden = !attempt;
  if (attempt) $('dispo-attempt-why').textContent = t('dispo.attempt', { reason: errorText(view.last_error) });
  if (state === 'dialing') status(hints.dialing);
  if (view.last_error && state === 'idle') status(errorText(view.last_error), true);
  const pending = $('pending');
  pending.hidden = !view.pending_outbox;
  pending.textContent = t('desk.pending', { count: view.pending_outbox });
  tick();
  clearInterval(timer);
  if (state === 'dialing' || state === 'in_call') timer = setInterval(tick, 1000);
}

function inCallHint() {
  const key = view.direction === 'inbound' ? 'hint.in_call_inbound' : 'hint.in_call';
  return t(hangUpCombo ? key : `${key}_no_hotkey`, { number: view.number, hotkey: hangUpCombo });
}

/** Takes the hotkeys' registration report (`hotkeys` event, `hotkey_status`): the hint follows a rebound hang-up.
 * @param {HotkeyStatus[]} report */
function hotkeys(report) {
  const hangUp = (report || []).find((s) => s.action === 'hang_up');
  const combo = hangUp ? hangUp.combo : '';
  if (combo === hangUpCombo) return;
  hangUpCombo = combo;
  if (view.state === 'in_call') $('call-hint').textContent = inCallHint();
}

let crmOn = false;

/** Whether a screen-pop address is set (the session status says): only then the card offers Open in CRM. */
export function setCrm(on) {
  crmOn = Boolean(on);
  $('crm-open-btn').hidden = view.state === 'idle' || !crmOn;
}

async function say(request) {
  const result = await request;
  if (!result.ok) status(errorText(result.error), true);
}

export function install() {
  backend.onHotkeys(hotkeys);
  backend.hotkeyStatus().then((result) => result.ok && hotkeys(result.value));
  $('hangup-btn').addEventListener('click', () => say(backend.hangUp()));
  $('customer-hungup-btn').addEventListener('click', () => say(backend.customerHungUp()));
  $('attempt-discard').addEventListener('click', () => say(backend.discardAttempt()));
  $('crm-open-btn').addEventListener('click', () => say(backend.crmOpen()));
  // `O` on the call card (not while typing a tag): the call in the CRM again, whether or not it popped by itself.
  $('call-card').addEventListener('keydown', (e) => {
    const typing = /** @type {HTMLElement} */ (e.target).closest('input, textarea, select, form');
    if (typing || e.ctrlKey || e.altKey || e.metaKey || (e.key !== 'o' && e.key !== 'O')) return;
    if ($('crm-open-btn').hidden) return;
    e.preventDefault();
    say(backend.crmOpen());
  });
  $('copy-guid').addEventListener('click', async () => {
    const result = await backend.copyText(view.guid || '');
    status(result.ok ? t('call.copied') : errorText(result.error), !result.ok);
  });
  $('tag-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('tag-text').value;
    const result = await backend.tag(text);
    if (result.ok) { status(t('call.tagged', { text })); $('tag-text').value = ''; } else status(errorText(result.error), true);
  });
}
