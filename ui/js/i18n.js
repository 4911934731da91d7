// English and Spanish. The language follows the OS (navigator.language) unless set in settings.
import en from '../i18n/en.js';
import es from '../i18n/es.js';

const tables = { en, es };
let table = en;

const listeners = [];

/** Runs `fn` after every language change (for text a module renders itself). */
export function onLanguage(fn) {
  listeners.push(fn);
}

export function setLanguage(setting) {
  const lang = setting && setting !== 'auto' ? setting : (navigator.language || 'en').slice(0, 2);
  table = tables[lang] || en;
  document.documentElement.lang = tables[lang] ? lang : 'en';
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
  const text = table[key] || en[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (values[name] ?? ''));
}
