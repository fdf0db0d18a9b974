// The account page's own recovery methods: an authenticator app and recovery codes (the Authenticator and
// RecoveryCodes modules). Each change asks for the current password; the key and the codes are shown once.
import { h } from './dom.js';
import { t } from './i18n.js';
import { get, post } from './api.js';
import { field, formMessage, onSubmit, showFormMessage, valueOf, problemText, setFieldError, focusFirstError } from './forms.js';

/**
 * A form that posts the current password to the path of the button pressed; on success it calls that button's done
 * with the answer. buttons: [{ label, path, done, kind }].
 */
function guarded(passwordLabel, buttons) {
  const form = h('form', { novalidate: true },
    formMessage(),
    field({ name: 'password', label: passwordLabel, type: 'password', autocomplete: 'current-password', required: true }),
    h('div', { class: 'actions' }, buttons.map((b, i) => h('button', { type: 'submit', class: b.kind ?? 'primary', value: String(i) }, b.label))));
  onSubmit(form, async (event) => {
    const chosen = buttons[Number(event.submitter?.value ?? 0)] ?? buttons[0];
    const currentPassword = valueOf(form, 'password');
    if (!currentPassword) {
      setFieldError(form, 'password', t('password.currentRequired'));
      return focusFirstError(form);
    }
    try {
      return await chosen.done(await post(chosen.path, { currentPassword }));
    } catch (error) {
      if (error.code === 'invalid_current_password') setFieldError(form, 'password', problemText(error));
      else showFormMessage(form, 'error', problemText(error));
      return focusFirstError(form);
    }
  });
  return form;
}

export async function authenticatorSection() {
  const section = h('section', { class: 'card', 'aria-labelledby': 'authenticator-heading' });
  const status = h('p', { role: 'status', tabindex: '-1' });

  const show = async (message) => {
    const state = await get('/api/me/authenticator');
    status.textContent = message ?? t(state.enrolled ? 'account.authenticator.enrolled' : 'account.authenticator.none');
    const action = guarded(t('account.authenticator.password'), [state.enrolled
      ? { label: t('account.authenticator.remove'), path: '/api/me/authenticator/remove', done: () => show(t('account.authenticator.removed')), kind: 'danger' }
      : { label: t('account.authenticator.start'), path: '/api/me/authenticator', done: (started) => confirmStep(started) }]);
    section.replaceChildren(h('h2', { id: 'authenticator-heading' }, t('account.authenticator')), status, action);
    if (message) status.focus();
  };

  const confirmStep = (started) => {
    const form = h('form', { novalidate: true },
      formMessage(),
      h('p', {}, t('account.authenticator.scan')),
      // The QR code is the host's SVG, shown as an image: never inserted as markup.
      h('img', { class: 'qr', src: `data:image/svg+xml;base64,${btoa(started.qrCodeSvg)}`, alt: t('account.authenticator.qr'), width: '200', height: '200' }),
      h('dl', { class: 'facts' }, h('dt', {}, t('account.authenticator.key')), h('dd', { class: 'secret' }, started.key)),
      field({ name: 'code', label: t('account.authenticator.code'), autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]*', maxlength: '6', required: true, spellcheck: 'false', class: 'code-input' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('account.authenticator.confirm'))));
    onSubmit(form, async () => {
      const code = valueOf(form, 'code').replace(/\s+/g, '');
      if (!/^[0-9]{6}$/.test(code)) {
        setFieldError(form, 'code', t('code.digitsOnly'));
        return focusFirstError(form);
      }
      try {
        await post('/api/me/authenticator/confirm', { code });
        return show(t('account.authenticator.done'));
      } catch (error) {
        setFieldError(form, 'code', problemText(error));
        return focusFirstError(form);
      }
    });
    section.replaceChildren(h('h2', { id: 'authenticator-heading' }, t('account.authenticator')), form);
    form.querySelector('input[name="code"]').focus();
  };

  await show();
  return section;
}

export async function recoveryCodesSection() {
  const section = h('section', { class: 'card', 'aria-labelledby': 'codes-heading' });
  const status = h('p', { role: 'status', tabindex: '-1' });

  const show = async (message, codes) => {
    const state = await get('/api/me/recovery-codes');
    status.textContent = message ?? (state.remaining > 0 ? t('account.codes.left', { count: state.remaining }) : t('account.codes.none'));
    const list = codes ? h('ol', { class: 'codes secret' }, codes.map((c) => h('li', {}, c))) : null;
    section.replaceChildren(
      h('h2', { id: 'codes-heading' }, t('account.codes')),
      status,
      list,
      guarded(t('account.codes.password'), [
        { label: t('account.codes.generate'), path: '/api/me/recovery-codes', done: (issued) => show(t('account.codes.shown'), issued.codes) },
        ...(state.remaining > 0 ? [{ label: t('account.codes.remove'), path: '/api/me/recovery-codes/remove', done: () => show(t('account.codes.removed')), kind: 'danger' }] : []),
      ]));
    if (message) status.focus();
  };

  await show();
  return section;
}
