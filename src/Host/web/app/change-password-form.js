// Change password while signed in: the current one, the new one twice, and the warning that every session ends,
// this one included. Used by the account page and the forced-change page.
import { h } from './dom.js';
import { t } from './i18n.js';
import { post } from './api.js';
import { session } from './session.js';
import { newPasswordFields } from './password-fields.js';
import { formMessage, onSubmit, showFormMessage, valueOf, problemText, showViolations, setFieldError, focusFirstError } from './forms.js';

export async function changePasswordForm({ navigate, setFlash }) {
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'change-password-heading' },
    h('h2', { id: 'change-password-heading' }, t('change.heading')),
    h('p', { class: 'warning', id: 'change-password-warning' }, t('change.warning')),
    formMessage());
  const fields = await newPasswordFields(form, { current: true });
  form.append(fields.element, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'aria-describedby': 'change-password-warning' }, t('change.submit'))));

  onSubmit(form, async () => {
    if (!fields.checkLocally()) return focusFirstError(form);
    try {
      await post('/api/me/password', {
        currentPassword: valueOf(form, 'currentPassword'),
        newPassword: valueOf(form, 'newPassword'),
        confirmPassword: valueOf(form, 'confirmPassword'),
      });
      session.clear();
      setFlash('success', t('change.done'));
      return navigate('/', { replace: true });
    } catch (error) {
      if (error.code === 'invalid_current_password') setFieldError(form, 'currentPassword', t('problem.invalid_current_password'));
      else if (error.code === 'password_policy') showViolations(form, error);
      else if (error.status !== 401) showFormMessage(form, 'error', problemText(error));
      return focusFirstError(form);
    }
  });
  return form;
}
