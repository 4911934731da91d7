// The CTI card, CTI paste/drop, and the respool editor. Everything shown comes from the call view the Rust side
// publishes (view.cti, view.respool): the editor only shows what the rules say and sends each edit to be checked.
import * as backend from './backend.js';
import { $, reuseChildren, status } from './dom.js';
import { errorText, t } from './i18n.js';

let respool = null;   // the editor's view, or null when closed
let selected = 0;     // the highlighted alternative
let editError = null; // why the last edit was refused ({code, message, phrase}), until the next one goes through

function fact(term, value) {
  return [term, value === '' || value == null ? '—' : String(value)];
}

/** Shows `texts` (term, value, term, value…) in the `dl` through the dt/dd elements it already has: a dialer call
 * brings its CTI card each time, and WebKitGTK keeps the elements a page drops (dom.js `reuseChildren`). */
function showFacts(dl, texts) {
  reuseChildren(dl, texts, () => document.createElement(dl.children.length % 2 ? 'dd' : 'dt'),
    (el, text) => { el.textContent = text; }, (el) => { el.textContent = ''; });
}

// Only what helps the agent: empty values are left out, and so are the portal's internal Screen/Answer flags.
// The call card already shows the number, campaign and GUID, so an own call's CTI with nothing more is not shown.
function renderCard(cti, view) {
  const facts = [];
  const add = (term, value) => { if (value !== '' && value != null) facts.push(...fact(term, value)); };
  const p = cti && cti.portal;
  if (p) {
    if (p.guid !== view.guid) add('GUID', p.guid);
    if (p.campaign !== view.campaign) add(t('call.campaign'), p.campaign);
    if (p.callerid !== view.number) add(t('cti.callerid'), p.callerid);
    add(t('cti.form'), p.form);
    add(t('cti.params'), p.par_and_values);
  }
  const d = cti && cti.dialer;
  $('cti-card').hidden = !cti || (!d && !facts.length);
  if ($('cti-card').hidden) { showFacts($('cti-facts'), []); $('respool-btn').hidden = true; return; }
  $('cti-source').textContent = t(`cti.source_${cti.source}`);
  if (d) {
    add(t('cti.main'), d.destination);
    add(t('cti.alternatives'), d.alternatives.join(' · '));
    add(t('respool.retries'), d.retries);
    add(t('cti.priority'), d.priority);
    add(t('cti.data'), d.data.map((x) => `${x.key}=${x.value}`).join(' · '));
    add(t('cti.dialer'), [d.campaign, d.dialerbase, d.contact && `${t('cti.contact')} ${d.contact}`, d.status && `status ${d.status}`]
      .filter(Boolean).join(' · '));
    add(t('respool.agentphone'), d.agentphone);
  }
  showFacts($('cti-facts'), facts);
  $('respool-btn').hidden = !d;
}

// A row of the alternatives, by position (the n-th alternative in the n-th row): made once, filled for each view.
// A list, not a listbox: each row has buttons of its own, which an option may not contain.
const EDITS = [['↑', 'move_up', -1, 'can_move_up'], ['↓', 'move_down', 1, 'can_move_down'], [null, 'promote', 0, 'can_promote']];

function makeAlternative() {
  const li = document.createElement('li');
  li.append(Object.assign(document.createElement('span'), { className: 'number' }), Object.assign(document.createElement('span'), { className: 'spooled' }));
  for (const [, op, by] of EDITS) {
    const b = Object.assign(document.createElement('button'), { type: 'button', className: 'small' });
    b.addEventListener('click', () => { const i = Number(li.dataset.key); selected = i; apply({ op, index: i }, i + by); });
    li.append(b);
  }
  return li;
}

function fillAlternative(li, alt, i) {
  li.className = i === selected ? 'selected' : '';
  if (i === selected) li.setAttribute('aria-current', 'true'); else li.removeAttribute('aria-current');
  const [number, spooled, ...buttons] = li.children;
  number.textContent = alt.number;
  spooled.textContent = alt.spooled ? t('respool.spooled') : '';
  spooled.hidden = !alt.spooled;
  buttons.forEach((b, n) => {
    const [label, op, , can] = EDITS[n];
    b.textContent = label || t('respool.promote');
    b.disabled = !alt[can];
    b.setAttribute('aria-label', `${t(`respool.${op}`)} ${alt.number}`);
  });
}

function emptyAlternative(li) {
  li.className = '';
  li.removeAttribute('aria-current');
  for (const part of li.children) { part.textContent = ''; part.removeAttribute('aria-label'); }
}

function renderEditor(view) {
  const wasOpen = Boolean(respool);
  respool = view;
  if (!view) editError = null;
  $('respool-form').hidden = !view;
  if (!view) return;
  const ro = view.read_only;
  showFacts($('respool-readonly'), [...fact(t('call.campaign'), ro.campaign), ...fact(t('cti.dialerbase'), ro.dialerbase),
    ...fact(t('cti.contact'), ro.contact), ...fact('status', ro.status)]);
  $('respool-main').textContent = view.main;
  $('respool-main-note').textContent = view.main_spooled ? t('respool.main_spooled') : '';
  selected = Math.min(selected, Math.max(0, view.alternatives.length - 1));
  reuseChildren($('respool-alts'), view.alternatives, makeAlternative, fillAlternative, emptyAlternative);
  const keep = (id, value) => { if (document.activeElement !== $(id)) $(id).value = value; };
  keep('respool-retries', view.retries);
  keep('respool-priority', view.priority);
  keep('respool-agentphone', view.agentphone);
  keep('respool-data', view.data.map((x) => `${x.key}=${x.value}`).join('\n'));
  $('respool-submit').disabled = Boolean(view.submit_refusal);
  $('respool-error').textContent = errorText(editError) || errorText(view.submit_refusal);
  if (!wasOpen) { $('respool-form').scrollIntoView({ block: 'nearest' }); $('respool-alts').tabIndex = 0; $('respool-alts').focus(); }
}

/** The call view changed. */
export function render(view) {
  renderCard(view.cti, view);
  renderEditor(view.respool || null);
}

async function apply(edit, nextSelected = selected) {
  const result = await backend.respoolEdit(edit);
  editError = result.ok ? null : result.error;
  if (result.ok) selected = Math.max(0, nextSelected);
  renderEditor(result.ok ? result.value.respool : respool);
  return result.ok;
}

async function load(text) {
  if (!text.trim()) return;
  const result = await backend.loadCti(text);
  if (result.ok) { status(t('cti.loaded')); $('cti-text').value = ''; $('cti-paste').open = false; }
  else status(errorText(result.error), true);
}

function dataPairs(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const at = l.indexOf('=');
    return at < 0 ? { key: l, value: null } : { key: l.slice(0, at).trim(), value: l.slice(at + 1).trim() };
  });
}

async function dataChanged() {
  const wanted = dataPairs($('respool-data').value);
  for (const pair of wanted) {
    if (pair.value === null) { $('respool-error').textContent = t('respool.data_pair', { pair: pair.key }); return; }
    const current = respool.data.find((x) => x.key === pair.key);
    if (!current || current.value !== pair.value) if (!await apply({ op: 'set_data', key: pair.key, value: pair.value })) return;
  }
  for (const old of respool.data) {
    if (!wanted.some((p) => p.key === old.key)) if (!await apply({ op: 'remove_data', key: old.key })) return;
  }
}

function editorKeys(e) {
  if (!respool) return;
  const inField = e.target.matches('input, textarea');
  const count = respool.alternatives.length;
  if (e.key === 'Escape') { e.preventDefault(); backend.respoolClose(); return; }
  if (inField) return;
  if (e.key === 'ArrowDown' && e.altKey && selected < count - 1) { e.preventDefault(); apply({ op: 'move_down', index: selected }, selected + 1); }
  else if (e.key === 'ArrowUp' && e.altKey && selected > 0) { e.preventDefault(); apply({ op: 'move_up', index: selected }, selected - 1); }
  else if (e.key === 'ArrowDown') { e.preventDefault(); selected = Math.min(count - 1, selected + 1); renderEditor(respool); }
  else if (e.key === 'ArrowUp') { e.preventDefault(); selected = Math.max(0, selected - 1); renderEditor(respool); }
  else if (e.key.toLowerCase() === 'p' && count) { e.preventDefault(); apply({ op: 'promote', index: selected }); }
  else if (e.key === 'Enter') { e.preventDefault(); $('respool-form').requestSubmit(); }
}

export function install() {
  $('cti-form').addEventListener('submit', (e) => { e.preventDefault(); load($('cti-text').value); });
  $('respool-btn').addEventListener('click', async () => {
    const result = await backend.respoolOpen();
    if (!result.ok) status(errorText(result.error), true);
  });
  $('respool-cancel').addEventListener('click', () => backend.respoolClose());
  $('respool-form').addEventListener('keydown', editorKeys);
  const fieldEdits = {
    'respool-retries': () => apply({ op: 'set_retries', value: Number($('respool-retries').value) }),
    'respool-priority': () => apply({ op: 'set_priority', value: Number($('respool-priority').value) }),
    'respool-agentphone': () => apply({ op: 'set_agentphone', value: $('respool-agentphone').value.trim() }),
    'respool-data': dataChanged,
  };
  for (const [id, edit] of Object.entries(fieldEdits)) $(id).addEventListener('change', edit);
  $('respool-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    // A value still being typed counts: apply it before sending.
    const typing = document.activeElement && fieldEdits[document.activeElement.id];
    if (typing) await typing();
    const result = await backend.respoolSubmit();
    if (result.ok) status(t(result.value ? 'respool.sent' : 'respool.waiting'));
    else $('respool-error').textContent = errorText(result.error);
  });
  // Drop CTI text or a file with it anywhere on the window.
  document.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('dropping'); });
  document.addEventListener('dragleave', () => document.body.classList.remove('dropping'));
  document.addEventListener('drop', async (e) => {
    e.preventDefault();
    document.body.classList.remove('dropping');
    const file = e.dataTransfer.files && e.dataTransfer.files[0];
    const text = file ? await file.text() : e.dataTransfer.getData('text/plain');
    await load(text || '');
  });
}
