// New password twice, with the rules shown before typing and checked as the person types; shared by the reset,
// forced-change and account pages. (A part of pages, not a page.)
import { h, uid } from './dom.js';
import { t } from './i18n.js';
import { loadRules, rulesList } from './password-rules.js';
import { field, showPasswords, valueOf, setFieldError } from './forms.js';

export async function newPasswordFields(form, { current = false } = {}) {
  const rules = await loadRules();
  const rulesId = uid('rules');
  const list = rulesList(rules, rulesId);
  const currentField = current ? field({ name: 'currentPassword', label: t('password.current'), type: 'password', autocomplete: 'current-password', required: true, 'data-password': true }) : null;
  const newField = field({ name: 'newPassword', label: t('password.new'), type: 'password', autocomplete: 'new-password', required: true, 'data-password': true });
  const confirmField = field({ name: 'confirmPassword', label: t('password.confirm'), type: 'password', autocomplete: 'new-password', required: true, 'data-password': true });
  const newInput = newField.querySelector('input');
  newInput.setAttribute('aria-describedby', `${rulesId} ${newInput.getAttribute('aria-describedby')}`);
  newInput.addEventListener('input', () => list.update(newInput.value));
  const element = h('div', { class: 'password-fields' }, currentField, list.element, newField, confirmField, showPasswords(form));

  /** What the page can tell before asking the service; true when nothing is wrong. */
  function checkLocally() {
    let ok = true;
    if (current && !valueOf(form, 'currentPassword')) {
      setFieldError(form, 'currentPassword', t('password.currentRequired'));
      ok = false;
    }
    const password = valueOf(form, 'newPassword');
    if (!password) {
      setFieldError(form, 'newPassword', t('password.newRequired'));
      ok = false;
    } else if ([...password].length < rules.minLength) {
      setFieldError(form, 'newPassword', t('violation.too_short'));
      ok = false;
    }
    if (valueOf(form, 'confirmPassword').normalize('NFKC') !== password.normalize('NFKC')) {
      setFieldError(form, 'confirmPassword', t('violation.mismatch'));
      ok = false;
    }
    return ok;
  }
  return { element, checkLocally, rules };
}
