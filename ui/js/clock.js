// The one way the window writes a length of time: mm:ss, and h:mm:ss from an hour on (the call card's and the
// compact bar's timers, a break's timer, the Today screen's figures and calls).
export function clock(ms) {
  const secs = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(secs / 3600);
  const mm = String(Math.floor((secs % 3600) / 60)).padStart(2, '0');
  const ss = String(secs % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** How long a call has lasted: from its start to its end, or to now while it is up; 0 before it started. */
export function callLength(view) {
  return view.started_at ? (view.ended_at || Date.now()) - view.started_at : 0;
}
