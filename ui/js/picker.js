// The code picker of a campaign's disposition tree, level 1 → 2 → 3, shared by the wrap-up's form (dispo.js) and
// the Today screen's late filing (late.js). Letters filter, 1–9 pick the n-th shown option, Backspace on an empty
// filter goes up a level, Enter picks the only option left or submits once a leaf is chosen. Without a tree the
// filter's text is the level-1 code.
import { $, reuseChildren } from './dom.js';
import { t } from './i18n.js';

function fold(text) {
  return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** `ids`: the element ids of the picker's parts ({filter, path, options, action, submit, form}); `onChoose(node)`
 * runs after a code is chosen (the wrap-up opens its date field for a SCHEDULE leaf). */
export function createPicker(ids, onChoose = () => {}) {
  let tree = null; // { campaign, levels: [{name, action?, children?}] }
  let path = [];   // the chosen nodes

  function level() {
    let nodes = tree ? tree.levels : [];
    for (const node of path) nodes = node.children || [];
    return nodes;
  }

  function shown() {
    const q = fold($(ids.filter).value.trim());
    return level().filter((n) => fold(n.name).includes(q));
  }

  function complete() {
    if (!tree) return $(ids.filter).value.trim() !== '';
    const last = path[path.length - 1];
    return Boolean(last) && !(last.children && last.children.length);
  }

  let offered = [];  // the options on screen, in order: what the n-th button picks

  function makeOption() {
    const li = document.createElement('li');
    li.setAttribute('role', 'none');  // the options belong to the listbox itself (a list item would sit between)
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'option');
    button.append(...['key', 'code-name', 'leaf-action'].map((className) => Object.assign(document.createElement('span'), { className })));
    button.addEventListener('click', () => { const node = offered[Number(button.dataset.index)]; if (node) choose(node); });
    li.append(button);
    return li;
  }

  function fillOption(li, node, i) {
    const button = li.firstChild;
    const [key, label, action] = button.children;
    button.dataset.index = String(i);
    key.textContent = i < 9 ? String(i + 1) : '';
    label.textContent = node.name;
    action.textContent = node.action || '';
    action.hidden = !node.action;
  }

  function emptyOption(li) {
    for (const span of li.firstChild.children) span.textContent = '';
  }

  function render() {
    // The path and the options keep their elements from call to call (dom.js `reuseChildren`).
    reuseChildren($(ids.path), path, () => document.createElement('span'), (span, node) => { span.textContent = node.name; },
      (span) => { span.textContent = ''; });
    offered = complete() ? [] : shown();
    reuseChildren($(ids.options), offered, makeOption, fillOption, emptyOption);
    const last = path[path.length - 1];
    $(ids.action).textContent = last && last.action ? t('dispo.action', { action: t(`action.${last.action}`) }) : '';
    $(ids.submit).disabled = !complete();
  }

  function choose(node) {
    path.push(node);
    $(ids.filter).value = '';
    render();
    $(ids.filter).focus();
    onChoose(node);
  }

  /** 1–9, Enter or Backspace: true when the picker used the key. */
  function handleKey(key) {
    if (/^[1-9]$/.test(key) && tree) {
      const node = shown()[Number(key) - 1];
      if (node && !complete()) choose(node);
      return true;
    }
    if (key === 'Backspace' && $(ids.filter).value === '' && path.length) {
      path.pop();
      render();
      return true;
    }
    if (key === 'Enter') {
      const options = shown();
      if (complete()) $(ids.form).requestSubmit();
      else if (options.length === 1) choose(options[0]);
      return true;
    }
    return false;
  }

  /** Starts again on `given` (a tree, or null for free codes). */
  function reset(given) {
    tree = given;
    path = [];
    $(ids.filter).value = '';
    render();
  }

  /** The chosen codes, l1 / l2 / l3. */
  function codes() {
    const names = tree ? path.map((n) => n.name) : [$(ids.filter).value.trim()];
    return { l1: names[0] || '', l2: names[1] || '', l3: names[2] || '' };
  }

  /** The leaf chosen, once the codes are complete. */
  function leaf() {
    return complete() ? path[path.length - 1] || null : null;
  }

  function install() {
    $(ids.filter).addEventListener('input', render);
    $(ids.filter).addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      const digitWithTree = /^[1-9]$/.test(e.key) && tree;
      if ((digitWithTree || e.key === 'Enter' || e.key === 'Backspace') && handleKey(e.key)) e.preventDefault();
    });
  }

  return { install, reset, render, complete, codes, leaf, handleKey, clear: () => { path = []; } };
}
