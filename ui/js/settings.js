// The settings screen: hotkeys (with how each registered), wrap-up rule, campaigns, notifications, autostart,
// language. Saved by the Rust side (never secrets).
import { call } from './backend.js';
import { $, show, status } from './dom.js';
import { setLanguage, t } from './i18n.js';

const ACTIONS = ['dial', 'hang_up', 'open_disposition', 'toggle_window'];
const IDENTITY = ['callerid', 'outqueue', 'extension', 'context', 'tech', 'name'];
let cached = null;

export async function bindings() {
  if (!cached) {
    const result = await call('get_settings');
    cached = result.ok ? result.value : { hotkeys: {} };
  }
  return cached.hotkeys;
}

function report(list) {
  $('hotkey-report').replaceChildren(...list.map((s) => Object.assign(document.createElement('li'), {
    className: s.registered ? 'good' : 'bad',
    textContent: s.registered ? t('hotkeys.ok', { combo: s.combo }) : s.problem,
  })));
}

async function open() {
  const result = await call('get_settings');
  if (!result.ok) return;
  cached = result.value;
  const s = cached;
  for (const a of ACTIONS) $(`hk-${a}`).value = s.hotkeys[a] || '';
  const current = ((await call('status')).value || {}).identity || {};
  for (const f of IDENTITY) {
    $(`id-${f}`).value = (s.identity || {})[f] || '';
    $(`id-${f}`).placeholder = current[f] || '';
  }
  $('set-wrapup').checked = s.require_wrap_up;
  $('set-campaigns').value = (s.campaigns || []).join(', ');
  $('set-default-campaign').value = s.default_campaign || '';
  $('set-notifications').checked = s.notifications;
  $('set-autostart').checked = s.autostart !== false && s.autostart !== null;
  $('set-hidden').checked = s.start_hidden;
  $('set-language').value = s.language || 'auto';
  report((await call('hotkey_status')).value || []);
  const problems = (await call('tree_problems')).value || [];
  $('tree-problems').replaceChildren(...problems.map((p) => Object.assign(document.createElement('li'), { className: 'bad', textContent: p })));
  $('settings-error').textContent = '';
  show('settings');
  $('hk-dial').focus();
}

export function install(back, changed) {
  $('settings-btn').addEventListener('click', open);
  $('settings-close').addEventListener('click', back);
  $('settings-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const s = { ...cached };
    s.hotkeys = Object.fromEntries(ACTIONS.map((a) => [a, $(`hk-${a}`).value.trim()]));
    s.identity = Object.fromEntries(IDENTITY.map((f) => [f, $(`id-${f}`).value.trim()]));
    s.require_wrap_up = $('set-wrapup').checked;
    s.campaigns = $('set-campaigns').value.split(',').map((c) => c.trim()).filter(Boolean);
    s.default_campaign = $('set-default-campaign').value.trim();
    s.notifications = $('set-notifications').checked;
    s.autostart = $('set-autostart').checked;
    s.start_hidden = $('set-hidden').checked;
    s.language = $('set-language').value;
    const result = await call('save_settings', { settings: s });
    if (!result.ok) { $('settings-error').textContent = result.error.message; return; }
    cached = s;
    report(result.value);
    setLanguage(s.language);
    status(t('settings.saved'));
    await changed();
  });
}
