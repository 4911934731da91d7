// @ts-check: reads or builds payloads typed from the Rust types (ui/types/payloads.d.ts).
// The wrap-up's disposition form: the code picker (picker.js) on the campaign's tree, the comment, the date of a
// SCHEDULE leaf and the rest. Keys pressed before the form is ready are kept and replayed.
import * as backend from './backend.js';
import { $, fillList, options, status } from './dom.js';
import { t } from './i18n.js';
import { createPicker } from './picker.js';
import * as dates from './datefields.js';

let onSubmit = null;
let opening = null;   // the open() in progress
let early = [];       // keys pressed before the form was ready: an agent typing 1 1 1 Enter right after hang-up
const cache = new Map();  // campaign → its tree (null: it has none), as last read
let generation = 0;       // the sets of trees the app told of

const picker = createPicker(
  { filter: 'dispo-filter', path: 'dispo-path', options: 'dispo-options', action: 'dispo-action', submit: 'dispo-submit', form: 'dispo-form' },
  (node) => { if (node.action === 'SCHEDULE') showSchedule(); },
);

/** Opens "more" on the disposition form with the date to call again focused (a code that schedules). */
export function showSchedule() {
  dates.ready();
  $('dispo-more').open = true;
  $('dispo-schedule').focus();
}

/** Makes sure a campaign's tree is at hand when the call starts, so the form opens at once at wrap-up. The app
 * tells when its trees change (`trees` event: the cache is forgotten), so a tree is read once, not once per call. */
export async function prefetch(campaign) {
  if (!cache.has(campaign || '')) await read(campaign);
}

async function read(campaign) {
  const asked = generation;
  const result = await backend.dispositionTree(campaign || '');
  const value = result.ok ? result.value : null;
  // Kept when it is an answer (not a failure) and no newer set of trees came while it was on its way.
  if (result.ok && asked === generation) cache.set(campaign || '', value);
  return value;
}

/** A campaign's tree, from the cache when the call prefetched it. */
export async function treeOf(campaign) {
  return cache.has(campaign || '') ? cache.get(campaign || '') : read(campaign);
}

export function open(campaign, campaigns, submit) {
  opening = openNow(campaign, campaigns, submit).finally(() => { opening = null; });
  return opening;
}

async function openNow(campaign, campaigns, submit) {
  onSubmit = submit;
  const tree = await treeOf(campaign);
  $('dispo-comment').value = '';
  // Each wrap-up starts with the extra fields folded and empty: a date left half-typed in the last one must not
  // stand in the way of this one's Enter.
  $('dispo-more').open = false;
  $('dispo-schedule').value = '';
  $('dispo-d1').value = '';
  $('dispo-d2').value = '';
  $('dispo-tag').value = '';
  const camp = $('dispo-camp');
  // Built again only when the agent's campaigns changed: the window keeps the elements it shows on every call.
  const values = ['', ...campaigns];
  if (Array.from(camp.options, (o) => o.value).join('\n') !== values.join('\n')) {
    fillList(camp, values, { ...options, fill: (o, c) => { o.value = c; o.textContent = c || '—'; } });
  }
  camp.value = '';
  $('dispo-form').hidden = false;
  if (!tree) status(t('dispo.no_tree', { campaign }));
  picker.reset(tree);
  $('dispo-form').scrollIntoView({ block: 'nearest' });
  $('dispo-filter').focus();
  const pending = early;
  early = [];
  for (const key of pending) press(key);
}

/** Forgets keys kept for a form that is not coming (the hang-up failed). */
export function discardEarly() {
  early = [];
}

/** A key pressed anywhere in the window during wrap-up; kept until the form is ready. */
export function press(key) {
  if (opening || $('dispo-form').hidden) {
    early.push(key);
    return true;
  }
  if (/^[1-9]$/.test(key) || key === 'Enter' || key === 'Backspace') return picker.handleKey(key);
  if (key.length === 1) {
    $('dispo-filter').value += key;
    picker.render();
    $('dispo-filter').focus();
    return true;
  }
  return false;
}

export function close() {
  $('dispo-form').hidden = true;
  $('dispo-confirm').hidden = true;
  picker.clear();
}

export function focus() {
  if (!$('dispo-form').hidden) $('dispo-filter').focus();
}

/** The form as filled in. @returns {import('../types/payloads').DispositionForm} */
function form() {
  const schedule = $('dispo-schedule').value ? $('dispo-schedule').value.replace('T', ' ') : null;
  return {
    ...picker.codes(),
    d1: $('dispo-d1').value, d2: $('dispo-d2').value, comment: $('dispo-comment').value,
    schedule, camptoreschedule: $('dispo-camp').value || null, tag: $('dispo-tag').value, confirmed: false,
  };
}

export function install() {
  picker.install();
  $('dispo-more').addEventListener('toggle', () => { if ($('dispo-more').open) dates.ready(); });
  backend.onTrees(() => { generation += 1; cache.clear(); });
  $('dispo-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (picker.complete() && onSubmit) onSubmit(form());
  });
}
