// All user-facing text comes from one catalogue per language (app/i18n/<lang>.js); English is the fallback for any
// key a translation lacks. A translation is one more file.
import en from './i18n/en.js';

let catalogue = en;

export async function loadCatalogue() {
  const lang = (navigator.language || 'en').toLowerCase().split('-')[0];
  if (lang === 'en' || !/^[a-z]{2,3}$/.test(lang)) return;
  try {
    const translation = (await import(`./i18n/${lang}.js`)).default;
    catalogue = { ...en, ...translation };
    document.documentElement.lang = lang;
  } catch {
    // No catalogue for this language: English it is.
  }
}

/** The text for a key, with {name} placeholders filled from vars. */
export function t(key, vars) {
  let text = catalogue[key] ?? en[key];
  if (text === undefined) return key;
  if (vars) text = text.replace(/\{(\w+)\}/g, (match, name) => (vars[name] ?? match));
  return text;
}

/** The text for a key if the catalogue has one, else the fallback (e.g. a code or channel name the catalogue lacks). */
export const tOr = (key, fallback, vars) => ((catalogue[key] ?? en[key]) === undefined ? fallback : t(key, vars));
