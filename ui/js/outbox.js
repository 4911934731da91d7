// What waits in the outbox: each item with its state (waiting for the server, refused, behind a refused item of its
// call), the server's answer, and the agent's choices: send again, fix and send, or give up. Nothing leaves the
// list without the server's acknowledgement or the agent's word.
import * as backend from './backend.js';
import { $, status } from './dom.js';
import { t } from './i18n.js';

let editing = null;  // the item being fixed: { id, kind }

function when(ms) {
  if (!ms) return '';
  const secs = Math.max(0, Math.round((ms - Date.now()) / 1000));
  return t('outbox.next', { secs });
}

async function refresh() {
  const result = await backend.outboxItems();
  if (!result.ok) { $('outbox-result').textContent = result.error.message; return; }
  $('outbox-list').replaceChildren(...result.value.map((item) => {
    const li = document.createElement('li');
    li.className = `item item-${item.state}`;
    li.dataset.id = String(item.id);
    const head = Object.assign(document.createElement('div'), { className: 'row' });
    head.append(Object.assign(document.createElement('strong'), { textContent: item.summary }),
      Object.assign(document.createElement('span'), { className: `state-label ${item.state}`, textContent: t(`outbox.state_${item.state}`, { item: item.behind }) }));
    const detail = Object.assign(document.createElement('p'), { className: 'hint',
      textContent: [t('outbox.attempts', { n: item.attempts }), item.last_error || '', when(item.next_attempt_at)].filter(Boolean).join(' · ') });
    const actions = Object.assign(document.createElement('div'), { className: 'row' });
    const button = (label, action, cls = 'small') => {
      const b = Object.assign(document.createElement('button'), { type: 'button', className: cls, textContent: t(label) });
      b.dataset.action = action;
      b.addEventListener('click', () => act(action, item));
      return b;
    };
    actions.append(button('outbox.resend', 'resend'), button('outbox.edit', 'edit'), button('outbox.discard', 'discard', 'small danger'));
    li.append(head, detail, actions);
    return li;
  }));
  if (!result.value.length) $('outbox-list').replaceChildren(Object.assign(document.createElement('li'), { className: 'hint', textContent: t('outbox.empty') }));
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
    if (!result.ok) $('outbox-result').textContent = result.error.message;
  } else if (action === 'edit') {
    const result = await backend.outboxItem(item.id);
    if (!result.ok || !result.value) { $('outbox-result').textContent = result.ok ? t('outbox.gone') : result.error.message; return; }
    editing = { id: item.id, kind: result.value.kind };
    $('outbox-json').value = JSON.stringify(result.value.request, null, 2);
    $('outbox-edit').hidden = false;
    $('outbox-json').focus();
    return;
  }
  await refresh();
}

function report(result) {
  if (!result.ok) { $('outbox-result').textContent = result.error.message; return; }
  if (result.value.delivered) status(t('outbox.sent'));
  else $('outbox-result').textContent = result.value.problem ? result.value.problem.message : '';
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
    status(result.ok ? t('outbox.left', { count: result.value }) : result.error.message, !result.ok);
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
