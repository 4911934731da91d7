// @ts-check
// Settings → CRM: the screen-pop addresses (address template, campaign, direction, when it opens), each showing
// the address it gives for a sample call as it is typed, or why it is refused (the field or the scheme named).
// The Rust side checks them again on save; a policy that locks `screen_pop` makes them read-only.
import * as backend from './backend.js';
import { $ } from './dom.js';
import { errorText, t } from './i18n.js';
import * as policy from './policy.js';

const DIRECTIONS = ['', 'inbound', 'outbound'];
const WHENS = ['answer', 'ring', 'dial', 'on_demand'];
let rows = 0;

/** A labelled control: `<label><span>words</span>control</label>`. */
function labelled(key, control) {
  const label = document.createElement('label');
  const words = Object.assign(document.createElement('span'), { textContent: t(key) });
  words.dataset.i18n = key;
  label.append(words, control);
  return label;
}

function select(values, prefix, value) {
  const el = document.createElement('select');
  for (const v of values) el.append(new Option(t(`${prefix}${v || 'any'}`), v));
  el.value = value;
  return el;
}

async function preview(url, out) {
  if (!url.trim()) { out.textContent = ''; out.classList.remove('bad'); return; }
  const result = await backend.crmPreview(url);
  out.textContent = result.ok ? t('crm.preview', { url: result.value }) : errorText(result.error);
  out.classList.toggle('bad', !result.ok);
}

/** One template's row. */
function addRow(template = { url: '', campaign: '', direction: null, when: 'answer' }) {
  const n = rows++;
  const li = Object.assign(document.createElement('li'), { className: 'crm-template' });
  const url = Object.assign(document.createElement('input'), { id: `crm-url-${n}`, className: 'crm-url', value: template.url || '', placeholder: 'https://crm.example.com/search?phone={number}' });
  const campaign = Object.assign(document.createElement('input'), { id: `crm-campaign-${n}`, className: 'crm-campaign', value: template.campaign || '' });
  const direction = select(DIRECTIONS, 'crm.direction_', template.direction || '');
  direction.className = 'crm-direction';
  const when = select(WHENS, 'crm.when_', template.when || 'answer');
  when.className = 'crm-when';
  const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'ghost small', textContent: t('crm.remove') });
  const out = Object.assign(document.createElement('output'), { id: `crm-preview-${n}`, className: 'hint crm-preview' });
  out.setAttribute('aria-live', 'polite');
  let timer = null;
  url.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => preview(url.value, out), 250); });
  remove.addEventListener('click', () => li.remove());
  for (const el of [url, campaign, direction, when, remove]) el.dataset.setting = 'screen_pop';
  li.append(labelled('crm.url', url), out, labelled('crm.campaign', campaign), labelled('crm.direction', direction),
    labelled('crm.when', when), remove);
  $('crm-templates').append(li);
  preview(url.value, out);
  return url;
}

/** Shows the settings' templates. */
export async function fill(settings) {
  $('crm-templates').replaceChildren();
  for (const template of ((settings.screen_pop || {}).templates || [])) addRow(template);
  await policy.apply();
}

/** The templates as typed (rows without an address are dropped). */
export function collect() {
  return [...document.querySelectorAll('#crm-templates .crm-template')].map((li) => ({
    url: /** @type {HTMLInputElement} */ (li.querySelector('.crm-url')).value.trim(),
    campaign: /** @type {HTMLInputElement} */ (li.querySelector('.crm-campaign')).value.trim(),
    direction: /** @type {HTMLSelectElement} */ (li.querySelector('.crm-direction')).value || null,
    when: /** @type {HTMLSelectElement} */ (li.querySelector('.crm-when')).value,
  })).filter((tpl) => tpl.url);
}

export function install() {
  $('crm-add').addEventListener('click', async () => { const url = addRow(); await policy.apply(); url.focus(); });
}
