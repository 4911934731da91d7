// The shortcuts overlay (`?` outside a text field, or F1 anywhere): every key the app knows, the global ones with
// the bindings in effect and whether the system let the app have them (hotkey_status).
import * as backend from './backend.js';
import { $, fillList } from './dom.js';
import { errorText, t } from './i18n.js';

const GLOBAL = ['dial', 'hang_up', 'open_disposition', 'toggle_window', 'toggle_break', 'toggle_compact', 'answer',
  'toggle_mute', 'toggle_hold'];
// Keys of this window: [keys, i18n key of what they do]. Access keys are Alt+letter in WebKitGTK and Chromium.
const IN_WINDOW = [
  ['F1 · ?', 'shortcuts.overlay'],
  ['Alt+N', 'shortcuts.number'],
  ['Alt+R', 'shortcuts.dialer'],
  ['Alt+T', 'shortcuts.today'],
  ['↑ ↓ · Enter · C · F', 'shortcuts.today_keys'],
  ['Alt+S', 'shortcuts.settings'],
  ['Alt+P', 'shortcuts.respool'],
  ['Alt+B', 'shortcuts.break'],
  ['Alt+K', 'shortcuts.callbacks'],
  ['↑ ↓ · Enter · D · Delete', 'shortcuts.callbacks_keys'],
  ['1 … 9', 'shortcuts.pick'],
  ['a … z', 'shortcuts.filter'],
  ['Backspace', 'shortcuts.up'],
  ['Enter', 'shortcuts.save'],
  ['↑ ↓ · Alt+↑ ↓ · P · Esc', 'shortcuts.respool_keys'],
  ['Ctrl+=', 'shortcuts.zoom_in'],
  ['Ctrl+-', 'shortcuts.zoom_out'],
  ['Ctrl+0', 'shortcuts.zoom_reset'],
  ['O', 'shortcuts.open_crm'],
  ['Esc', 'shortcuts.escape'],
];
let opener = null;

// A row of a table, made once (dom.js fillList) and filled with [keys, what, note, bad].
function makeRow() {
  const tr = document.createElement('tr');
  const th = Object.assign(document.createElement('th'), { scope: 'row' });
  th.append(document.createElement('kbd'));
  const td = document.createElement('td');
  td.append(document.createTextNode(''), document.createTextNode(''), document.createElement('span'));
  tr.append(th, td);
  return tr;
}

function fillRow(tr, [keys, what, note = '', bad = false]) {
  tr.firstChild.firstChild.textContent = keys;
  const [text, dash, span] = tr.lastChild.childNodes;
  text.textContent = what;
  dash.textContent = note ? ' — ' : '';
  span.textContent = note;
  span.className = bad ? 'bad' : '';
}

const table = { key: (_, i) => i, make: makeRow, fill: fillRow, empty: (tr) => fillRow(tr, ['', '']) };

export async function open() {
  const dialog = $('shortcuts');
  if (dialog.open) return;
  opener = document.activeElement;
  const report = (await backend.hotkeyStatus()).value || [];
  fillList($('shortcuts-global'), GLOBAL.map((action) => {
    const s = report.find((r) => r.action === action);
    if (!s || !s.combo) return [t('shortcuts.unset'), t(`hotkey.${action}`)];
    return s.registered ? [s.combo, t(`hotkey.${action}`)]
      : [s.combo, t(`hotkey.${action}`), t('shortcuts.not_registered', { problem: errorText(s.problem) }), true];
  }), table);
  fillList($('shortcuts-window'), IN_WINDOW.map(([keys, what]) => [keys, t(what)]), table);
  dialog.showModal();
  $('shortcuts-close').focus();
}

function close() {
  $('shortcuts').close();
}

export function install() {
  $('shortcuts-btn').addEventListener('click', open);
  $('shortcuts-close').addEventListener('click', close);
  $('shortcuts').addEventListener('close', () => { if (opener && opener.focus) opener.focus(); opener = null; });
  document.addEventListener('keydown', (e) => {
    const inText = e.target.matches && e.target.matches('input, textarea, select, [contenteditable]');
    if (e.key === 'F1' || (e.key === '?' && !inText && !e.ctrlKey && !e.altKey)) {
      e.preventDefault();
      e.stopImmediatePropagation();
      open();
    }
  }, true);
}
