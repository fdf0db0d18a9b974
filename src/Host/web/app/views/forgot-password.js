// Forgot password: the login, and the channel in words when more than one is on. The answer is the same whether
// or not an account matches (or has an email address or phone).
import { h } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { get, post } from '../api.js';
import { flow } from '../session.js';
import { field, choices, formMessage, onSubmit, showFormMessage, valueOf, problemText, setFieldError, focusFirstError } from '../forms.js';

export async function render({ navigate }) {
  const { channels } = await get('/api/recovery/channels', { anonymous: true });
  if (!channels.length) {
    return { title: t('forgot.title'), content: h('p', { class: 'card narrow' }, t('forgot.noChannels')) };
  }

  const form = h('form', { class: 'card narrow', novalidate: true },
    formMessage(),
    h('p', {}, t('forgot.intro')),
    field({ name: 'login', label: t('forgot.login'), autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
    channels.length > 1
      ? choices({ name: 'channel', legend: t('forgot.channelLegend'), items: channels.map((c) => [c, tOr(`channel.choice.${c}`, c)]), selected: [channels[0]] })
      : null,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('forgot.submit')),
      h('a', { href: '/' }, t('forgot.back'))));

  onSubmit(form, async () => {
    const login = valueOf(form, 'login').trim();
    if (!login) {
      setFieldError(form, 'login', t('forgot.loginRequired'));
      return focusFirstError(form);
    }
    const channel = channels.length > 1 ? form.querySelector('input[name="channel"]:checked')?.value : channels[0];
    try {
      const answer = await post('/api/recovery/requests', { login, channel }, { anonymous: true });
      // Link channels end here; code and proof channels (a code sent, an authenticator, a recovery code) go on to the code page.
      if (answer.channel.endsWith('-link')) {
        const confirmation = h('div', { class: 'card narrow', role: 'status', tabindex: '-1' },
          h('p', {}, tOr(`forgot.sent.${answer.channel}`, t('forgot.sent.generic'))),
          h('p', {}, t('forgot.sentHelp')),
          h('p', {}, h('a', { href: '/' }, t('forgot.back'))));
        form.replaceWith(confirmation);
        confirmation.focus();
        return undefined;
      }
      flow.set({ requestId: answer.requestId, channel: answer.channel });
      return navigate('/verify-code');
    } catch (error) {
      showFormMessage(form, 'error', problemText(error));
      return focusFirstError(form);
    }
  });

  return { title: t('forgot.title'), content: form };
}
