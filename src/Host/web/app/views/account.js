// My account: who I am, change password, my recovery methods, my sessions, sign out everywhere.
import { h, time } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { get, del } from '../api.js';
import { session } from '../session.js';
import { changePasswordForm } from '../change-password-form.js';
import { problemText } from '../forms.js';
import { authenticatorSection, recoveryCodesSection } from '../recovery-methods.js';

export async function render({ navigate, setFlash }) {
  const [me, sessions] = await Promise.all([get('/api/me'), get('/api/me/sessions')]);
  const dash = t('common.none');

  const profile = h('section', { class: 'card', 'aria-labelledby': 'profile-heading' },
    h('h2', { id: 'profile-heading' }, t('account.profile')),
    h('dl', { class: 'facts' },
      h('dt', {}, t('account.username')), h('dd', {}, me.username),
      h('dt', {}, t('account.email')), h('dd', {}, me.email || dash),
      h('dt', {}, t('account.phone')), h('dd', {}, me.phone || dash),
      h('dt', {}, t('account.roles')), h('dd', {}, me.roles.map((r) => tOr(`role.${r}`, r)).join(', '))),
    h('p', { class: 'hint' }, t('account.contactHint')));

  const change = h('section', { class: 'card' }, await changePasswordForm({ navigate, setFlash }));

  const endAll = h('button', {
    type: 'button',
    class: 'danger',
    onclick: async () => {
      endAll.disabled = true;
      try {
        await del('/api/me/sessions');
      } catch (error) {
        if (error.status !== 401) {
          endAll.disabled = false;
          failure.textContent = problemText(error);
          failure.hidden = false;
          failure.focus();
          return;
        }
      }
      session.clear();
      setFlash('success', t('account.signedOutEverywhere'));
      navigate('/', { replace: true });
    },
  }, t('account.signOutEverywhere'));
  const failure = h('p', { class: 'form-message error', role: 'alert', tabindex: '-1', hidden: true });

  const sessionsSection = h('section', { class: 'card', 'aria-labelledby': 'sessions-heading' },
    h('h2', { id: 'sessions-heading' }, t('account.sessions')),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'sessions-heading' },
      h('table', {},
        h('thead', {}, h('tr', {}, [t('account.session.started'), t('account.session.expires'), t('account.session.address'), t('account.session.browser'), h('span', { class: 'visually-hidden' }, t('account.session.current'))].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, sessions.items.map((s) => h('tr', {},
          h('td', {}, time(s.createdAt)), h('td', {}, time(s.expiresAt)), h('td', {}, s.clientIp || dash), h('td', { class: 'wrap' }, s.userAgent || dash),
          h('td', {}, s.current ? h('span', { class: 'badge' }, t('account.session.current')) : '')))))),
    failure,
    h('p', {}, endAll));

  const [authenticator, codes] = await Promise.all([authenticatorSection(), recoveryCodesSection()]);
  return { title: t('account.title'), content: h('div', { class: 'stack' }, profile, change, authenticator, codes, sessionsSection) };
}
