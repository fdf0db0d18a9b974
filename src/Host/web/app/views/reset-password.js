// The page the reset mail links to (/reset-password?token=...) and where a verified code leads. The token leaves the
// address bar and the history as soon as the page has read it; it is kept in this tab only until it is used.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { flow } from '../session.js';
import { newPasswordFields } from '../password-fields.js';
import { formMessage, onSubmit, showFormMessage, valueOf, problemText, showViolations, focusFirstError } from '../forms.js';

export async function render({ query, navigate, setFlash }) {
  const fromLink = query.get('token');
  if (fromLink !== null) {
    flow.set({ resetToken: fromLink });
    history.replaceState(null, '', '/reset-password');
  }
  const token = flow.get().resetToken;
  if (!token) {
    return { title: t('reset.title'), content: h('div', { class: 'card narrow' }, h('p', {}, t('reset.noToken')), h('p', {}, h('a', { href: '/forgot-password' }, t('reset.newRequest')))) };
  }

  const form = h('form', { class: 'card narrow', novalidate: true }, formMessage());
  const fields = await newPasswordFields(form);
  form.append(fields.element,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('reset.submit'))));

  onSubmit(form, async () => {
    if (!fields.checkLocally()) return focusFirstError(form);
    try {
      await post('/api/recovery/reset', { token, newPassword: valueOf(form, 'newPassword'), confirmPassword: valueOf(form, 'confirmPassword') }, { anonymous: true });
      flow.clear();
      setFlash('success', t('reset.done'));
      return navigate('/', { replace: true });
    } catch (error) {
      if (error.code === 'password_policy') showViolations(form, error);
      else if (error.code === 'invalid_token' || error.code === 'expired') {
        flow.clear();
        showFormMessage(form, 'error', t(error.code === 'expired' ? 'reset.expired' : 'reset.invalid'), ' ', h('a', { href: '/forgot-password' }, t('reset.newRequest')));
        form.dataset.locked = 'true';
        for (const control of form.querySelectorAll('input, button')) control.disabled = true;
      } else showFormMessage(form, 'error', problemText(error));
      return focusFirstError(form);
    }
  });

  return { title: t('reset.title'), content: form };
}
