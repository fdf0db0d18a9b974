// The forced change after an administrator's temporary password (mustChangePassword), and nothing else until done.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { changePasswordForm } from '../change-password-form.js';

export async function render({ account, navigate, setFlash, signOut, home }) {
  const forced = Boolean(account?.mustChangePassword);
  const form = await changePasswordForm({ navigate, setFlash });
  return {
    title: t(forced ? 'change.forcedTitle' : 'change.title'),
    content: h('div', { class: 'card narrow' },
      h('p', {}, t(forced ? 'change.forcedIntro' : 'change.intro')),
      form,
      forced
        ? h('p', {}, h('button', { type: 'button', class: 'link-button', onclick: () => signOut() }, t('nav.signOut')))
        : h('p', {}, h('a', { href: home(account) }, t('change.back')))),
  };
}
