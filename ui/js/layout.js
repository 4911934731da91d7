// The desk follows the call: one primary panel per moment, set as #desk[data-moment] for the CSS to order and
// trim. idle → the dial form; dialing / in call → the call card; wrap-up → the disposition form on top with the
// call's summary beside it. The rest (CTI details, paste CTI, the dial form during a call) stays one key or click
// away. Also says each moment through the live region.
import { callLength } from './clock.js';
import { $, status } from './dom.js';
import { t } from './i18n.js';
import { announce } from './a11y.js';

const MOMENTS = { idle: 'idle', dialing: 'call', in_call: 'call', wrap_up: 'wrap' };

// Said, not shown: "2 min 5 s" (a screen reader reads 02:05 as a time of day).
function duration(view) {
  const secs = Math.max(0, Math.floor(callLength(view) / 1000));
  return `${Math.floor(secs / 60)} min ${secs % 60} s`;
}

/** The call view changed from `previous` (a state) to `view`. */
export function follow(previous, view) {
  const desk = $('desk');
  desk.dataset.moment = MOMENTS[view.state] || 'idle';
  // An idle card with no last call says only "Ready": no empty number, campaign and GUID lines.
  desk.dataset.lastCall = view.number ? 'yes' : 'no';
  if (previous === view.state) return;
  // Dialing is said by the status line (it tells the agent to answer their phone), the rest here.
  // The dialing hint has done its work once the call is up.
  if (view.state === 'in_call' && previous === 'dialing') status('');
  if (view.state === 'in_call') announce(t('announce.connected', { number: view.number || '' }));
  if (view.state === 'wrap_up') announce(t('announce.ended', { number: view.number || '', duration: duration(view) }));
}

/** The saved password stopped working: said at once, whatever the screen reader is reading. */
export function signInLost(reason) {
  announce(t('announce.signin_lost', { reason: reason || '' }), { urgent: true });
}
