// One account: what state it is in, its contact details and roles, unlocking, and a password reset by an
// administrator (asked to confirm first, because a temporary password takes effect at once).
import { h, time } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, patch, del } from '../api.js';
import { hasRole } from '../session.js';
import { field, checkbox, choices, formMessage, onSubmit, showFormMessage, valueOf, input, setFieldError, problemText, focusFirstError } from '../forms.js';
import { contactFields, roleChoices, checkedValues, showAccountProblem } from '../account-fields.js';
import { askToConfirm } from '../confirm.js';
import { badge, orNone, yesNo } from '../tables.js';

const MAX_DELAY = 604800;

function notFound() {
  return {
    title: t('notFound.title'),
    content: h('div', { class: 'card' }, h('p', {}, t('adminAccount.notFound')), h('p', {}, h('a', { href: '/admin/accounts' }, t('adminAccount.back')))),
  };
}

function factsList(account) {
  const facts = [
    [t('adminAccount.username'), account.username],
    [t('adminAccount.status'), badge(account.status)],
    account.lockedUntil ? [t('adminAccount.lockedUntil'), time(account.lockedUntil)] : null,
    [t('adminAccount.mustChange'), yesNo(account.mustChangePassword)],
    [t('adminAccount.created'), time(account.createdAt)],
    [t('adminAccount.passwordChanged'), account.passwordChangedAt ? time(account.passwordChangedAt) : t('adminAccount.never')],
  ].filter(Boolean);
  return h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, orNone(value))]));
}

/** The facts and, while the account is locked, the Unlock button; refresh() re-reads the account. */
function statusSection(state) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'account-status-heading' },
    h('h2', { id: 'account-status-heading' }, t('adminAccount.statusHeading')),
    formMessage());
  const body = h('div', {});
  section.append(body);

  const draw = () => {
    const unlock = state.account.status === 'locked'
      ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: (event) => doUnlock(event.currentTarget) }, t('adminAccount.unlock')))
      : null;
    body.replaceChildren(factsList(state.account), unlock ?? '');
  };

  async function doUnlock(button) {
    button.disabled = true;
    try {
      await post(`/api/accounts/${state.account.id}/unlock`);
      await state.refresh();
      showFormMessage(section, 'success', t('adminAccount.unlocked')).focus();
    } catch (error) {
      button.disabled = false;
      showFormMessage(section, 'error', problemText(error)).focus();
    }
  }

  state.listeners.push(draw);
  draw();
  return section;
}

/** Whether the account has an authenticator or recovery codes (never the key or the codes), and removing them. */
async function recoveryMethodsSection(state) {
  const id = state.account.id;
  const section = h('section', { class: 'card', 'aria-labelledby': 'methods-heading' },
    h('h2', { id: 'methods-heading' }, t('adminAccount.methods')),
    formMessage());
  const body = h('div', {});
  section.append(body);

  const draw = async () => {
    const [authenticator, codes] = await Promise.all([get(`/api/accounts/${id}/authenticator`), get(`/api/accounts/${id}/recovery-codes`)]);
    const remove = (path, label, done) => h('button', {
      type: 'button',
      class: 'danger',
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          await del(path);
          await draw();
          showFormMessage(section, 'success', done).focus();
        } catch (error) {
          showFormMessage(section, 'error', problemText(error)).focus();
        }
      },
    }, label);
    body.replaceChildren(
      h('dl', { class: 'facts' },
        h('dt', {}, t('adminAccount.authenticator')), h('dd', {}, yesNo(authenticator.enrolled)),
        h('dt', {}, t('adminAccount.codesLeft')), h('dd', {}, String(codes.remaining))),
      h('div', { class: 'actions' },
        authenticator.enrolled ? remove(`/api/accounts/${id}/authenticator`, t('adminAccount.removeAuthenticator'), t('adminAccount.authenticatorRemoved')) : null,
        codes.remaining > 0 ? remove(`/api/accounts/${id}/recovery-codes`, t('adminAccount.removeCodes'), t('adminAccount.codesRemoved')) : null));
  };

  await draw();
  return section;
}

function editSection(state, actor) {
  const account = state.account;
  const rootAccount = hasRole(account, 'root');
  const form = h('form', { novalidate: true },
    formMessage(),
    rootAccount && !hasRole(actor, 'root') ? h('p', { class: 'warning' }, t('adminAccount.rootOnly')) : null,
    contactFields({ email: account.email, phone: account.phone }),
    roleChoices(actor, account.roles ?? [], { showRoot: rootAccount }),
    checkbox({ name: 'disabled', label: t('adminAccount.disabled'), hint: t('adminAccount.disabledHint'), checked: account.status === 'disabled' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('adminAccount.save'))));

  onSubmit(form, async () => {
    const roles = checkedValues(form, 'roles');
    if (!roles.length) {
      setFieldError(form, 'roles', t('accountFields.rolesRequired'));
      return focusFirstError(form);
    }
    try {
      const saved = await patch(`/api/accounts/${account.id}`, {
        email: valueOf(form, 'email').trim(),
        phone: valueOf(form, 'phone').trim(),
        roles,
        disabled: input(form, 'disabled').checked,
      });
      state.set(saved);
      input(form, 'email').value = saved.email ?? '';
      input(form, 'phone').value = saved.phone ?? '';
      showFormMessage(form, 'success', t('adminAccount.saved'));
      return undefined;
    } catch (error) {
      showAccountProblem(form, error);
      return focusFirstError(form);
    }
  });

  return h('section', { class: 'card', 'aria-labelledby': 'account-edit-heading' },
    h('h2', { id: 'account-edit-heading' }, t('adminAccount.editHeading')),
    form);
}

// Empty: the service applies its own default delay (the recovery settings), so none is sent.
function readDelay(form) {
  const raw = valueOf(form, 'delaySeconds').trim();
  if (raw === '') return undefined;
  const n = /^\d+$/.test(raw) ? Number.parseInt(raw, 10) : NaN;
  if (Number.isNaN(n) || n > MAX_DELAY) {
    setFieldError(form, 'delaySeconds', t('adminAccount.reset.delayInvalid', { max: MAX_DELAY }));
    return null;
  }
  return n;
}

function resetSection(state, defaultDelay) {
  const account = state.account;
  const actions = h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, t('adminAccount.reset.submit')));
  const form = h('form', { novalidate: true },
    formMessage(),
    h('p', {}, account.email ? t('adminAccount.reset.intro', { email: account.email }) : t('adminAccount.reset.noEmail')),
    choices({
      name: 'method',
      legend: t('adminAccount.reset.method'),
      items: [
        ['temporary-password', t('adminAccount.reset.temporary'), t('adminAccount.reset.temporaryHint')],
        ['link', t('adminAccount.reset.link'), t('adminAccount.reset.linkHint')],
      ],
      selected: ['link'],
    }),
    field({ name: 'delaySeconds', label: t('adminAccount.reset.delay'), hint: t('adminAccount.reset.delayHint'), type: 'number', inputmode: 'numeric', min: '0', max: String(MAX_DELAY), step: '1', value: defaultDelay ?? '' }),
    actions);

  const controls = () => [...form.querySelectorAll('input')];
  const lock = (locked) => controls().forEach((c) => { c.disabled = locked; });

  async function send(method, delaySeconds) {
    try {
      const answer = await post(`/api/accounts/${account.id}/password-reset`, { method, delaySeconds });
      lock(false);
      showFormMessage(form, 'success', t('adminAccount.reset.done', { username: account.username }), ' ',
        h('a', { href: `/admin/mail-log/${answer.taskId}` }, t('adminAccount.reset.viewTask'))).focus();
      await state.refresh().catch(() => {});
    } catch (error) {
      lock(false);
      showFormMessage(form, 'error', problemText(error)).focus();
    }
  }

  onSubmit(form, () => {
    const method = form.querySelector('input[name="method"]:checked')?.value;
    const delaySeconds = readDelay(form);
    if (!method) setFieldError(form, 'method', t('adminAccount.reset.methodRequired'));
    if (!method || delaySeconds === null) return focusFirstError(form);
    const when = delaySeconds === undefined ? t('adminAccount.reset.whenDefault') : delaySeconds === 0 ? t('adminAccount.reset.whenNow') : t('adminAccount.reset.whenLater', { seconds: delaySeconds });
    lock(true);
    askToConfirm(actions, {
      question: `${t(method === 'link' ? 'adminAccount.reset.confirmLink' : 'adminAccount.reset.confirmTemporary', { username: account.username })} ${when}`,
      confirm: t('adminAccount.reset.confirm'),
      danger: true,
      onConfirm: () => send(method, delaySeconds),
      onCancel: () => lock(false),
    });
    return undefined;
  });

  return h('section', { class: 'card', 'aria-labelledby': 'account-reset-heading' },
    h('h2', { id: 'account-reset-heading' }, t('adminAccount.reset.heading')),
    form);
}

export async function render({ params, account: actor }) {
  const id = params[0];
  let account;
  try {
    account = await get(`/api/accounts/${id}`);
  } catch (error) {
    if (error.status === 404) return notFound();
    throw error;
  }
  const recovery = await get('/api/settings/recovery').catch(() => null);

  const state = {
    account,
    listeners: [],
    set(value) {
      state.account = value;
      state.listeners.forEach((draw) => draw());
    },
    async refresh() {
      state.set(await get(`/api/accounts/${id}`));
    },
  };

  const content = h('div', { class: 'stack' },
    h('p', {}, h('a', { href: '/admin/accounts' }, t('adminAccount.back'))),
    statusSection(state),
    await recoveryMethodsSection(state),
    editSection(state, actor),
    resetSection(state, recovery?.adminResetDelaySeconds));
  return { title: t('adminAccount.title', { username: account.username }), content };
}
