// Callbacks: the list (missed ones first, a badge with how many are due), "Remind me…" on the call card, and the
// way back to a call: Enter on an entry (or a click on its reminder) puts the number in the dial field, and Enter
// there dials. Keys in the list: ↑/↓ pick, Enter prefill, D done, Delete dismiss, Esc back. The list itself, the
// reminder's timing and its notification are the app's (crates/callbacks, src-tauri/src/callbacks/).
import * as backend from './backend.js';
import { announce } from './a11y.js';
import { $, fillList, setText, show, status } from './dom.js';
import { errorText, onLanguage, t } from './i18n.js';
import * as dates from './datefields.js';

let list = { items: [], due: 0 };
let call = null;   // the call the "Remind me…" form is about: { number, campaign }

function when(ms) {
  const at = new Date(ms);
  const time = at.toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === new Date().toDateString() ? time : `${at.toLocaleDateString(document.documentElement.lang)} ${time}`;
}

// A datetime-local value for `ms` in local time (what the input shows and the app parses).
function localValue(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function badge() {
  const button = $('callbacks-btn');
  button.hidden = list.items.length === 0;
  button.textContent = list.due ? t('callbacks.badge', { count: list.due }) : t('callbacks.count', { count: list.items.length });
  button.className = list.due ? 'badge' : 'ghost';
  button.dataset.due = String(list.due);
}

const el = (tag, props) => Object.assign(document.createElement(tag), props);

// An entry of the list, made once and filled again for whichever callback it shows (dom.js fillList).
function makeEntry() {
  const li = el('li', { className: 'item' });
  const itemOf = () => list.items.find((i) => String(i.id) === li.dataset.key);
  const open = el('button', { type: 'button', className: 'entry' });
  open.append(el('strong'), document.createTextNode(''), el('span', { className: 'state-label' }), el('span', { className: 'hint' }));
  open.addEventListener('click', () => { const item = itemOf(); if (item) prefill(item); });
  const button = (label, action, className) => {
    const b = el('button', { type: 'button', className });
    b.dataset.action = action;
    b.dataset.label = label;
    b.addEventListener('click', () => { const item = itemOf(); if (item) offList(item, action); });
    return b;
  };
  const row = el('div', { className: 'row' });
  row.append(open, button('callbacks.done', 'done', 'small'), button('callbacks.dismiss', 'dismiss', 'small ghost'));
  li.append(row);
  return li;
}

function fillEntry(li, item) {
  li.className = `item${item.missed ? ' item-missed' : ''}`;
  li.dataset.id = String(item.id);
  const [open, ...buttons] = li.firstChild.children;
  const [number, facts, flag, note] = open.childNodes;
  setText(number, item.number);
  const said = item.missed ? t('callbacks.missed') : (item.due ? t('callbacks.due') : '');
  setText(facts, ` · ${item.campaign || '—'} · ${when(item.due_at)}${said ? ' ' : ''}`);
  setText(flag, said);
  flag.hidden = !said;
  setText(note, item.note ? ` — ${item.note}` : '');
  note.hidden = !item.note;
  for (const b of buttons) {
    setText(b, t(b.dataset.label));
    b.setAttribute('aria-label', `${t(b.dataset.label)}: ${item.number}`);
  }
}

function emptyEntry(li) {
  delete li.dataset.id;
  const [open, ...buttons] = li.firstChild.children;
  for (const part of open.childNodes) part.textContent = '';
  for (const b of buttons) b.removeAttribute('aria-label');
}

function render(next) {
  if (next) list = next;
  badge();
  const ol = $('callbacks-list');
  const focused = document.activeElement && ol.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.id : null;
  fillList(ol, list.items, {
    key: (item) => item.id, make: makeEntry, fill: fillEntry, empty: emptyEntry,
    none: (li) => { li.className = 'hint'; li.textContent = t('callbacks.empty'); },
  });
  // A list that changes under the agent's hands (a reminder came due) keeps their place.
  if (focused && (!document.activeElement || !ol.contains(document.activeElement) || document.activeElement.closest('[hidden]'))) {
    (ol.querySelector(`[data-id="${focused}"] .entry`) || firstEntry() || $('callbacks-close')).focus();
  }
}

// The entries shown (the list keeps hidden ones for later, and a row that says it is empty).
const firstEntry = () => $('callbacks-list').querySelector('li[data-id]:not([hidden]) .entry');

/** The entry shown after (`by` 1) or before (-1) `li`, or null. */
function sibling(li, by) {
  let at = by > 0 ? li.nextElementSibling : li.previousElementSibling;
  while (at && (at.hidden || !at.dataset.id)) at = by > 0 ? at.nextElementSibling : at.previousElementSibling;
  return at;
}

async function refresh() {
  const result = await backend.callbackList();
  if (result.ok) render(result.value); else $('callbacks-error').textContent = errorText(result.error);
}

function openList() {
  show('desk');
  $('callbacks-panel').hidden = false;
  $('callbacks-error').textContent = '';
  refresh().then(() => (firstEntry() || $('callbacks-close')).focus());
}

function closeList() {
  $('callbacks-panel').hidden = true;
  $('callbacks-btn').focus();
}

// The number goes to the dial field (and the app's dial draft) with its campaign; Enter there dials.
export function prefill(item) {
  show('desk');
  $('callbacks-panel').hidden = true;
  const number = $('number');
  number.value = item.number;
  const campaign = $('campaign');
  if (item.campaign && [...campaign.options].some((o) => o.value === item.campaign)) campaign.value = item.campaign;
  number.dispatchEvent(new Event('input'));
  campaign.dispatchEvent(new Event('change'));
  const text = t('callbacks.prefilled', { number: item.number });
  $('link-banner').textContent = text;
  $('link-banner').hidden = false;
  announce(text);
  number.focus();
  number.select();
}

async function offList(item, action) {
  const result = await (action === 'done' ? backend.callbackDone(item.id) : backend.callbackDismiss(item.id));
  if (!result.ok) { $('callbacks-error').textContent = errorText(result.error); return; }
  const text = t('callbacks.off_list', { number: item.number, how: t(`callbacks.how_${action === 'done' ? 'done' : 'dismissed'}`) });
  status(text);
  const li = $('callbacks-list').querySelector(`[data-id="${item.id}"]`);
  const neighbour = li && (sibling(li, 1) || sibling(li, -1));
  await refresh();
  const next = neighbour && $('callbacks-list').querySelector(`[data-id="${neighbour.dataset.id}"] .entry`);
  (next || firstEntry() || $('callbacks-close')).focus();
}

function listKeys(e) {
  if (e.ctrlKey || e.altKey || e.metaKey) return;
  if (e.key === 'Escape') { e.preventDefault(); closeList(); return; }
  const li = document.activeElement && document.activeElement.closest('#callbacks-list li[data-id]');
  if (!li) return;
  const item = list.items.find((i) => String(i.id) === li.dataset.id);
  const move = (to) => { if (to) { e.preventDefault(); to.querySelector('.entry').focus(); } };
  if (e.key === 'ArrowDown') move(sibling(li, 1));
  else if (e.key === 'ArrowUp') move(sibling(li, -1));
  else if (!item) return;
  else if (e.key === 'Enter' && document.activeElement.classList.contains('entry')) { e.preventDefault(); prefill(item); }
  else if (e.key === 'd' || e.key === 'D') { e.preventDefault(); offList(item, 'done'); }
  else if (e.key === 'Delete') { e.preventDefault(); offList(item, 'dismiss'); }
}

// The call the desk shows: "Remind me…" is offered while there is a number to call back.
export function deskView(view) {
  call = view.number ? { number: view.number, campaign: view.campaign || '' } : null;
  $('remind-btn').hidden = !call;
  if (!call) $('remind-form').hidden = true;
}

function openRemind() {
  if (!call) return;
  dates.ready();
  $('remind-number').textContent = t('callbacks.remind_number', { number: call.number, campaign: call.campaign || '—' });
  if (!$('remind-when').value) $('remind-when').value = localValue(Date.now() + 60 * 60 * 1000);
  $('remind-error').textContent = '';
  $('remind-form').hidden = false;
  $('remind-when').focus();
}

function closeRemind() {
  $('remind-form').hidden = true;
  $('remind-btn').focus();
}

async function submitRemind(e) {
  e.preventDefault();
  if (!call) return;
  const request = { number: call.number, campaign: call.campaign, when: $('remind-when').value, note: $('remind-note').value };
  const result = await backend.callbackAdd(request);
  if (!result.ok) { $('remind-error').textContent = errorText(result.error); $('remind-when').focus(); return; }
  $('remind-form').hidden = true;
  $('remind-when').value = '';
  $('remind-note').value = '';
  status(t('callbacks.kept', { number: result.value.number, when: when(result.value.due_at) }));
  $('remind-btn').focus();
}

export function install() {
  $('callbacks-btn').addEventListener('click', () => ($('callbacks-panel').hidden ? openList() : closeList()));
  $('callbacks-close').addEventListener('click', closeList);
  $('callbacks-panel').addEventListener('keydown', listKeys);
  $('remind-btn').addEventListener('click', openRemind);
  $('remind-cancel').addEventListener('click', closeRemind);
  $('remind-form').addEventListener('submit', submitRemind);
  $('remind-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeRemind(); } });
  backend.onCallbacks((next) => {
    const before = list.due;
    render(next);
    if (next.due > before) announce(t('callbacks.badge', { count: next.due }));
  });
  // A click on a reminder: the window is up; the number goes to the dial field.
  backend.onCallbackOpen(async (id) => {
    await refresh();
    const item = list.items.find((i) => i.id === id);
    if (item) prefill(item);
  });
  onLanguage(() => render());
  refresh();
}
