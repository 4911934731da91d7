// @ts-check: builds the disposition form and reads the call view (ui/types/payloads.d.ts).
// The compact bar's page (compact.html): state, number, timer, hang-up, and in wrap-up a picker of the
// campaign's codes that need nothing more (a code with a dialer action, a schedule or a confirmation opens the
// full window on the disposition form instead). Follows the desk's events like the main window.
import * as backend from './backend.js';
import { callLength, clock } from './clock.js';
import { $, fillList } from './dom.js';
import { latest } from './latest.js';
import { errorText, setLanguage, t } from './i18n.js';

let view = { state: 'idle' };
let timer = null;
const MORE = '__more__';

function leaves(nodes, path = []) {
  return nodes.flatMap((n) => (n.children && n.children.length ? leaves(n.children, [...path, n.name]) : [{ path: [...path, n.name], action: n.action }]));
}

async function fillCodes() {
  const result = await backend.dispositionTree(view.campaign || '');
  const tree = result.ok ? result.value : null;
  const plain = tree ? leaves(tree.levels).filter((l) => !l.action) : [];
  const select = $('c-code');
  // The options keep their elements from call to call (dom.js fillList): the bar fills this list on every call's
  // wrap-up, and WebKitGTK keeps the elements a page drops (BENCHMARKS.md, Decisions: reused elements instead of dropped ones).
  const codes = [...plain.map((l) => ({ value: JSON.stringify(l.path), text: l.path.join(' › ') })), { value: MORE, text: t('compact.more') }];
  fillList(select, codes, { key: (c) => c.value, make: () => new Option(), fill: (o, c) => { o.value = c.value; o.textContent = c.text; }, drop: true });
  select.selectedIndex = 0;
}

function tick() {
  $('c-timer').textContent = clock(callLength(view));
}

function render(next) {
  const previous = view.state;
  view = next;
  const state = view.state;
  $('bar').dataset.state = state;
  $('c-state').textContent = t(`state.${state}`);
  $('c-state').className = `state state-${state}`;
  $('c-number').textContent = view.number || '';
  $('c-hangup').hidden = state !== 'in_call';
  $('c-dispo').hidden = state !== 'wrap_up';
  if (state === 'wrap_up' && previous !== 'wrap_up') fillCodes();
  tick();
  clearInterval(timer);
  if (state === 'dialing' || state === 'in_call') timer = setInterval(tick, 1000);
}

// The app as the phone: mute and hold while its call is up, their state from the phone's events (the main
// window, the hotkeys and the far end change them too).
const phoneCall = { up: false, muted: false, held: false };

/** @param {import('../types/payloads').PhoneCall} call */
function renderPhone(call) {
  if (call.state === 'answered') Object.assign(phoneCall, { up: true, muted: false, held: false });
  if (call.state === 'ended' || call.state === 'ringing') Object.assign(phoneCall, { up: false, muted: false, held: false });
  if (call.state === 'muted' || call.state === 'unmuted') phoneCall.muted = call.state === 'muted';
  if (call.state === 'held' || call.state === 'resumed') phoneCall.held = call.state === 'held';
  showToggle('c-mute', phoneCall.muted, phoneCall.muted ? 'phone.unmute' : 'phone.mute');
  showToggle('c-hold', phoneCall.held, phoneCall.held ? 'phone.resume' : 'phone.hold');
}

/** @param {string} id @param {boolean} on @param {string} words */
function showToggle(id, on, words) {
  $(id).hidden = !phoneCall.up;
  $(id).setAttribute('aria-pressed', String(on));
  $(id).textContent = t(words);
}

function say(text) {
  $('c-status').textContent = text;
  $('bar').title = text;
}

async function start() {
  const info = await backend.status();
  if (info.ok) await setLanguage(info.value.language);
  // Listen first, then ask: a change between the two is neither lost nor undone by the older answer.
  const shown = latest(render);
  await backend.onDesk((event) => { if (event.type === 'state') shown.event(event.view); });
  await shown.answer(backend.callState);
  await backend.onPhoneCall(renderPhone);
  $('c-mute').addEventListener('click', () => backend.runHotkey('toggle_mute'));
  $('c-hold').addEventListener('click', () => backend.runHotkey('toggle_hold'));
  $('c-hangup').addEventListener('click', async () => {
    const result = await backend.hangUp();
    if (!result.ok) say(errorText(result.error));
  });
  $('c-dispo').addEventListener('submit', async (e) => {
    e.preventDefault();
    const picked = $('c-code').value;
    if (picked === MORE) { backend.runHotkey('open_disposition'); return; }
    const [l1 = '', l2 = '', l3 = ''] = JSON.parse(picked);
    const form = { l1, l2, l3, d1: '', d2: '', comment: '', schedule: null, camptoreschedule: null, tag: '', confirmed: false };
    const result = await backend.dispose(form);
    say(result.ok ? t(result.value.delivered ? 'dispo.saved' : 'dispo.waiting') : errorText(result.error));
  });
  $('c-code').addEventListener('change', () => { if ($('c-code').value === MORE) backend.runHotkey('open_disposition'); });
  $('c-open').addEventListener('click', () => backend.toggleCompact());
  // The bar has no title bar: its background moves it.
  $('bar').addEventListener('mousedown', (e) => {
    if (e.button === 0 && !e.target.closest('button, select, input, option')) backend.compactDrag();
  });
}

start();
