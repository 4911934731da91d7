// The app's screens: sign-in, the call desk (dial, call card, tag, disposition) and settings. Reacts to the
// desk's events; acts on error codes, shows messages as the Rust side wrote them. What it shows comes from the
// Rust side: the campaigns and the default one (agent::campaigns), the dial draft (owned by the app: every edit of
// the number field or the campaign is reported with setDraft, and a link's number arrives as an event).
import * as a11y from './a11y.js';
import * as backend from './backend.js';
import * as breaks from './breaks.js';
import * as callbacks from './callbacks.js';
import * as wrapup from './wrapup.js';
import * as connection from './connection.js';
import * as cti from './cti.js';
import * as dialer from './dialer.js';
import * as dispo from './dispo.js';
import * as layout from './layout.js';
import { latest } from './latest.js';
import * as outbox from './outbox.js';
import * as policy from './policy.js';
import { $, show, status } from './dom.js';
import { setLanguage, t } from './i18n.js';
import * as server from './server.js';
import * as settings from './settings.js';
import * as update from './update.js';
import * as shortcuts from './shortcuts.js';
import * as today from './today.js';

let info = null;      // status from Rust: identity, campaigns…
let view = { state: 'idle' };
let timer = null;
let hangingUpAt = 0;  // when a hang-up hotkey was pressed: keys typed next belong to the disposition

async function start() {
  a11y.install();
  shortcuts.install();
  server.install();
  dispo.install();
  breaks.install();
  callbacks.install();
  wrapup.install();
  cti.install();
  outbox.install();
  update.install();
  connection.install();
  installConfirm();
  settings.install(() => show('desk'), refreshInfo);
  dialer.install(() => show('desk'), () => ({ list: info.campaigns || [], current: $('campaign').value || info.default_campaign }));
  today.install({
    back: () => { show('desk'); $('number').focus(); },
    redial: redialFromHistory,
    openOutbox: () => { show('desk'); outbox.open(); },
    wrapUpOf: (guid) => view.state === 'wrap_up' && view.guid === guid,
    fileOnDesk: focusDisposition,
  });
  // Listen before asking: the automatic sign-in can finish, and say so, while the first status is on its way; a
  // 'session' missed there left the sign-in form on screen over a live desk.
  let sessionSaid = false;
  await backend.onSession((signedIn) => {
    sessionSaid = true;
    return refreshInfo().then(signedIn ? enterDesk : enterSignIn);
  });
  const result = await backend.status();
  if (sessionSaid) return finishStart(); // its handler has the newer status and shows the right screen
  info = result.value;
  await setLanguage(info.language);
  if (info.signed_in) enterDesk(); else enterSignIn();
  finishStart();
}

function finishStart() {
  backend.onDesk(onDeskEvent);
  backend.onFocusDisposition(focusDisposition);
  backend.onActionError((err) => { hangingUpAt = 0; dispo.discardEarly(); status(err.message, true); });
  backend.onHangingUp(() => { hangingUpAt = Date.now(); });
  backend.onRequestSignOut(signOut);
  backend.onDialLink(offerLink);
  backend.onWake((w) => (w.problem ? status(w.problem.message, true) : status(t(w.resumed ? 'wake.resumed' : 'wake.network'))));
  backend.onRestoreFailed((err) => { enterSignIn(); $('signin-error').textContent = err.message; });
  installHotkeysInWindow();
}

async function refreshInfo() {
  const result = await backend.status();
  if (result.ok) info = result.value;
  await setLanguage(info.language);
}

function enterSignIn() {
  show('signin');
  $('server-url').value = info.server_url || '';
  $('agent-user').value = info.agent_user || '';
  policy.apply(); // a server URL the policy locks is shown read-only
  ($('server-url').value ? ($('agent-user').value ? $('password') : $('agent-user')) : $('server-url')).focus();
}

async function enterDesk() {
  show('desk');
  const id = info.identity || {};
  $('agent-name').textContent = id.name || id.agent || '';
  $('agent-ext').textContent = id.extension || '';
  const select = $('campaign');
  select.replaceChildren(...(info.campaigns || []).map((c) => new Option(c, c)));
  select.value = info.default_campaign || '';
  await deskView.answer(backend.callState);
  await breaks.refresh();
  await wrapup.refresh();
  today.showShift();
  // Never take the focus from where the agent already is (a second 'session' can arrive while they work).
  if (!document.activeElement || document.activeElement === document.body) $('number').focus();
}

$('signin-form').addEventListener('submit', async (e) => {
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
    $('signin-error').textContent = result.error.message;
    (result.error.code === 'wrong_credentials' ? $('password') : $('server-url')).focus();
    return;
  }
  status('');
  await refreshInfo();
  enterDesk();
});

// The saved password stopped working mid-shift (changed by an administrator): ask for the new one in place.
function askPassword(reason) {
  $('relogin').hidden = false;
  $('relogin-error').textContent = reason || '';
  layout.signInLost(reason);
  // The prompt is announced; it takes the focus only if the agent is not typing somewhere else, so the rest of
  // a phone number or a comment never lands in the password field (a background retry can find the expiry).
  if (!typingElsewhere()) $('relogin-password').focus();
}

function typingElsewhere() {
  const el = document.activeElement;
  if (!el || el === document.body || $('relogin').contains(el)) return false;
  return el.isContentEditable || el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(el.type));
}
$('relogin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const result = await backend.renewSession($('relogin-password').value);
  $('relogin-password').value = '';
  if (!result.ok) { $('relogin-error').textContent = result.error.message; $('relogin-password').focus(); return; }
  $('relogin').hidden = true;
  status(t('relogin.done'));
});

async function signOut() {
  await backend.signOut();
  await refreshInfo();
  enterSignIn();
}
$('signout-btn').addEventListener('click', signOut);

// The number field and the campaign picker show the app's dial draft; every edit goes to it.
function reportDraft() {
  backend.setDraft({ number: $('number').value, campaign: $('campaign').value });
}
// After a call: an empty field already is the app's draft (a dial by hotkey from the clipboard leaves it empty),
// and every command costs the page a little memory for a while (BENCHMARKS.md, Decisions: fewer
// messages per call): only a number there is reported.
function clearDraft() {
  if (!$('number').value) return;
  $('number').value = '';
  reportDraft();
}
$('number').addEventListener('input', reportDraft);
$('campaign').addEventListener('change', reportDraft);

async function dial(number, campaign) {
  const result = await backend.dial(number, campaign);
  if (!result.ok) {
    if (result.error.code === 'on_break') { breaks.askDial(number, campaign, dial); return; }
    status(result.error.message, true);
    if (result.error.code === 'invalid_number') $('number').focus();
    if (result.error.code === 'wrap_up_required') focusDisposition();
  }
}
$('attempt-discard').addEventListener('click', async () => {
  const result = await backend.discardAttempt();
  if (!result.ok) status(result.error.message, true);
});
// Enter on a call of the Today screen: the number in the dial field (and its campaign, when offered), then the
// same dial as the Dial button.
function redialFromHistory(number, campaign) {
  show('desk');
  $('number').value = number;
  if (campaign && [...$('campaign').options].some((o) => o.value === campaign)) $('campaign').value = campaign;
  reportDraft();
  $('number').focus();
  dial(number, $('campaign').value || null);
}
$('dial-form').addEventListener('submit', (e) => {
  e.preventDefault();
  dial($('number').value, $('campaign').value || null);
});

// A tel:/callto: link or a number on the command line, already the app's dial draft: shown, the agent confirms
// with Enter (or Esc).
function offerLink(number) {
  show('desk');
  $('number').value = number;
  $('link-banner').textContent = t('link.confirm', { number });
  $('link-banner').hidden = false;
  $('number').focus();
  $('number').select();
}
function clearLink() { $('link-banner').hidden = true; }
$('number').addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !$('link-banner').hidden) { $('number').value = ''; reportDraft(); clearLink(); }
});
$('dial-form').addEventListener('submit', clearLink);

$('hangup-btn').addEventListener('click', async () => {
  const result = await backend.hangUp();
  if (!result.ok) status(result.error.message, true);
});
$('customer-hungup-btn').addEventListener('click', async () => {
  const result = await backend.customerHungUp();
  if (!result.ok) status(result.error.message, true);
});
$('copy-guid').addEventListener('click', async () => {
  const result = await backend.copyText(view.guid || '');
  status(result.ok ? t('call.copied') : result.error.message, !result.ok);
});
$('tag-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('tag-text').value;
  const result = await backend.tag(text);
  if (result.ok) { status(t('call.tagged', { text })); $('tag-text').value = ''; } else status(result.error.message, true);
});

function onDeskEvent(event) {
  if (event.type === 'state') deskView.event(event.view);
  if (event.type === 'notice' && event.kind === 'sign_in_lost') askPassword(event.text);
  // The count on the card comes with the outbox's event (the app does not send the same view again for it).
  if (event.type === 'outbox') { outbox.changed(); deskView.event({ ...view, pending_outbox: event.pending + event.rejected }); }
  if (event.type === 'notice' && event.kind === 'disposition_waiting') status(t('dispo.waiting'));
  if (event.type === 'notice') portalNotice(event.kind);
}

// What the portal reported through the bridge, worded from the call the card already shows.
function portalNotice(kind) {
  const facts = { number: view.number || t('portal.unknown_number'), campaign: view.campaign || '—', guid: view.guid || '' };
  if (kind === 'call_ringing') status(t(view.direction === 'outbound' ? 'portal.ringing_outbound' : 'portal.ringing', facts));
  if (kind === 'disposed_in_portal') status(t('portal.disposed'));
  if (kind === 'waiting_disposition_dropped') status(t('portal.dropped'));
}

// The card follows the desk's state events; the answer to callState fills it only when no event overtook it.
const deskView = latest(render);

function render(next) {
  const previous = view.state;
  view = next;
  const state = view.state;
  layout.follow(previous, view);
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
  $('dial-btn').disabled = state === 'dialing' || state === 'in_call';
  const ext = (info.identity || {}).extension || '';
  const hints = { dialing: t('hint.dialing', { ext, number: view.number }), in_call: t(view.direction === 'inbound' ? 'hint.in_call_inbound' : 'hint.in_call', { number: view.number, hotkey: 'Ctrl+Alt+H' }), wrap_up: t('hint.wrap_up') };
  $('call-hint').textContent = hints[state] || '';
  // A dial that failed, with its own wrap-up: why, and the way out when there is nothing to file.
  const attempt = state === 'wrap_up' && view.failed_attempt;
  $('dispo-attempt').hidden = !attempt;
  if (attempt) $('dispo-attempt-why').textContent = t('dispo.attempt', { reason: (view.last_error || {}).message || '' });
  breaks.deskState(state);
  callbacks.deskView(view);
  if (state === 'dialing') status(hints.dialing);
  if (view.last_error && state === 'idle') status(view.last_error.message, true);
  cti.render(view);
  const pending = $('pending');
  pending.hidden = !view.pending_outbox;
  pending.textContent = t('desk.pending', { count: view.pending_outbox });
  tick();
  clearInterval(timer);
  if (state === 'dialing' || state === 'in_call') timer = setInterval(tick, 1000);
  if (state === 'in_call' && previous !== 'in_call') dispo.prefetch(view.campaign);
  if (state === 'wrap_up' && previous !== 'wrap_up') focusDisposition();
  if (state === 'idle' && previous === 'wrap_up') { dispo.close(); clearDraft(); $('number').focus(); }
}

function tick() {
  const end = view.ended_at || Date.now();
  const secs = view.started_at ? Math.max(0, Math.floor((end - view.started_at) / 1000)) : 0;
  $('call-timer').textContent = `${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
}

async function focusDisposition() {
  if (!info || !info.signed_in && !info.identity) return;
  show('desk');
  if (view.state !== 'wrap_up') { status(t('hint.wrap_up')); return; }
  if ($('dispo-form').hidden) await dispo.open(view.campaign, info.campaigns || [], submitDisposition);
  else dispo.focus();
}

async function submitDisposition(form) {
  const result = await backend.dispose(form);
  if (!result.ok) {
    const { code, message } = result.error;
    if (code === 'confirmation_required') { askConfirmation(message, () => submitDisposition({ ...form, confirmed: true })); return; }
    status(message, true);
    if (code === 'invalid_schedule') { dispo.showSchedule(); return; }
    dispo.focus();
    return;
  }
  status(result.value.delivered ? t('dispo.saved') : t('dispo.waiting'));
  if (result.value.action_error) status(t('dispo.action_problem', { message: result.value.action_error.message }), true);
}

// A leaf's dialer action that cannot be undone (blacklist) waits for a yes.
let confirmed = null;
function askConfirmation(question, yes) {
  confirmed = yes;
  $('dispo-question').textContent = question;
  $('dispo-confirm').hidden = false;
  $('dispo-confirm-yes').focus();
}
function closeConfirmation() { $('dispo-confirm').hidden = true; confirmed = null; dispo.focus(); }
function installConfirm() {
  $('dispo-confirm-yes').addEventListener('click', () => { const yes = confirmed; $('dispo-confirm').hidden = true; confirmed = null; if (yes) yes(); });
  $('dispo-confirm-no').addEventListener('click', closeConfirmation);
  $('dispo-confirm').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeConfirmation(); } });
}

// During wrap-up, keys typed while the focus is not in a text field go to the disposition picker, including keys
// typed before it finished opening (1 1 1 Enter right after the hang-up hotkey).
document.addEventListener('keydown', (e) => {
  const wrapUpComing = view.state === 'in_call' && Date.now() - hangingUpAt < 3000;
  if (!(view.state === 'wrap_up' || wrapUpComing) || e.ctrlKey || e.altKey || e.metaKey) return;
  // The number field does not take input during a call; fields of the forms that do are left alone.
  const el = document.activeElement;
  if (el && el.matches('input, textarea, select') && el.closest('#dispo-form, #tag-form, #settings, #signin')) return;
  // The Today screen's keys are its own (Enter there dials again; the form says why not during wrap-up).
  if (el && el.closest('#today')) return;
  // The respool editor, the CTI box and the confirmation have keys of their own.
  if (el && el.closest('#respool-form, #cti-paste, #dispo-confirm, #remind-form, #callbacks-panel')) return;
  if (dispo.press(e.key)) e.preventDefault();
});

// The same combinations inside the window, for desktops without global hotkeys (Wayland without the portal).
async function installHotkeysInWindow() {
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

start();
