// The compact bar's page (compact.html): state, number, timer, hang-up, and in wrap-up a picker of the
// campaign's codes that need nothing more (a code with a dialer action, a schedule or a confirmation opens the
// full window on the disposition form instead). Follows the desk's events like the main window.
import * as backend from './backend.js';
import { $ } from './dom.js';
import { latest } from './latest.js';
import { setLanguage, t } from './i18n.js';

let view = { state: 'idle' };
let timer = null;
const MORE = '__more__';
let shownCodes = null; // the codes the select holds, as JSON

function leaves(nodes, path = []) {
  return nodes.flatMap((n) => (n.children && n.children.length ? leaves(n.children, [...path, n.name]) : [{ path: [...path, n.name], action: n.action }]));
}

async function fillCodes() {
  const result = await backend.dispositionTree(view.campaign || '');
  const tree = result.ok ? result.value : null;
  const plain = tree ? leaves(tree.levels).filter((l) => !l.action) : [];
  const select = $('c-code');
  // Rebuilt only when the codes change: WebKitGTK keeps the elements a page drops, and the bar fills this list on
  // every call's wrap-up (BENCHMARKS.md, Decisions: reused elements instead of dropped ones).
  const key = JSON.stringify([t('compact.more'), plain]);
  if (key !== shownCodes) {
    select.replaceChildren(...plain.map((l) => new Option(l.path.join(' › '), JSON.stringify(l.path))),
      new Option(t('compact.more'), MORE));
    shownCodes = key;
  }
  select.selectedIndex = 0;
}

function tick() {
  const end = view.ended_at || Date.now();
  const secs = view.started_at ? Math.max(0, Math.floor((end - view.started_at) / 1000)) : 0;
  $('c-timer').textContent = `${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
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
  $('c-hangup').addEventListener('click', async () => {
    const result = await backend.hangUp();
    if (!result.ok) say(result.error.message);
  });
  $('c-dispo').addEventListener('submit', async (e) => {
    e.preventDefault();
    const picked = $('c-code').value;
    if (picked === MORE) { backend.runHotkey('open_disposition'); return; }
    const [l1 = '', l2 = '', l3 = ''] = JSON.parse(picked);
    const form = { l1, l2, l3, d1: '', d2: '', comment: '', schedule: null, camptoreschedule: null, tag: '', confirmed: false };
    const result = await backend.dispose(form);
    say(result.ok ? t(result.value.delivered ? 'dispo.saved' : 'dispo.waiting') : result.error.message);
  });
  $('c-code').addEventListener('change', () => { if ($('c-code').value === MORE) backend.runHotkey('open_disposition'); });
  $('c-open').addEventListener('click', () => backend.toggleCompact());
  // The bar has no title bar: its background moves it.
  $('bar').addEventListener('mousedown', (e) => {
    if (e.button === 0 && !e.target.closest('button, select, input, option')) backend.compactDrag();
  });
}

start();
