// The password rules shown before typing and checked as the person types (GET /api/password-rules). What only the
// service can know (common passwords, the history, the username on anonymous pages) is said, and checked on submit.
import { h } from './dom.js';
import { t } from './i18n.js';
import { get } from './api.js';

const checks = {
  minLength: (p, r) => [...p].length >= r.minLength,
  maxLength: (p, r) => [...p].length <= r.maxLength,
  requireUppercase: (p) => /\p{Lu}/u.test(p),
  requireLowercase: (p) => /\p{Ll}/u.test(p),
  requireDigit: (p) => /\p{Nd}/u.test(p),
  requireSpecial: (p) => /[^\p{L}\p{Nd}]/u.test(p),
};

export async function loadRules() {
  return get('/api/password-rules', { anonymous: true });
}

/** The list of rules (its id goes into the new-password input's aria-describedby) and a function to update it. */
export function rulesList(rules, id) {
  const items = [];
  const add = (key, text, check) => {
    const state = h('span', { class: 'rule-state', 'aria-hidden': 'true' }, '•');
    const hidden = h('span', { class: 'visually-hidden' }, '');
    const li = h('li', { class: 'rule' }, state, ' ', text, hidden);
    items.push({ li, state, hidden, check });
  };
  add('minLength', t('rules.minLength', { n: rules.minLength }), checks.minLength);
  if (rules.maxLength) add('maxLength', t('rules.maxLength', { n: rules.maxLength }), checks.maxLength);
  if (rules.requireUppercase) add('upper', t('rules.uppercase'), checks.requireUppercase);
  if (rules.requireLowercase) add('lower', t('rules.lowercase'), checks.requireLowercase);
  if (rules.requireDigit) add('digit', t('rules.digit'), checks.requireDigit);
  if (rules.requireSpecial) add('special', t('rules.special'), checks.requireSpecial);
  if (rules.disallowUsername) add('username', t('rules.username'), null);
  if (rules.disallowCommon) add('common', t('rules.common'), null);
  if (rules.minStrength > 0) add('strength', t('rules.strength'), null);
  if (rules.historyCount > 0) add('history', t('rules.history', { n: rules.historyCount }), null);

  const list = h('ul', { class: 'rules', id }, items.map((i) => i.li));
  const element = h('div', { class: 'rules-box' }, h('p', { class: 'rules-title' }, t('rules.title')), list);

  function update(password) {
    for (const item of items) {
      if (!item.check) continue;
      const met = password.length > 0 && item.check(password, rules);
      item.li.classList.toggle('met', met);
      item.li.classList.toggle('unmet', password.length > 0 && !met);
      item.state.textContent = password.length === 0 ? '•' : met ? '✓' : '✗';
      item.hidden.textContent = password.length === 0 ? '' : met ? ` (${t('rules.met')})` : ` (${t('rules.unmet')})`;
    }
  }
  return { element, update };
}
