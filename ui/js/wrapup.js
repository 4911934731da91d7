// The wrap-up time limit on the disposition form: the countdown, "+N s", and what the agent types reported to the
// Rust side so that, if the time runs out, it goes in the automatic disposition's comment.
import * as backend from './backend.js';
import { $, status } from './dom.js';
import { errorText, t } from './i18n.js';
import { announce } from './a11y.js';

let countdown = null;
let timer = null;
let noteTimer = null;
// The screen reader is told the time left at these marks, each once per countdown that started above it.
const MARKS = [30, 10];
let above = new Set();

function left() {
  if (!countdown) return;
  const secs = Math.max(0, Math.ceil((countdown.deadline - Date.now()) / 1000));
  $('wrapup-left').textContent = t('wrapup.left', { secs });
  for (const mark of MARKS) {
    if (secs > mark) above.add(mark);
    else if (above.delete(mark)) announce(t('announce.wrapup_left', { secs: mark }));
  }
  $('wrapup-clock').classList.toggle('urgent', secs <= 10);
}

function render(next) {
  if (!next) above = new Set();
  countdown = next;
  clearInterval(timer);
  $('wrapup-clock').hidden = !countdown;
  if (!countdown) return;
  $('wrapup-extend').textContent = t('wrapup.extend', { secs: countdown.extension_secs });
  $('wrapup-extend').disabled = countdown.extensions_left === 0;
  left();
  timer = setInterval(left, 250);
}

function typed() {
  return { comment: $('dispo-comment').value, d1: $('dispo-d1').value, d2: $('dispo-d2').value, tag: $('dispo-tag').value };
}

function reportNote() {
  clearTimeout(noteTimer);
  noteTimer = setTimeout(async () => {
    if (!countdown) return;
    const form = typed();
    // What the app holds, for the agent's peace of mind and for tests: the comment as last kept on disk.
    if ((await backend.wrapupNote(form)).ok) $('wrapup-clock').dataset.kept = form.comment;
  }, 200);
}

export async function refresh() {
  const result = await backend.wrapupClock();
  if (result.ok) render(result.value);
}

export function install() {
  $('wrapup-extend').addEventListener('click', async () => {
    const result = await backend.wrapupExtend();
    if (result.ok) render(result.value); else status(errorText(result.error), true);
  });
  for (const id of ['dispo-comment', 'dispo-d1', 'dispo-d2', 'dispo-tag']) $(id).addEventListener('input', reportNote);
  backend.onWrapupClock((event) => {
    if (event.type === 'running') render(event.countdown);
    else render(null);
    if (event.type === 'timed_out') status(t('wrapup.timed_out', { codes: event.codes }), true);
  });
}
