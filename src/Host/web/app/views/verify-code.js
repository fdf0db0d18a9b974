// Code entry for the code channels: numeric keyboard on phones, the browser's one-time-code autofill, a clear word
// for a wrong, expired or used-up code; then on to the new password.
import { h } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { post } from '../api.js';
import { flow } from '../session.js';
import { field, formMessage, onSubmit, showFormMessage, valueOf, problemText, setFieldError, focusFirstError } from '../forms.js';

export async function render({ navigate }) {
  const pending = flow.get();
  // Recovery codes have letters; every other code is digits.
  const lettersToo = pending.channel === 'recovery-code';
  if (!pending.requestId) {
    return { title: t('code.title'), content: h('div', { class: 'card narrow' }, h('p', {}, t('code.none')), h('p', {}, h('a', { href: '/forgot-password' }, t('code.newRequest')))) };
  }

  const form = h('form', { class: 'card narrow', novalidate: true },
    formMessage(),
    h('p', {}, tOr(`code.intro.${pending.channel}`, t('code.intro.generic'))),
    lettersToo
      ? field({ name: 'code', label: t('code.label'), autocomplete: 'off', autocapitalize: 'characters', maxlength: '16', required: true, spellcheck: 'false', class: 'code-input' })
      : field({ name: 'code', label: t('code.label'), autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]*', maxlength: '10', required: true, spellcheck: 'false', class: 'code-input' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('code.submit')),
      h('a', { href: '/forgot-password' }, t('code.newRequest'))));

  onSubmit(form, async () => {
    const code = valueOf(form, 'code').replace(/\s+/g, '');
    if (!(lettersToo ? /^[0-9A-Za-z-]+$/ : /^[0-9]+$/).test(code)) {
      setFieldError(form, 'code', t(lettersToo ? 'code.lettersAndDigits' : 'code.digitsOnly'));
      return focusFirstError(form);
    }
    try {
      // A proof typed at once may meet a request still being recorded: wait a moment and send it again (nothing is counted).
      let answer;
      for (let attempt = 0; ; attempt += 1) {
        try {
          answer = await post('/api/recovery/otp/verify', { requestId: pending.requestId, code }, { anonymous: true });
          break;
        } catch (error) {
          if (error.code !== 'request_pending' || attempt >= 10) throw error;
          await new Promise((resolve) => { setTimeout(resolve, 500); });
        }
      }
      const { resetToken } = answer;
      flow.set({ resetToken });
      return navigate('/reset-password', { replace: true });
    } catch (error) {
      if (error.code === 'invalid_code') {
        setFieldError(form, 'code', t('code.invalid'));
      } else if (error.code === 'expired' || error.code === 'too_many_attempts') {
        flow.clear();
        form.dataset.locked = 'true';
        form.querySelector('input[name="code"]').disabled = true;
        showFormMessage(form, 'error', t(error.code === 'expired' ? 'code.expired' : 'code.tooMany'), ' ', h('a', { href: '/forgot-password' }, t('code.newRequest')));
      } else {
        showFormMessage(form, 'error', problemText(error));
      }
      return focusFirstError(form);
    }
  });

  return { title: t('code.title'), content: form };
}
