// @ts-check: reads or builds payloads typed from the Rust types (ui/types/payloads.d.ts).
// The break card: available / on a break with its motive and a running timer / "break after this call", the
// motive picker, and the "end the break and dial?" question (Enter / Esc) when a dial meets a break.
import * as backend from './backend.js';
import { clock } from './clock.js';
import { $, fillList, status } from './dom.js';
import { errorText, t } from './i18n.js';
import { latest } from './latest.js';

/** @type {Partial<import('../types/payloads').BreakStatus>} */
let current = { state: 'available' };
let motives = [];
let callOnDesk = false;
let timer = null;
let pendingDial = null;

// Motive names are the server's; the default ones have a translation, any other is shown as written.
function label(motive) {
  const key = `motive.${motive}`;
  const text = t(key);
  return text === key ? motive : text;
}

function tick() {
  $('break-timer').textContent = current.since ? clock(Date.now() - current.since) : '';
}

/** @param {Partial<import('../types/payloads').BreakStatus> | null} [next] */
function render(next) {
  current = next || { state: 'available' };
  const { state } = current;
  $('break-card').dataset.state = state;
  $('break-state').textContent = t(`break.${state}`, { motive: label(current.motive || '') });
  $('break-state').className = `state state-break-${state}`;
  $('break-take').hidden = state === 'on_break';
  $('break-end').hidden = state !== 'on_break';
  $('break-cancel').hidden = state !== 'after_call';
  $('break-btn').textContent = t(callOnDesk ? 'break.take_after' : 'break.take');
  $('break-timer').hidden = state !== 'on_break';
  if (current.last_motive && motives.includes(current.last_motive) && state === 'available') $('break-motive').value = current.last_motive;
  clearInterval(timer);
  tick();
  if (state === 'on_break') timer = setInterval(tick, 1000);
}

// The status is shown from the break events, and from an answer only when no event overtook it.
const shown = latest(render);

export async function refresh() {
  const result = await shown.answer(backend.breakStatus, (value) => value.status);
  if (!result.ok) return;
  motives = result.value.motives || [];
  fillList($('break-motive'), motives, { key: (m) => m, make: () => new Option(), fill: (o, m) => { o.value = m; o.textContent = label(m); }, drop: true });
  render(current); // with the motives' labels and the last motive picked
}

// The desk's call state: the button says "after this call" while a call is on the desk.
export function deskState(state) {
  callOnDesk = state !== 'idle';
  render(current);
}

export function onBreak() { return current.state === 'on_break'; }

// A dial met the break: ask, and dial only after "yes" ended it.
export function askDial(number, campaign, dial) {
  pendingDial = { number, campaign, dial };
  $('break-dial-question').textContent = t('break.dial_question', { motive: label(current.motive || ''), number });
  $('break-dial').hidden = false;
  $('break-dial-yes').focus();
}

function closeAsk() {
  $('break-dial').hidden = true;
  pendingDial = null;
  $('number').focus();
}

async function act(ask) {
  const result = await shown.answer(ask);
  if (!result.ok) status(errorText(result.error), true);
  return result.ok;
}

export function install() {
  $('break-btn').addEventListener('click', () => act(() => backend.takeBreak($('break-motive').value)));
  $('break-end').addEventListener('click', () => act(() => backend.endBreak()));
  $('break-cancel').addEventListener('click', () => act(() => backend.endBreak()));
  $('break-dial').addEventListener('submit', async (e) => {
    e.preventDefault();
    const ask = pendingDial;
    $('break-dial').hidden = true;
    pendingDial = null;
    if (ask && await act(() => backend.endBreak())) ask.dial(ask.number, ask.campaign);
  });
  $('break-dial-no').addEventListener('click', closeAsk);
  $('break-dial').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeAsk(); } });
  backend.onBreak(shown.event);
  // The dial hotkey during a break: the window comes up with the question.
  backend.onBreakDial((ask) => askDial(ask.number, ask.campaign, (number, campaign) => backend.dial(number, campaign || null)
    .then((r) => { if (!r.ok) status(errorText(r.error), true); })));
}
