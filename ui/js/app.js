// @ts-check: reads or builds payloads typed from the Rust types (ui/types/payloads.d.ts).
// The main window: starts every part and follows the desk's events. Its parts: sign-in (signin.js, relogin.js),
// the dial form (dialform.js), the call card (callcard.js), the disposition (dispo.js, confirm.js), the keys typed
// during wrap-up (keys.js) and the hotkeys inside the window (hotkeys.js), breaks, callbacks, CTI, the outbox, the
// Today, Dialer and Settings screens. Acts on error codes and shows messages as the Rust side wrote them; what it
// shows comes from the Rust side (the campaigns and the default one, the dial draft, the call's view).
import * as a11y from './a11y.js';
import * as backend from './backend.js';
import * as breaks from './breaks.js';
import * as callbacks from './callbacks.js';
import * as callcard from './callcard.js';
import * as confirm from './confirm.js';
import * as connection from './connection.js';
import * as cti from './cti.js';
import * as dialer from './dialer.js';
import * as dialform from './dialform.js';
import * as dispo from './dispo.js';
import * as hotkeys from './hotkeys.js';
import * as keys from './keys.js';
import * as layout from './layout.js';
import { latest } from './latest.js';
import * as outbox from './outbox.js';
import * as phone from './phone.js';
import * as relogin from './relogin.js';
import { $, show, status } from './dom.js';
import { errorText, setLanguage, t } from './i18n.js';
import * as settings from './settings.js';
import * as signin from './signin.js';
import * as update from './update.js';
import * as shortcuts from './shortcuts.js';
import * as today from './today.js';
import * as wrapup from './wrapup.js';

let info = null;      // status from Rust: identity, campaigns…

async function start() {
  a11y.install();
  shortcuts.install();
  signin.install({ info: () => info, refresh: refreshInfo, signedIn: enterDesk });
  relogin.install();
  dialform.install(focusDisposition);
  callcard.install();
  dispo.install();
  confirm.install(() => dispo.focus());
  breaks.install();
  callbacks.install();
  wrapup.install();
  cti.install();
  outbox.install();
  update.install();
  connection.install();
  phone.install();
  settings.install(() => show('desk'), refreshInfo);
  dialer.install(() => show('desk'), () => ({ list: info.campaigns || [], current: $('campaign').value || info.default_campaign }));
  today.install({
    back: () => { show('desk'); dialform.focus(); },
    redial: dialform.redial,
    openOutbox: () => { show('desk'); outbox.open(); },
    wrapUpOf: (guid) => callcard.current().state === 'wrap_up' && callcard.current().guid === guid,
    fileOnDesk: focusDisposition,
  });
  keys.install(() => callcard.current().state);
  // Listen before asking: the automatic sign-in can finish, and say so, while the first status is on its way; a
  // 'session' missed there left the sign-in form on screen over a live desk.
  let sessionSaid = false;
  await backend.onSession((signedIn) => {
    sessionSaid = true;
    return refreshInfo().then(() => (signedIn ? enterDesk() : signin.enter(info)));
  });
  const result = await backend.status();
  if (sessionSaid) return finishStart(); // its handler has the newer status and shows the right screen
  if (!result.ok) { status(errorText(result.error), true); return finishStart(); }
  info = result.value;
  await setLanguage(info.language);
  if (info.signed_in) enterDesk(); else signin.enter(info);
  finishStart();
}

function finishStart() {
  backend.onDesk(onDeskEvent);
  backend.onFocusDisposition(focusDisposition);
  backend.onActionError((err) => { keys.hangUpFailed(); status(errorText(err), true); });
  backend.onHangingUp(keys.hangingUp);
  backend.onRequestSignOut(signin.signOut);
  backend.onDialLink(dialform.offerLink);
  backend.onWake((w) => (w.problem ? status(errorText(w.problem), true) : status(t(w.resumed ? 'wake.resumed' : 'wake.network'))));
  backend.onRestoreFailed((err) => signin.failed(errorText(err)));
  hotkeys.install();
}

async function refreshInfo() {
  const result = await backend.status();
  if (result.ok) info = result.value;
  await setLanguage(info.language);
  callcard.setCrm(info.screen_pop); // Settings saved: the desk is already on screen
}

async function enterDesk() {
  show('desk');
  const id = info.identity || {};
  $('agent-name').textContent = id.name || id.agent || '';
  $('agent-ext').textContent = id.extension || '';
  dialform.campaigns(info.campaigns || [], info.default_campaign);
  callcard.setCrm(info.screen_pop);
  await deskView.answer(backend.callState);
  await breaks.refresh();
  await wrapup.refresh();
  today.showShift();
  // Never take the focus from where the agent already is (a second 'session' can arrive while they work).
  if (!document.activeElement || document.activeElement === document.body) dialform.focus();
}

/** @param {import('../types/payloads').DeskEvent} event */
function onDeskEvent(event) {
  if (event.type === 'state') deskView.event(event.view);
  if (event.type === 'notice' && event.kind === 'sign_in_lost') relogin.ask(event.text);
  // The count on the card comes with the outbox's event (the app does not send the same view again for it).
  if (event.type === 'outbox') { outbox.changed(); deskView.event({ ...callcard.current(), pending_outbox: event.pending + event.rejected }); }
  if (event.type === 'notice' && event.kind === 'disposition_waiting') status(t('dispo.waiting'));
  if (event.type === 'notice') portalNotice(event.kind);
}

// What the portal reported through the bridge, worded from the call the card already shows.
function portalNotice(kind) {
  const view = callcard.current();
  const facts = { number: view.number || t('portal.unknown_number'), campaign: view.campaign || '—', guid: view.guid || '' };
  if (kind === 'call_ringing') status(t(view.direction === 'outbound' ? 'portal.ringing_outbound' : 'portal.ringing', facts));
  if (kind === 'disposed_in_portal') status(t('portal.disposed'));
  if (kind === 'waiting_disposition_dropped') status(t('portal.dropped'));
}

// The desk follows the desk's state events; the answer to callState fills it only when no event overtook it.
const deskView = latest(render);

function render(view) {
  const previous = callcard.current().state;
  const state = view.state;
  layout.follow(previous, view);
  callcard.show(view, (info.identity || {}).extension || '');
  breaks.deskState(state);
  callbacks.deskView(view);
  cti.render(view);
  if (state === 'in_call' && previous !== 'in_call') dispo.prefetch(view.campaign);
  if (state === 'wrap_up' && previous !== 'wrap_up') focusDisposition();
  if (state === 'idle' && previous === 'wrap_up') { dispo.close(); dialform.clearDraft(); dialform.focus(); }
}

async function focusDisposition() {
  if (!info || !info.signed_in && !info.identity) return;
  show('desk');
  const view = callcard.current();
  if (view.state !== 'wrap_up') { status(t('hint.wrap_up')); return; }
  if ($('dispo-form').hidden) await dispo.open(view.campaign, info.campaigns || [], submitDisposition);
  else dispo.focus();
}

async function submitDisposition(form) {
  const result = await backend.dispose(form);
  if (!result.ok) {
    const { code, message } = result.error;
    if (code === 'confirmation_required') { confirm.ask(message, () => submitDisposition({ ...form, confirmed: true })); return; }
    status(message, true);
    if (code === 'invalid_schedule') { dispo.showSchedule(); return; }
    dispo.focus();
    return;
  }
  status(result.value.delivered ? t('dispo.saved') : t('dispo.waiting'));
  if (result.value.action_error) status(t('dispo.action_problem', { message: errorText(result.value.action_error) }), true);
}

start();
