// The update banner: "Update ready — restart when you are between calls" with a Restart now button once an update
// is downloaded and verified, or why an update was refused (bad signature, tampered package, feed unreachable).
// The Rust side (src-tauri/src/updater.rs) decides when to look and refuses a restart during a call, a wrap-up or
// while the outbox holds anything. "Ready" and the button are worded here in the agent's language; a failure is the
// updater's own words.
import * as backend from './backend.js';
import { errorText, onLanguage, t } from './i18n.js';

let banner = null;
let shown = { state: 'off' };

function render(status) {
  shown = status;
  const text = banner.querySelector('.update-text');
  const restart = banner.querySelector('button');
  restart.textContent = t('update.restart');
  banner.dataset.state = status.state;
  if (status.state === 'ready') {
    text.textContent = t('update.ready');
    restart.hidden = false;
    banner.hidden = false;
  } else if (status.state === 'failed') {
    text.textContent = errorText(status);
    restart.hidden = true;
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

async function restartNow() {
  const result = await backend.updateInstall();
  // On success the app restarts into the new version; a refusal ("Not now: a call is up…") is shown here.
  if (!result.ok) banner.querySelector('.update-text').textContent = errorText(result.error);
}

export async function install() {
  const css = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: 'css/update.css' });
  document.head.append(css);
  banner = document.createElement('div');
  banner.id = 'update-banner';
  banner.setAttribute('role', 'status');
  banner.hidden = true;
  const text = Object.assign(document.createElement('span'), { className: 'update-text' });
  const restart = Object.assign(document.createElement('button'), { id: 'update-restart', className: 'primary', textContent: t('update.restart') });
  restart.addEventListener('click', restartNow);
  banner.append(text, restart);
  document.body.prepend(banner);
  backend.onUpdate(render);
  onLanguage(() => render(shown));
  const result = await backend.updateStatus();
  if (result.ok) render(result.value);
}
