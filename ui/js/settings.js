// The settings screen: hotkeys (with how each registered), wrap-up rule, campaigns, notifications, autostart,
// language. Saved by the Rust side (never secrets).
import * as backend from './backend.js';
import { $, fillList, lines, show, status } from './dom.js';
import { errorText, setLanguage, t } from './i18n.js';
import * as policy from './policy.js';
import * as screenpop from './screenpop.js';

const ACTIONS = ['dial', 'hang_up', 'open_disposition', 'toggle_window', 'toggle_break', 'toggle_compact', 'answer',
  'toggle_mute', 'toggle_hold'];
const IDENTITY = ['callerid', 'outqueue', 'extension', 'context', 'tech', 'name'];
let cached = null;

export async function bindings() {
  if (!cached) {
    const result = await backend.getSettings();
    cached = result.ok ? result.value : { hotkeys: {} };
  }
  return cached.hotkeys;
}

function report(list) {
  fillList($('hotkey-report'), list, lines((s) => s.action, (s) => [s.registered ? 'good' : 'bad', s.registered ? t('hotkeys.ok', { combo: s.combo }) : errorText(s.problem)]));
}

// What the bridge does now: the address it listens on, off, or why it does not start.
async function showBridge() {
  const result = await backend.bridgeStatus();
  const bridge = result.ok ? result.value : { problem: result.error };
  const text = bridge.listening ? t('bridge.listening', { address: bridge.listening })
    : bridge.problem ? t('bridge.failed', { message: errorText(bridge.problem) }) : t('bridge.off');
  $('bridge-state').textContent = text;
  $('bridge-state').classList.toggle('bad', Boolean(bridge.problem));
}

async function open() {
  const result = await backend.getSettings();
  if (!result.ok) return;
  cached = result.value;
  const s = cached;
  for (const a of ACTIONS) $(`hk-${a}`).value = s.hotkeys[a] || '';
  const current = ((await backend.status()).value || {}).identity || {};
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
  $('set-links').checked = Boolean(s.dial_links_at_once);
  $('set-callback-minutes').value = s.callback_reminder_minutes ?? 2;
  $('set-history-days').value = String(s.history_days);
  $('set-history-clear').checked = Boolean(s.clear_history_on_sign_out);
  $('set-ca').value = s.ca_certificate || '';
  $('set-cti-scheme').value = (s.cti_crypto || {}).scheme || 'cryptojs_passphrase';
  schemeChanged();
  const phone = s.phone || {};
  $('set-phone').checked = Boolean(phone.enabled);
  $('set-phone-server').value = phone.server || '';
  const bridge = s.bridge || {};
  $('set-bridge').checked = Boolean(bridge.enabled);
  $('set-bridge-port').value = bridge.port || 47813;
  $('set-bridge-origins').value = (bridge.allowed_origins || []).join(', ');
  $('bridge-code').textContent = '';
  await showBridge();
  report((await backend.hotkeyStatus()).value || []);
  const problems = (await backend.treeProblems()).value || [];
  fillList($('tree-problems'), problems, lines((_, i) => i, (p) => ['bad', errorText(p)]));
  const trees = s.trees || {};
  $('set-trees-server').checked = trees.server !== false;
  $('set-trees-shared').value = trees.shared || '';
  await screenpop.fill(s);
  await policy.fill();
  $('settings-error').textContent = '';
  show('settings');
  $('hk-dial').focus();
}

function schemeChanged() {
  const raw = $('set-cti-scheme').value === 'raw_key_iv';
  $('cti-pass-label').hidden = raw;
  $('cti-key-row').hidden = !raw;
}

async function saveSecret() {
  const form = { scheme: $('set-cti-scheme').value, passphrase: $('set-cti-pass').value, key: $('set-cti-key').value, iv: $('set-cti-iv').value };
  const result = await backend.saveCtiSecret(form);
  for (const id of ['set-cti-pass', 'set-cti-key', 'set-cti-iv']) $(id).value = '';
  if (result.ok) status(t('settings.cti_saved')); else $('settings-error').textContent = errorText(result.error);
}

async function pairing(rotate) {
  const result = await backend.bridgePairing(rotate);
  if (result.ok) $('bridge-code').textContent = result.value; else $('settings-error').textContent = errorText(result.error);
}

export function install(back, changed) {
  // The hotkeys are registered again after a sleep or a network change: keep the open report current.
  backend.onHotkeys(report);
  $('set-cti-scheme').addEventListener('change', schemeChanged);
  $('cti-secret-save').addEventListener('click', saveSecret);
  $('cti-secret-forget').addEventListener('click', async () => {
    const result = await backend.forgetCtiSecret($('set-cti-scheme').value);
    status(result.ok ? t('settings.cti_forgotten') : errorText(result.error), !result.ok);
  });
  $('bridge-code-btn').addEventListener('click', () => pairing(false));
  $('bridge-rotate-btn').addEventListener('click', () => pairing(true));
  policy.install();
  screenpop.install();
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
    s.dial_links_at_once = $('set-links').checked;
    s.callback_reminder_minutes = Math.max(0, Math.round(Number($('set-callback-minutes').value) || 0));
    s.history_days = Number($('set-history-days').value) || 0;
    s.clear_history_on_sign_out = $('set-history-clear').checked;
    s.ca_certificate = $('set-ca').value.trim();
    s.cti_crypto = { scheme: $('set-cti-scheme').value };
    s.phone = { ...(cached.phone || {}), enabled: $('set-phone').checked, server: $('set-phone-server').value.trim() };
    s.bridge = {
      enabled: $('set-bridge').checked,
      port: Number($('set-bridge-port').value) || 47813,
      allowed_origins: $('set-bridge-origins').value.split(',').map((o) => o.trim()).filter(Boolean),
    };
    s.screen_pop = { templates: screenpop.collect() };
    s.trees = { ...(cached.trees || {}), server: $('set-trees-server').checked, shared: $('set-trees-shared').value.trim() };
    const result = await backend.saveSettings(s);
    if (!result.ok) { $('settings-error').textContent = errorText(result.error); return; }
    cached = s;
    report(result.value);
    await showBridge();
    await setLanguage(s.language);
    status(t('settings.saved'));
    await changed();
  });
}
