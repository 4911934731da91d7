// The Today screen: the day's calls from the local history (newest first) and the shift's figures. Keyboard-first:
// type to filter, ↑ ↓ to pick, Enter dials the number again (the desk's own dial path), C copies the GUID, F files
// a disposition the server refused (the outbox's fix and resend), the one the call on the desk owes, or one a call
// of the day ended without (late.js).
import * as a11y from './a11y.js';
import * as backend from './backend.js';
import { clock } from './clock.js';
import { $, fillList, setText, show, status } from './dom.js';
import { errorText, t } from './i18n.js';
import * as late from './late.js';

let calls = [];
let shown = [];
let picked = 0;
let hooks = null;
let ticker = null;

const hhmm = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function text(call) {
  return [call.number, call.campaign, call.disposition, call.guid, ...(call.tags || [])].join(' ').toLowerCase();
}

/** The shift line on the desk's card between calls (hidden until the history answers). */
function shiftLine(f) {
  const line = $('shift-line');
  line.textContent = t('today.shift', { calls: f.calls, talk: clock(f.talk_ms), aht: clock(f.average_handle_ms), wrap: clock(f.wrap_ms), breaks: clock(f.break_ms) });
}

let shiftTimer = null;

/** Brings the desk's shift line up to date after sign-in; later changes bring their figures with them (the
 * `history` event, one per burst of changes: a call's end and its disposition write several rows in a moment). */
export function showShift() {
  clearTimeout(shiftTimer);
  shiftTimer = setTimeout(async () => {
    const result = await backend.shiftFigures();
    if (result.ok) shiftLine(result.value);
  }, 250);
}

function figures(f) {
  shiftLine(f);
  $('fig-calls').textContent = String(f.calls);
  $('fig-talk').textContent = clock(f.talk_ms);
  $('fig-aht').textContent = clock(f.average_handle_ms);
  $('fig-wrap').textContent = clock(f.wrap_ms);
  $('fig-breaks').textContent = clock(f.break_ms);
  $('fig-aht-label').title = t('today.aht_long');
}

const el = (tag, className) => Object.assign(document.createElement(tag), { className });

// A row of the list, made once and filled again for whichever call it shows (dom.js fillList).
function makeRow() {
  const li = el('li', 'item');
  li.setAttribute('role', 'option');
  const head = el('div', 'row');
  head.append(el('span', 'muted'), el('strong', 'today-number'), el('span', 'state-label'));
  li.append(head, el('p', 'hint'), el('code', 'guid'));
  li.addEventListener('click', () => {
    const at = shown.findIndex((c) => String(c.id) === li.dataset.key);
    if (at >= 0) { picked = at; render(); $('today-list').focus(); }
  });
  li.addEventListener('dblclick', () => redial());
  return li;
}

function fillRow(li, call, index) {
  li.id = `today-call-${call.id}`;
  li.className = `item item-${call.delivery}`;
  li.setAttribute('aria-selected', String(index === picked));
  li.dataset.guid = call.guid || '';
  li.dataset.delivery = call.delivery;
  const [head, detail, guid] = li.children;
  const [time, number, delivery] = head.children;
  setText(time, hhmm(call.started_at));
  setText(number, call.number || '—');
  delivery.className = `state-label ${call.delivery}`;
  setText(delivery, t(`today.delivery_${call.delivery}`));
  const talk = call.ending === 'not_placed' ? '' : clock((call.ended_at || Date.now()) - call.started_at);
  const facts = [call.campaign, talk, call.ending ? t(`today.ended_${call.ending}`) : t('today.up'), call.disposition, ...(call.tags || []).map((tag) => `#${tag}`)];
  setText(detail, facts.filter(Boolean).join(' · '));
  setText(guid, call.guid || '');
  guid.hidden = !call.guid;
}

function emptyRow(li) {
  li.removeAttribute('id');
  li.className = 'item';
  li.setAttribute('aria-selected', 'false');
  delete li.dataset.guid;
  delete li.dataset.delivery;
  for (const part of [...li.children[0].children, li.children[1], li.children[2]]) setText(part, '');
}

function noCalls(li) {
  li.className = 'hint';
  setText(li, t(calls.length ? 'today.no_match' : 'today.empty'));
  li.setAttribute('role', 'option');
  li.setAttribute('aria-disabled', 'true');
  li.setAttribute('aria-selected', 'false');
}

function render() {
  const filter = $('today-filter').value.trim().toLowerCase();
  shown = filter ? calls.filter((c) => text(c).includes(filter)) : calls;
  picked = Math.min(Math.max(picked, 0), Math.max(shown.length - 1, 0));
  const list = $('today-list');
  // Each ↑/↓ and each keystroke of the filter comes here: the rows are updated in place, by call.
  fillList(list, shown, { key: (call) => call.id, make: makeRow, fill: fillRow, empty: emptyRow, none: noCalls });
  if (!shown.length) { list.removeAttribute('aria-activedescendant'); return; }
  list.setAttribute('aria-activedescendant', `today-call-${shown[picked].id}`);
  const row = $(`today-call-${shown[picked].id}`);
  if (row && row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
}

export async function refresh() {
  const result = await backend.historyToday();
  if (!result.ok) { $('today-result').textContent = errorText(result.error); return; }
  const keep = shown[picked] && shown[picked].id;
  calls = result.value.calls;
  figures(result.value.figures);
  render();
  const again = shown.findIndex((c) => c.id === keep);
  if (again >= 0 && again !== picked) { picked = again; render(); }
}

function move(by) {
  if (!shown.length) return;
  picked = Math.min(Math.max(picked + by, 0), shown.length - 1);
  render();
  a11y.announce(`${shown[picked].number} ${t(`today.delivery_${shown[picked].delivery}`)}`);
}

function current() { return shown[picked]; }

function redial() {
  const call = current();
  if (!call || !call.number) return;
  hooks.redial(call.number, call.campaign || null);
}

async function copyGuid() {
  const call = current();
  if (!call || !call.guid) { $('today-result').textContent = t('today.no_guid'); return; }
  const result = await backend.copyText(call.guid);
  const said = result.ok ? t('today.copied', { guid: call.guid }) : errorText(result.error);
  $('today-result').textContent = said;
  status(said, !result.ok);
}

function file() {
  const call = current();
  if (!call) return;
  if (call.delivery === 'refused' || call.delivery === 'waiting') { hooks.openOutbox(); return; }
  if (call.delivery === 'not_filed' && hooks.wrapUpOf(call.guid)) { hooks.fileOnDesk(); return; }
  if (call.delivery === 'sent') { $('today-result').textContent = t('today.filed_already'); return; }
  if (!call.guid) { $('today-result').textContent = t('today.cannot_file'); return; }
  if (!call.ending) { $('today-result').textContent = t('today.still_up'); return; }
  $('today-result').textContent = '';
  late.open(call, refresh);
}

export function open() {
  show('today');
  if (late.isOpen()) late.close();
  $('today-result').textContent = '';
  // Each visit starts from the whole day, newest first.
  $('today-filter').value = '';
  picked = 0;
  refresh();
  clearInterval(ticker);
  // The figures of a call or a break under way grow while the screen is up.
  ticker = setInterval(() => { if (!$('today').hidden) refresh(); else clearInterval(ticker); }, 5000);
  $('today-filter').focus();
}

/** `hooks`: back(), redial(number, campaign), openOutbox(), wrapUpOf(guid) (is this call's wrap-up on the desk),
 * fileOnDesk(). */
export function install(given) {
  hooks = given;
  late.install();
  $('today-btn').addEventListener('click', open);
  $('today-close').addEventListener('click', () => { clearInterval(ticker); hooks.back(); });
  backend.onHistory((figures) => {
    if (!$('today').hidden) refresh();
    else if (figures) { clearTimeout(shiftTimer); shiftLine(figures); }
  });
  $('today-filter').addEventListener('input', () => { picked = 0; render(); });
  $('today-filter').addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); $('today-list').focus(); move(0); }
    else if (e.key === 'Enter') { e.preventDefault(); redial(); }
  });
  $('today-list').addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const key = e.key;
    if (key === 'ArrowDown' || key === 'ArrowUp') { e.preventDefault(); move(key === 'ArrowDown' ? 1 : -1); }
    else if (key === 'Home' || key === 'End') { e.preventDefault(); picked = key === 'Home' ? 0 : shown.length - 1; render(); }
    else if (key === 'Enter') { e.preventDefault(); redial(); }
    else if (key === 'c' || key === 'C') { e.preventDefault(); copyGuid(); }
    else if (key === 'f' || key === 'F') { e.preventDefault(); file(); }
    else if (key === 'Backspace' || key.length === 1) {
      // Anything else typed on the list goes on filtering.
      e.preventDefault();
      const input = $('today-filter');
      input.value = key === 'Backspace' ? input.value.slice(0, -1) : input.value + key;
      picked = 0;
      render();
      input.focus();
    }
  });
  $('today').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); clearInterval(ticker); hooks.back(); }
  });
}
