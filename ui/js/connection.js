// @ts-check: reads or builds payloads typed from the Rust types (ui/types/payloads.d.ts).
// The connection light in the header (green / amber / red, always with words, the reason on hover) and the
// "Save a support report" button in Settings. The light is decided in Rust (crates/connection-light); this only shows it.
import { announce } from './a11y.js';
import * as backend from './backend.js';
import { $ } from './dom.js';
import { errorText, onLanguage, t } from './i18n.js';

let last = null;

/** @param {import('../types/payloads').ConnectionView} view */
function render(view) {
  // Losing the server is said at once (sign-in lost has its own announcement); the other changes are only shown.
  if (view.state === 'unreachable' && last && last.state !== 'unreachable') {
    announce(t('connection.unreachable'), { urgent: true });
  }
  last = view;
  const light = $('connection');
  light.dataset.light = view.light;
  light.dataset.state = view.state;
  const words = t(`connection.${view.state}`, { n: view.state === 'refused' ? view.refused : view.waiting });
  light.querySelector('.light-text').textContent = words;
  const reason = view.reason ? `${words}: ${view.reason}` : words;
  light.title = reason;
}

async function saveReport() {
  const out = $('report-result');
  out.textContent = t('report.saving');
  const result = await backend.saveSupportReport();
  out.textContent = result.ok ? t('report.saved', { path: result.value }) : errorText(result.error);
}

export async function install() {
  $('report-btn').addEventListener('click', saveReport);
  onLanguage(() => { if (last) render(last); });
  await backend.onConnection(render);
  const result = await backend.connectionStatus();
  if (result.ok) render(result.value);
}
