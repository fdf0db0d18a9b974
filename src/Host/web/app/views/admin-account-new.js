// New account: username, contact details, roles and an initial password that must meet the policy (shown before
// typing); by default the person must choose their own password at first sign-in.
import { h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { loadRules, rulesList } from '../password-rules.js';
import { field, checkbox, formMessage, onSubmit, showPasswords, valueOf, input, setFieldError, showViolations, focusFirstError } from '../forms.js';
import { contactFields, roleChoices, checkedValues, showAccountProblem } from '../account-fields.js';

export async function render({ account, navigate, setFlash }) {
  const rules = await loadRules();
  const rulesId = uid('rules');
  const list = rulesList(rules, rulesId);
  list.element.querySelector('.rules-title').textContent = t('adminNew.rulesTitle');

  const password = field({ name: 'password', label: t('adminNew.password'), type: 'password', autocomplete: 'new-password', required: true, 'data-password': true });
  const passwordInput = password.querySelector('input');
  passwordInput.setAttribute('aria-describedby', `${rulesId} ${passwordInput.getAttribute('aria-describedby')}`);
  passwordInput.addEventListener('input', () => list.update(passwordInput.value));

  const form = h('form', { class: 'card', novalidate: true },
    formMessage(),
    field({ name: 'username', label: t('adminNew.username'), hint: t('adminNew.usernameHint'), required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: '64' }),
    contactFields(),
    roleChoices(account, ['user']));
  form.append(
    list.element,
    password,
    showPasswords(form),
    checkbox({ name: 'mustChangePassword', label: t('adminNew.mustChange'), checked: true, hint: t('adminNew.mustChangeHint') }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('adminNew.submit')),
      h('a', { href: '/admin/accounts' }, t('adminNew.cancel'))));

  onSubmit(form, async () => {
    const body = {
      username: valueOf(form, 'username').trim(),
      email: valueOf(form, 'email').trim() || null,
      phone: valueOf(form, 'phone').trim() || null,
      roles: checkedValues(form, 'roles'),
      password: valueOf(form, 'password'),
      mustChangePassword: input(form, 'mustChangePassword').checked,
    };
    if (!body.username) setFieldError(form, 'username', t('adminNew.usernameRequired'));
    if (!body.roles.length) setFieldError(form, 'roles', t('accountFields.rolesRequired'));
    if (!body.password) setFieldError(form, 'password', t('adminNew.passwordRequired'));
    if (form.querySelector('[aria-invalid="true"]')) return focusFirstError(form);
    try {
      const created = await post('/api/accounts', body);
      setFlash('success', t('adminNew.created', { username: body.username }));
      return navigate(`/admin/accounts/${created.id}`);
    } catch (error) {
      if (error.code === 'password_policy') showViolations(form, error, 'password', 'password');
      else showAccountProblem(form, error);
      return focusFirstError(form);
    }
  });

  return { title: t('adminNew.title'), content: form };
}
