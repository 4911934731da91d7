// Filing a disposition late, from the Today screen: a call of the day that ended without one gets the campaign's
// codes (the same picker as the wrap-up), a comment and, for a SCHEDULE code, its date. It goes out like a
// wrap-up's disposition (on disk first, then the server); Esc leaves without filing anything.
import * as a11y from './a11y.js';
import * as backend from './backend.js';
import { treeOf } from './dispo.js';
import { $, status } from './dom.js';
import { errorText, t } from './i18n.js';
import { createPicker } from './picker.js';
import * as dates from './datefields.js';

let call = null;      // the history entry being filed
let done = null;      // called once it is filed
let confirmed = false;

const picker = createPicker(
  { filter: 'late-filter', path: 'late-path', options: 'late-options', action: 'late-action', submit: 'late-submit', form: 'late-form' },
  (node) => { if (node.action === 'SCHEDULE') showSchedule(); },
);

function showSchedule() {
  dates.ready();
  $('late-when').hidden = false;
  $('late-schedule').focus();
}

const hhmm = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Opens the form for `entry` (a call of today's history with nothing filed); `then()` runs once it is filed. */
export async function open(entry, then) {
  call = entry;
  done = then;
  confirmed = false;
  const tree = await treeOf(entry.campaign);
  $('late-call').textContent = t('late.call', { number: entry.number || '—', time: hhmm(entry.started_at), campaign: entry.campaign || '—' });
  $('late-comment').value = '';
  $('late-schedule').value = '';
  $('late-when').hidden = true;
  $('late-error').textContent = '';
  $('late-form').hidden = false;
  picker.reset(tree);
  if (!tree) $('late-error').textContent = t('dispo.no_tree', { campaign: entry.campaign });
  $('late-form').scrollIntoView({ block: 'nearest' });
  $('late-filter').focus();
}

export function isOpen() {
  return !$('late-form').hidden;
}

/** Closes the form; the list has the keyboard again. */
export function close() {
  $('late-form').hidden = true;
  picker.clear();
  call = null;
  $('today-list').focus();
}

async function submit() {
  if (!call || !picker.complete()) return;
  const schedule = $('late-schedule').value ? $('late-schedule').value.replace('T', ' ') : null;
  const form = {
    ...picker.codes(), d1: '', d2: '', comment: $('late-comment').value, schedule,
    camptoreschedule: null, tag: '', confirmed,
  };
  const result = await backend.filePastCall(call.id, form);
  if (!result.ok) {
    const { code, message } = result.error;
    // A code whose dialer action cannot be undone (blacklist) asks first; the next Enter is the yes.
    if (code === 'confirmation_required') { confirmed = true; $('late-error').textContent = t('late.confirm', { question: message }); return; }
    $('late-error').textContent = message;
    if (code === 'invalid_schedule') showSchedule();
    return;
  }
  const said = result.value.delivered ? t('dispo.saved') : t('dispo.waiting');
  status(said);
  a11y.announce(said);
  if (result.value.action_error) status(t('dispo.action_problem', { message: errorText(result.value.action_error) }), true);
  const then = done;
  close();
  if (then) then();
}

export function install() {
  picker.install();
  $('late-form').addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  $('late-cancel').addEventListener('click', close);
  $('late-form').addEventListener('keydown', (e) => {
    // Esc leaves the form, not the Today screen.
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); }
  });
}
