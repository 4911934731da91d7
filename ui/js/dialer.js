// The Dialer screen: schedule a call, remove scheduled calls in a range, remove a contact from a dialer, insert a
// dialer task in one of the four modes. The Rust side validates every field and names the one that is wrong.
import * as backend from './backend.js';
import { $, fillList, options, show } from './dom.js';
import { errorText, t } from './i18n.js';
import * as dates from './datefields.js';

const when = (id) => $(id).value.replace('T', ' ');

function result(ok, text) {
  const el = $('dialer-result');
  el.textContent = text;
  el.classList.toggle('bad', !ok);
}

async function send(request, done) {
  const answer = await request;
  if (answer.ok) result(true, done(answer.value));
  else result(false, errorText(answer.error));
  return answer.ok;
}

function open(campaigns, current) {
  for (const select of document.querySelectorAll('.dt-campaign')) {
    const keep = select.value;
    fillList(select, campaigns, options);
    select.value = keep || current || '';
  }
  result(true, '');
  dates.ready();
  show('dialer');
  $('dts-number').focus();
}

function modeChanged() {
  const mode = $('dtt-mode').value;
  $('dtt-when-label').hidden = mode !== 'any_time';
  $('dtt-agent-label').hidden = mode !== 'owned_by';
}

/** `campaigns()` answers the campaigns to offer and the one to preselect (the desk's, else the app's default). */
export function install(back, campaigns) {
  $('dialer-btn').addEventListener('click', () => { const c = campaigns(); open(c.list, c.current); });
  $('dialer-close').addEventListener('click', back);
  $('dtt-mode').addEventListener('change', modeChanged);
  modeChanged();
  $('dt-schedule').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = {
      campaign: $('dts-campaign').value, number: $('dts-number').value, calldate: when('dts-when'),
      alternatives: $('dts-alternatives').value, data: $('dts-data').value, agentphone: $('dts-agentphone').value,
    };
    await send(backend.scheduleCall(form), (delivered) => t(delivered ? 'dialer.scheduled' : 'dialer.schedule_waiting', { number: form.number }));
  });
  $('dt-unschedule').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = { campaign: $('dtu-campaign').value, number: $('dtu-number').value, from: when('dtu-from'), to: when('dtu-to') };
    await send(backend.removeSchedule(form), () => t('dialer.unscheduled', { number: form.number }));
  });
  $('dt-remove').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = { campaign: $('dtr-campaign').value, number: $('dtr-number').value };
    await send(backend.removeContact(form), () => t('dialer.removed', { number: form.number, campaign: form.campaign }));
  });
  $('dt-task').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = {
      mode: $('dtt-mode').value, campaign: $('dtt-campaign').value, number: $('dtt-number').value,
      alternatives: $('dtt-alternatives').value, data: $('dtt-data').value, calldate: when('dtt-when'), agent: $('dtt-agent').value,
    };
    await send(backend.dialerTask(form), () => t('dialer.task_done', { number: form.number }));
  });
}
