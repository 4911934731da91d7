// English and Spanish: one module of ~350 texts each (ui/i18n/en.js and es.js, with the same keys: checked by
// src-tauri/src/boundary_tests.rs). The language follows the OS (navigator.language) unless set in settings.
// Only the language shown is loaded, another one when it is chosen: the second table was 2.5 MiB of the web process
// at sign-in (BENCHMARKS.md, Decisions: only the shown language loaded). The OS's language is loaded before
// any module that imports this one runs (top-level await), so no text is ever shown as its key; setLanguage
// resolves once the chosen language is in place.
const loaders = { en: () => import('../i18n/en.js'), es: () => import('../i18n/es.js') };

function pick(setting) {
  const lang = setting && setting !== 'auto' ? setting : (navigator.language || 'en').slice(0, 2);
  return loaders[lang] ? lang : 'en';
}

let lang = pick('auto');
let table = (await loaders[lang]()).default;
let asked = 0; // the latest setLanguage call wins, whichever table arrives first

const listeners = [];

/** Runs `fn` after every language change (for text a module renders itself). */
export function onLanguage(fn) {
  listeners.push(fn);
}

export async function setLanguage(setting) {
  const call = ++asked;
  const wanted = pick(setting);
  const loaded = wanted === lang ? table : (await loaders[wanted]()).default;
  if (call !== asked) return;
  lang = wanted;
  table = loaded;
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => {
    const text = table[el.dataset.i18n];
    if (text) el.textContent = text;
  });
  document.querySelectorAll('[data-i18n-label]').forEach((el) => {
    const text = table[el.dataset.i18nLabel];
    if (text) el.setAttribute('aria-label', text);
  });
  document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => {
    const text = table[el.dataset.i18nPlaceholder];
    if (text) el.placeholder = text;
  });
  listeners.forEach((fn) => fn());
}

export function t(key, values = {}) {
  const text = table[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (values[name] ?? ''));
}

/** An error (`{code, message, phrase}`) as the agent reads it: in their language when its words are in the tables
 * (`phrase`: `{key, params}`, agent_error::Phrase), else its message as the app wrote it. */
export function errorText(error) {
  if (!error) return '';
  const phrase = error.phrase;
  if (phrase && table[phrase.key]) return t(phrase.key, phrase.params || {});
  return error.message || '';
}
