// The dial form: the number field and the campaign picker show the app's dial draft (owned by the Rust side: every
// edit is reported with setDraft, and a link's number arrives as an event), the Dial button, a tel:/callto: link
// offered for Enter, and a call of the Today screen dialled again.
import * as backend from './backend.js';
import * as breaks from './breaks.js';
import { $, fillList, options, show, status } from './dom.js';
import { errorText, t } from './i18n.js';

let wrapUpRequired = () => {};

function reportDraft() {
  backend.setDraft({ number: $('number').value, campaign: $('campaign').value });
}

/** After a call: an empty field already is the app's draft (a dial by hotkey from the clipboard leaves it empty),
 * and every command costs the page a little memory for a while (BENCHMARKS.md, Decisions: fewer messages per call): only a number there is reported. */
export function clearDraft() {
  if (!$('number').value) return;
  $('number').value = '';
  reportDraft();
}

/** The agent's campaigns, `chosen` picked. */
export function campaigns(list, chosen) {
  const select = $('campaign');
  fillList(select, list, options);
  select.value = chosen || '';
}

export function focus() {
  $('number').focus();
}

async function dial(number, campaign) {
  const result = await backend.dial(number, campaign);
  if (!result.ok) {
    if (result.error.code === 'on_break') { breaks.askDial(number, campaign, dial); return; }
    status(errorText(result.error), true);
    if (result.error.code === 'invalid_number') $('number').focus();
    if (result.error.code === 'wrap_up_required') wrapUpRequired();
  }
}

/** Enter on a call of the Today screen: the number in the dial field (and its campaign, when offered), then the
 * same dial as the Dial button. */
export function redial(number, campaign) {
  show('desk');
  $('number').value = number;
  if (campaign && [...$('campaign').options].some((o) => o.value === campaign)) $('campaign').value = campaign;
  reportDraft();
  $('number').focus();
  dial(number, $('campaign').value || null);
}

/** A tel:/callto: link or a number on the command line, already the app's dial draft: shown, the agent confirms
 * with Enter (or Esc). */
export function offerLink(number) {
  show('desk');
  $('number').value = number;
  $('link-banner').textContent = t('link.confirm', { number });
  $('link-banner').hidden = false;
  $('number').focus();
  $('number').select();
}

function clearLink() { $('link-banner').hidden = true; }

/** `onWrapUpRequired()`: a dial refused because the last call's disposition is due. */
export function install(onWrapUpRequired) {
  wrapUpRequired = onWrapUpRequired;
  $('number').addEventListener('input', reportDraft);
  $('campaign').addEventListener('change', reportDraft);
  $('dial-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearLink();
    dial($('number').value, $('campaign').value || null);
  });
  $('number').addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('link-banner').hidden) { $('number').value = ''; reportDraft(); clearLink(); }
  });
}
