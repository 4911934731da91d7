// The disposition picker: level 1 → 2 → 3 from the campaign's tree. Letters filter, 1–9 pick the n-th shown
// option, Backspace on an empty filter goes up a level, Enter saves once a leaf is chosen.
import { call } from './backend.js';
import { $, status } from './dom.js';
import { t } from './i18n.js';

let tree = null;      // { campaign, levels: [{name, action?, children?}] }
let path = [];        // chosen nodes
let onSubmit = null;

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
  $('dispo-filter').focus();
}

export async function open(campaign, campaigns, submit) {
  onSubmit = submit;
  path = [];
  const result = await call('disposition_tree', { campaign: campaign || '' });
  tree = result.ok ? result.value : null;
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
}

export function close() {
  $('dispo-form').hidden = true;
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
    schedule, camptoreschedule: $('dispo-camp').value || null, tag: $('dispo-tag').value,
  };
}

export function install() {
  $('dispo-filter').addEventListener('input', render);
  $('dispo-filter').addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    if (/^[1-9]$/.test(e.key) && tree) {
      e.preventDefault();
      const node = shown()[Number(e.key) - 1];
      if (node && !complete()) choose(node);
    } else if (e.key === 'Backspace' && $('dispo-filter').value === '' && path.length) {
      e.preventDefault();
      path.pop();
      render();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const options = shown();
      if (complete()) $('dispo-form').requestSubmit();
      else if (options.length === 1) choose(options[0]);
    }
  });
  $('dispo-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (complete() && onSubmit) onSubmit(form());
  });
}
