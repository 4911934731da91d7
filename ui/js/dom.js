// Small DOM helpers shared by the screens.
/** An element by id (any: the page's own ids, each of a known kind). @type {(id: string) => any} */
export const $ = (id) => document.getElementById(id);

const SCREENS = ['signin', 'desk', 'settings', 'dialer', 'today'];

/** Shows one screen; #app[data-screen] names it (for the CSS and the tests, in any language). */
export function show(screen) {
  for (const id of SCREENS) $(id).hidden = id !== screen;
  $('app').dataset.screen = screen;
}

export function status(text, bad = false) {
  const el = $('status');
  el.textContent = text || '';
  el.classList.toggle('bad', bad);
}

/** Shows `items` in `list`, one child element per item, each found again by its key (`key(item, index)`): a key
 * still shown keeps its element, filled again in place (`fill(child, item, index)`) and moved only when the order
 * changed; a new key takes an element no key holds any more, or one made by `make()`. The elements left over are
 * hidden, emptied (`empty(child)`: no text or id a reader or a query could still find) and kept for later, or with
 * `drop` removed (a <select>'s options, where a hidden option could still be chosen). With `none(child)`, the list's
 * first child is a row of its own, shown (and filled by `none`) only when there are no items.
 *
 * Every list of the window renders through this: each ↑/↓ and each keystroke of a filter renders its list again,
 * and WebKitGTK holds on to the elements a page removes (BENCHMARKS.md, Decisions: reused elements instead of dropped ones: 7 option buttons made and dropped per call
 * were nearly all of the web process's growth over a shift), so an element once made is kept and reused. */
export function fillList(list, items, { key, make, fill, empty = () => {}, none = null, drop = false }) {
  const keys = items.map((item, i) => String(key(item, i)));
  const wanted = new Set(keys);
  let placeholder = list.firstElementChild && 'none' in list.firstElementChild.dataset ? list.firstElementChild : null;
  if (none && !placeholder) {
    placeholder = document.createElement('li');
    placeholder.dataset.none = '';
    list.prepend(placeholder);
  }
  const start = placeholder ? 1 : 0;
  const held = new Map();
  const spare = [];
  for (const child of Array.from(list.children).slice(start)) {
    const k = child.dataset.key;
    if (k !== undefined && wanted.has(k) && !held.has(k)) held.set(k, child); else spare.push(child);
  }
  items.forEach((item, i) => {
    const mine = held.get(keys[i]);
    held.delete(keys[i]); // a key twice in `items`: its second row is another element
    const el = mine || spare.shift() || make(item, i);
    el.dataset.key = keys[i];
    el.hidden = false;
    fill(el, item, i);
    const here = list.children[start + i];
    if (here !== el) list.insertBefore(el, here || null);
  });
  for (const el of Array.from(list.children).slice(start + items.length)) {
    if (drop) { el.remove(); continue; }
    el.hidden = true;
    delete el.dataset.key;
    empty(el);
  }
  if (placeholder) {
    placeholder.hidden = items.length > 0;
    if (!items.length && none) none(placeholder);
  }
}

/** Sets `node`'s text only when it changed: a row filled again on each ↑/↓ keeps its text nodes. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** `fillList` by position: the n-th item always in the n-th element (lists whose rows have no identity of their
 * own: a definition list's terms and values, the codes offered at one level of a tree). */
export function reuseChildren(list, items, make, fill, empty) {
  fillList(list, items, { key: (_, i) => i, make, fill, empty });
}

/** fillList's parts for a list of one-line rows: `key(item, index)`, and `line(item)` answering [className, text]. */
export function lines(key, line) {
  return {
    key,
    make: () => document.createElement('li'),
    fill: (li, item) => { [li.className, li.textContent] = line(item); },
    empty: (li) => { li.className = ''; li.textContent = ''; },
  };
}

/** fillList's parts for a <select> whose options are strings, each its own value and text. */
export const options = {
  key: (value) => value,
  make: () => new Option(),
  fill: (option, value) => { option.value = value; option.textContent = value; },
  drop: true,
};
