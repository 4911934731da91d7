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

/** Shows `items` in `list` through its first children, each made once by `make()` and filled by `fill(child, item,
 * index)`; the children past the items are hidden and emptied (`empty(child)`), not removed. A list the window
 * renders on every call keeps its elements: WebKitGTK holds on to the elements a page removes (BENCHMARKS.md,
 * Decisions: reused elements instead of dropped ones: 7 option buttons made and dropped per call were nearly all of
 * the web process's growth over a shift). */
export function reuseChildren(list, items, make, fill, empty) {
  while (list.children.length < items.length) list.append(make());
  Array.from(list.children).forEach((child, i) => {
    child.hidden = i >= items.length;
    if (i < items.length) fill(child, items[i], i);
    else empty(child);
  });
}
