// Callbacks: the list (missed ones first, a badge with how many are due), "Remind me…" on the call card, and the
// way back to a call: Enter on an entry (or a click on its reminder) puts the number in the dial field, and Enter
// there dials. Keys in the list: ↑/↓ pick, Enter prefill, D done, Delete dismiss, Esc back. The list itself, the
// reminder's timing and its notification are the app's (crates/agent/src/callbacks, src-tauri/src/callbacks.rs).
import * as backend from './backend.js';
import { announce } from './a11y.js';
import { $, show, status } from './dom.js';
import { onLanguage, t } from './i18n.js';
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

function entry(item) {
  const li = document.createElement('li');
  li.className = `item${item.missed ? ' item-missed' : ''}`;
  li.dataset.id = String(item.id);
  const row = Object.assign(document.createElement('div'), { className: 'row' });
  const open = Object.assign(document.createElement('button'), { type: 'button', className: 'entry' });
  const flag = item.missed ? t('callbacks.missed') : (item.due ? t('callbacks.due') : '');
  open.append(Object.assign(document.createElement('strong'), { textContent: item.number }),
    document.createTextNode(` · ${item.campaign || '—'} · ${when(item.due_at)}`));
  if (flag) open.append(' ', Object.assign(document.createElement('span'), { className: 'state-label', textContent: flag }));
  if (item.note) open.append(Object.assign(document.createElement('span'), { className: 'hint', textContent: ` — ${item.note}` }));
  open.addEventListener('click', () => prefill(item));
  const button = (label, action, cls) => {
    const b = Object.assign(document.createElement('button'), { type: 'button', className: cls, textContent: t(label) });
    b.dataset.action = action;
    b.setAttribute('aria-label', `${t(label)}: ${item.number}`);
    b.addEventListener('click', () => offList(item, action));
    return b;
  };
  row.append(open, button('callbacks.done', 'done', 'small'), button('callbacks.dismiss', 'dismiss', 'small ghost'));
  li.append(row);
  return li;
}

function render(next) {
  if (next) list = next;
  badge();
  const ol = $('callbacks-list');
  const focused = document.activeElement && ol.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.id : null;
  ol.replaceChildren(...list.items.map(entry));
  if (!list.items.length) ol.replaceChildren(Object.assign(document.createElement('li'), { className: 'hint', textContent: t('callbacks.empty') }));
  // A list that changes under the agent's hands (a reminder came due) keeps their place.
  if (focused) (ol.querySelector(`[data-id="${focused}"] .entry`) || ol.querySelector('.entry') || $('callbacks-close')).focus();
}

async function refresh() {
  const result = await backend.callbackList();
  if (result.ok) render(result.value); else $('callbacks-error').textContent = result.error.message;
}

function openList() {
  show('desk');
  $('callbacks-panel').hidden = false;
  $('callbacks-error').textContent = '';
  refresh().then(() => ($('callbacks-list').querySelector('.entry') || $('callbacks-close')).focus());
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
  if (!result.ok) { $('callbacks-error').textContent = result.error.message; return; }
  const text = t('callbacks.off_list', { number: item.number, how: t(`callbacks.how_${action === 'done' ? 'done' : 'dismissed'}`) });
  status(text);
  const li = $('callbacks-list').querySelector(`[data-id="${item.id}"]`);
  const neighbour = li && (li.nextElementSibling || li.previousElementSibling);
  await refresh();
  const next = neighbour && $('callbacks-list').querySelector(`[data-id="${neighbour.dataset.id}"] .entry`);
  (next || $('callbacks-list').querySelector('.entry') || $('callbacks-close')).focus();
}

function listKeys(e) {
  if (e.ctrlKey || e.altKey || e.metaKey) return;
  if (e.key === 'Escape') { e.preventDefault(); closeList(); return; }
  const li = document.activeElement && document.activeElement.closest('#callbacks-list li[data-id]');
  if (!li) return;
  const item = list.items.find((i) => String(i.id) === li.dataset.id);
  const move = (to) => { if (to) { e.preventDefault(); to.querySelector('.entry').focus(); } };
  if (e.key === 'ArrowDown') move(li.nextElementSibling);
  else if (e.key === 'ArrowUp') move(li.previousElementSibling);
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
  if (!result.ok) { $('remind-error').textContent = result.error.message; $('remind-when').focus(); return; }
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
