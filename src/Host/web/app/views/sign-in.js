// Sign-in: username or email and password. A locked or disabled account gets the same answer as a wrong password.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { post, get } from '../api.js';
import { session } from '../session.js';
import { field, formMessage, onSubmit, showFormMessage, valueOf, problemText, setFieldError, focusFirstError } from '../forms.js';

export async function render({ navigate, home }) {
  const form = h('form', { class: 'card narrow', novalidate: true },
    formMessage(),
    field({ name: 'login', label: t('signIn.login'), autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
    field({ name: 'password', label: t('signIn.password'), type: 'password', autocomplete: 'current-password', required: true }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('signIn.submit')),
      h('a', { href: '/forgot-password' }, t('signIn.forgot'))));

  onSubmit(form, async () => {
    const login = valueOf(form, 'login').trim();
    const password = valueOf(form, 'password');
    if (!login) setFieldError(form, 'login', t('signIn.loginRequired'));
    if (!password) setFieldError(form, 'password', t('signIn.passwordRequired'));
    if (!login || !password) return focusFirstError(form);
    try {
      const answer = await post('/api/auth/login', { login, password }, { anonymous: true });
      session.set(answer);
      if (answer.mustChangePassword) return navigate('/change-password', { replace: true });
      session.me = await get('/api/me');
      return navigate(home(session.me), { replace: true });
    } catch (error) {
      const text = error.code === 'invalid_credentials' ? t('signIn.invalid') : problemText(error);
      showFormMessage(form, 'error', text);
      form.querySelector('[name="password"]').value = '';
      return focusFirstError(form);
    }
  });

  return { title: t('signIn.title'), content: form };
}
