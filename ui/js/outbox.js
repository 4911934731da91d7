// What waits in the outbox: each item with its state (waiting for the server, refused, behind a refused item of its
// call), the server's answer, and the agent's choices: send again, fix and send, or give up. Nothing leaves the
// list without the server's acknowledgement or the agent's word.
import * as backend from './backend.js';
import { $, fillList, setText, status } from './dom.js';
import { errorText, t } from './i18n.js';

let editing = null;  // the item being fixed: { id, kind }

function when(ms) {
  if (!ms) return '';
  const secs = Math.max(0, Math.round((ms - Date.now()) / 1000));
  return t('outbox.next', { secs });
}

let items = [];       // the items shown

const el = (tag, props) => Object.assign(document.createElement(tag), props);

// A row of the list, made once and filled again for whichever item it shows (dom.js fillList).
function makeRow() {
  const li = el('li', { className: 'item' });
  const head = el('div', { className: 'row' });
  head.append(el('strong'), el('span', { className: 'state-label' }));
  const actions = el('div', { className: 'row' });
  const button = (label, action, className = 'small') => {
    const b = el('button', { type: 'button', className });
    b.dataset.action = action;
    b.dataset.label = label;
    b.addEventListener('click', () => { const item = items.find((i) => String(i.id) === li.dataset.key); if (item) act(action, item); });
    return b;
  };
  actions.append(button('outbox.resend', 'resend'), button('outbox.edit', 'edit'), button('outbox.discard', 'discard', 'small danger'));
  li.append(head, el('p', { className: 'hint' }), actions);
  return li;
}

function fillRow(li, item) {
  // A new state (or another item in this row) asks for Discard twice again.
  if (li.dataset.id !== String(item.id) || li.dataset.state !== item.state) delete li.dataset.confirm;
  li.className = `item item-${item.state}`;
  li.dataset.id = String(item.id);
  li.dataset.state = item.state;
  const [head, detail, actions] = li.children;
  const [summary, state] = head.children;
  setText(summary, item.summary);
  state.className = `state-label ${item.state}`;
  setText(state, t(`outbox.state_${item.state}`, { item: item.behind }));
  setText(detail, [t('outbox.attempts', { n: item.attempts }), item.last_error || '', when(item.next_attempt_at)].filter(Boolean).join(' · '));
  for (const b of actions.children) setText(b, t(b.dataset.label));
}

function emptyRow(li) {
  li.className = '';
  delete li.dataset.id;
  delete li.dataset.state;
  delete li.dataset.confirm;
  const [head, detail] = li.children;
  for (const part of [...head.children, detail]) part.textContent = '';
}

async function refresh() {
  const result = await backend.outboxItems();
  if (!result.ok) { $('outbox-result').textContent = errorText(result.error); return; }
  items = result.value;
  fillList($('outbox-list'), items, {
    key: (item) => item.id, make: makeRow, fill: fillRow, empty: emptyRow,
    none: (li) => { li.className = 'hint'; li.textContent = t('outbox.empty'); },
  });
}

async function act(action, item) {
  $('outbox-result').textContent = '';
  if (action === 'resend') {
    const result = await backend.outboxResend(item.id);
    report(result);
  } else if (action === 'discard') {
    if ($('outbox-list').querySelector(`[data-id="${item.id}"]`).dataset.confirm !== 'yes') {
      $('outbox-list').querySelector(`[data-id="${item.id}"]`).dataset.confirm = 'yes';
      $('outbox-result').textContent = t('outbox.discard_confirm', { summary: item.summary });
      return;
    }
    const result = await backend.outboxDiscard(item.id);
    if (!result.ok) $('outbox-result').textContent = errorText(result.error);
  } else if (action === 'edit') {
    const result = await backend.outboxItem(item.id);
    if (!result.ok || !result.value) { $('outbox-result').textContent = result.ok ? t('outbox.gone') : errorText(result.error); return; }
    editing = { id: item.id, kind: result.value.kind };
    $('outbox-json').value = JSON.stringify(result.value.request, null, 2);
    $('outbox-edit').hidden = false;
    $('outbox-json').focus();
    return;
  }
  await refresh();
}

function report(result) {
  if (!result.ok) { $('outbox-result').textContent = errorText(result.error); return; }
  if (result.value.delivered) status(t('outbox.sent'));
  else $('outbox-result').textContent = errorText(result.value.problem);
}

export function open() {
  $('outbox-panel').hidden = false;
  refresh();
  $('outbox-flush').focus();
}

/** The outbox changed: keep the open list current. */
export function changed() {
  if (!$('outbox-panel').hidden) refresh();
}

export function install() {
  $('pending').addEventListener('click', open);
  $('outbox-close').addEventListener('click', () => { $('outbox-panel').hidden = true; });
  $('outbox-flush').addEventListener('click', async () => {
    const result = await backend.flushOutbox();
    status(result.ok ? t('outbox.left', { count: result.value }) : errorText(result.error), !result.ok);
    await refresh();
  });
  $('outbox-edit-cancel').addEventListener('click', () => { $('outbox-edit').hidden = true; editing = null; });
  $('outbox-edit').addEventListener('keydown', (e) => { if (e.key === 'Escape') { $('outbox-edit').hidden = true; editing = null; } });
  $('outbox-edit').addEventListener('submit', async (e) => {
    e.preventDefault();
    let request;
    try { request = JSON.parse($('outbox-json').value); } catch (err) { $('outbox-result').textContent = t('outbox.bad_json', { error: err.message }); return; }
    const result = await backend.outboxEdit(editing.id, { kind: editing.kind, request });
    report(result);
    if (result.ok) { $('outbox-edit').hidden = true; editing = null; }
    await refresh();
  });
}
