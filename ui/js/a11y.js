// What a screen reader hears and what large-text users need: the live regions (#status for messages,
// #announcer for the call's moments, #announcer-alert for what cannot wait), and text zoom with Ctrl+= / Ctrl+- /
// Ctrl+0, kept across restarts in the UI-state file (commands ui_state / save_ui_state).
import * as backend from './backend.js';
import { $ } from './dom.js';
import { t } from './i18n.js';

// Text sizes an agent steps through; 2 (200 %) is the most the layout promises to hold.
const ZOOMS = [0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];
let zoom = 1;
let saved = {};   // the whole UI state as last read, so saving the zoom keeps the other fields

/** Says `text` through the polite live region (or the assertive one). A repeat of the same text is said again. */
export function announce(text, { urgent = false } = {}) {
  const region = $(urgent ? 'announcer-alert' : 'announcer');
  region.textContent = '';
  // A change from empty to the text is what assistive technology reports; the next frame makes it a change.
  requestAnimationFrame(() => { region.textContent = text; });
}

/** The text size as a factor of the default (1 = 100 %). */
export function zoomLevel() {
  return zoom;
}

function applyZoom(level) {
  zoom = level;
  document.documentElement.style.setProperty('--zoom', String(level));
}

async function setZoom(level) {
  applyZoom(level);
  announce(t('announce.zoom', { percent: Math.round(level * 100) }));
  const result = await backend.saveUiState({ ...saved, zoom: level });
  if (result.ok) saved = { ...saved, zoom: level };
}

function step(direction) {
  const at = ZOOMS.findIndex((z) => z >= zoom - 1e-6);
  const index = Math.min(ZOOMS.length - 1, Math.max(0, (at < 0 ? ZOOMS.length - 1 : at) + direction));
  return ZOOMS[index];
}

function zoomKeys(e) {
  if (!e.ctrlKey || e.altKey || e.metaKey) return;
  let next = null;
  if (e.key === '=' || e.key === '+') next = step(1);
  else if (e.key === '-' || e.key === '_') next = step(-1);
  else if (e.key === '0') next = 1;
  if (next === null) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  if (next !== zoom) setZoom(next);
}

// Every text a live region takes is kept in order: the e2e tests read it (what a screen reader was told), and it
// costs a few strings.
function keepLog() {
  const log = [];
  window.__announced = log;
  const observer = new MutationObserver((changes) => {
    for (const change of changes) {
      const region = change.target.nodeType === Node.ELEMENT_NODE ? change.target : change.target.parentElement;
      const live = region && region.closest('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"]');
      const text = live && live.textContent.trim();
      if (text && log[log.length - 1] !== text) {
        log.push(text);
        if (log.length > 200) log.shift();
      }
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
}

export async function install() {
  keepLog();
  // Capture phase: the zoom keys are the window's own and must not reach the in-window hotkey matcher.
  document.addEventListener('keydown', zoomKeys, true);
  const result = await backend.uiState();
  if (result.ok) {
    saved = result.value;
    applyZoom(ZOOMS.includes(saved.zoom) ? saved.zoom : 1);
  }
}
