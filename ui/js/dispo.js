// The disposition picker: level 1 → 2 → 3 from the campaign's tree. Letters filter, 1–9 pick the n-th shown
// option, Backspace on an empty filter goes up a level, Enter saves once a leaf is chosen.
import * as backend from './backend.js';
import { $, status } from './dom.js';
import { t } from './i18n.js';

let tree = null;      // { campaign, levels: [{name, action?, children?}] }
let path = [];        // chosen nodes
let onSubmit = null;
let opening = null;   // the open() in progress
let early = [];       // keys pressed before the form was ready: an agent typing 1 1 1 Enter right after hang-up
const cache = new Map();

/** Fetches a campaign's tree ahead of time (when the call starts), so the form opens at once at wrap-up. */
export async function prefetch(campaign) {
  const result = await backend.dispositionTree(campaign || '');
  const value = result.ok ? result.value : null;
  cache.set(campaign || '', value);
  return value;
}

function level() {
  let nodes = tree ? tree.levels : [];
  for (const node of path) nodes = node.children || [];
  return nodes;
}

function fold(text) {
  return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function shown() {
  const q = fold($('dispo-filter').value.trim());
  return level().filter((n) => fold(n.name).includes(q));
}

function complete() {
  if (!tree) return $('dispo-filter').value.trim() !== '';
  const last = path[path.length - 1];
  return Boolean(last) && !(last.children && last.children.length);
}

function render() {
  const crumbs = $('dispo-path');
  crumbs.replaceChildren(...path.map((n) => Object.assign(document.createElement('span'), { textContent: n.name })));
  const list = $('dispo-options');
  const options = complete() ? [] : shown();
  list.replaceChildren(...options.map((node, i) => {
    const li = document.createElement('li');
    li.setAttribute('role', 'none');  // the options belong to the listbox itself (a list item would sit between)
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'option');
    button.dataset.index = String(i);
    const key = Object.assign(document.createElement('span'), { className: 'key', textContent: i < 9 ? String(i + 1) : '' });
    const label = Object.assign(document.createElement('span'), { textContent: node.name });
    button.append(key, label);
    if (node.action) button.append(Object.assign(document.createElement('span'), { className: 'leaf-action', textContent: node.action }));
    button.addEventListener('click', () => choose(node));
    li.append(button);
    return li;
  }));
  const last = path[path.length - 1];
  $('dispo-action').textContent = last && last.action ? t('dispo.action', { action: t(`action.${last.action}`) }) : '';
  $('dispo-submit').disabled = !complete();
}

function choose(node) {
  path.push(node);
  $('dispo-filter').value = '';
  render();
  if (node.action === 'SCHEDULE') { $('dispo-more').open = true; $('dispo-schedule').focus(); return; }
  $('dispo-filter').focus();
}

export function open(campaign, campaigns, submit) {
  opening = openNow(campaign, campaigns, submit).finally(() => { opening = null; });
  return opening;
}

async function openNow(campaign, campaigns, submit) {
  onSubmit = submit;
  path = [];
  tree = cache.has(campaign || '') ? cache.get(campaign || '') : await prefetch(campaign);
  $('dispo-filter').value = '';
  $('dispo-comment').value = '';
  $('dispo-schedule').value = '';
  $('dispo-d1').value = '';
  $('dispo-d2').value = '';
  $('dispo-tag').value = '';
  const camp = $('dispo-camp');
  camp.replaceChildren(new Option('—', ''), ...campaigns.map((c) => new Option(c, c)));
  $('dispo-form').hidden = false;
  if (!tree) status(t('dispo.no_tree', { campaign }));
  render();
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
  if (/^[1-9]$/.test(key) || key === 'Enter' || key === 'Backspace') return handleKey(key);
  if (key.length === 1) {
    $('dispo-filter').value += key;
    render();
    $('dispo-filter').focus();
    return true;
  }
  return false;
}

function handleKey(key) {
  if (/^[1-9]$/.test(key) && tree) {
    const node = shown()[Number(key) - 1];
    if (node && !complete()) choose(node);
    return true;
  }
  if (key === 'Backspace' && $('dispo-filter').value === '' && path.length) {
    path.pop();
    render();
    return true;
  }
  if (key === 'Enter') {
    const options = shown();
    if (complete()) $('dispo-form').requestSubmit();
    else if (options.length === 1) choose(options[0]);
    return true;
  }
  return false;
}

export function close() {
  $('dispo-form').hidden = true;
  $('dispo-confirm').hidden = true;
  path = [];
}

export function focus() {
  if (!$('dispo-form').hidden) $('dispo-filter').focus();
}

function form() {
  const names = tree ? path.map((n) => n.name) : [$('dispo-filter').value.trim()];
  const schedule = $('dispo-schedule').value ? $('dispo-schedule').value.replace('T', ' ') : null;
  return {
    l1: names[0] || '', l2: names[1] || '', l3: names[2] || '',
    d1: $('dispo-d1').value, d2: $('dispo-d2').value, comment: $('dispo-comment').value,
    schedule, camptoreschedule: $('dispo-camp').value || null, tag: $('dispo-tag').value, confirmed: false,
  };
}

export function install() {
  $('dispo-filter').addEventListener('input', render);
  $('dispo-filter').addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const digitWithTree = /^[1-9]$/.test(e.key) && tree;
    if ((digitWithTree || e.key === 'Enter' || e.key === 'Backspace') && handleKey(e.key)) e.preventDefault();
  });
  $('dispo-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (complete() && onSubmit) onSubmit(form());
  });
}
