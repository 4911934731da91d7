// The machine-wide policy in the window: settings it locks are read-only with "set by your organization", the
// parts of the file it refused are listed, and each campaign's disposition tree shows its source and age. The
// lock itself is enforced by the Rust side; this only shows it.
import * as backend from './backend.js';
import { $, fillList, lines } from './dom.js';
import { errorText, t } from './i18n.js';

// Inputs of Settings and sign-in, by setting path. Inputs added later can carry data-setting="path" instead.
const FIELDS = {
  'hk-dial': 'hotkeys.dial', 'hk-hang_up': 'hotkeys.hang_up', 'hk-open_disposition': 'hotkeys.open_disposition',
  'hk-toggle_window': 'hotkeys.toggle_window',
  'id-callerid': 'identity.callerid', 'id-outqueue': 'identity.outqueue', 'id-extension': 'identity.extension',
  'id-context': 'identity.context', 'id-tech': 'identity.tech', 'id-name': 'identity.name',
  'ov-callerid': 'identity.callerid', 'ov-outqueue': 'identity.outqueue', 'ov-extension': 'identity.extension',
  'ov-context': 'identity.context', 'ov-tech': 'identity.tech',
  'set-wrapup': 'require_wrap_up', 'set-links': 'dial_links_at_once', 'set-callback-minutes': 'callback_reminder_minutes',
  'set-history-days': 'history_days', 'set-history-clear': 'clear_history_on_sign_out', 'set-campaigns': 'campaigns',
  'set-default-campaign': 'default_campaign', 'set-ca': 'ca_certificate', 'set-notifications': 'notifications',
  'set-autostart': 'autostart', 'set-hidden': 'start_hidden', 'set-language': 'language',
  'set-cti-scheme': 'cti_crypto.scheme', 'set-phone': 'phone.enabled', 'set-phone-server': 'phone.server', 'set-bridge': 'bridge.enabled', 'set-bridge-port': 'bridge.port',
  'set-bridge-origins': 'bridge.allowed_origins', 'set-trees-server': 'trees.server',
  'set-trees-shared': 'trees.shared', 'server-url': 'server_url', 'agent-user': 'agent_user',
};

let policy = null;

const covers = (lock, path) => path === lock || path.startsWith(`${lock}.`);

/** True when the policy locks `path` (itself or a table above it). */
export function locked(path) {
  return Boolean(policy) && policy.locked.some((lock) => covers(lock, path));
}

function inputs() {
  const found = Object.entries(FIELDS).map(([id, path]) => [document.getElementById(id), path]);
  document.querySelectorAll('[data-setting]').forEach((el) => found.push([el, el.dataset.setting]));
  return found.filter(([el]) => el);
}

/** Reads the policy once and marks the locked inputs read-only, each with "set by your organization". */
export async function apply() {
  if (!policy) {
    const result = await backend.policyStatus();
    policy = result.ok ? result.value : { locked: [], preset: [], problems: [], file: '', found: false };
  }
  for (const [el, path] of inputs()) {
    const lock = locked(path);
    el.disabled = lock;
    el.classList.toggle('locked', lock);
    el.title = lock ? t('policy.locked') : '';
    const label = el.closest('label');
    let note = label && label.querySelector('.locked-note');
    if (lock && label && !note) {
      note = Object.assign(document.createElement('small'), { className: 'locked-note', textContent: t('policy.locked') });
      label.append(note);
    }
    if (note) note.hidden = !lock;
  }
  return policy;
}

function age(iso) {
  if (!iso) return '';
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  if (minutes < 1) return t('trees.age_now');
  if (minutes < 120) return t('trees.age_minutes', { n: minutes });
  return t('trees.age_hours', { n: Math.round(minutes / 60) });
}

function showTrees(view) {
  fillList($('tree-sources'), Object.entries(view.origins || {}), lines(([campaign]) => campaign, ([campaign, o]) => [o.from_cache ? 'bad' : 'good',
    t('trees.origin', { campaign, kind: t(`trees.kind.${o.kind}`), source: o.source, age: age(o.updated) })
    + (o.from_cache ? ` ${t('trees.cached')}` : '')]));
  fillList($('tree-problems'), view.problems || [], lines((_, i) => i, (p) => ['bad', p]));
}

/** Fills the policy and tree-source parts of Settings. */
export async function fill() {
  const p = await apply();
  $('policy-file').textContent = p.found ? t('policy.file', { file: p.file }) : t('policy.none', { file: p.file });
  fillList($('policy-problems'), p.problems, lines((_, i) => i, (problem) => ['bad', problem]));
  const trees = await backend.treeSources();
  if (trees.ok) showTrees(trees.value);
}

/** Wires the Refresh button of the tree sources. */
export function install() {
  $('trees-refresh').addEventListener('click', async () => {
    $('trees-refresh').disabled = true;
    const result = await backend.refreshTrees();
    $('trees-refresh').disabled = false;
    if (result.ok) showTrees(result.value); else $('settings-error').textContent = errorText(result.error);
  });
}
