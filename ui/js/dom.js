// Small DOM helpers shared by the screens.
export const $ = (id) => document.getElementById(id);

export function show(screen) {
  for (const id of ['signin', 'desk', 'settings', 'dialer', 'today']) $(id).hidden = id !== screen;
}

export function status(text, bad = false) {
  const el = $('status');
  el.textContent = text || '';
  el.classList.toggle('bad', bad);
}
