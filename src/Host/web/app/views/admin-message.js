// One message (a notification task): to whom, what it said (secrets masked by the service), every delivery attempt,
// and running it again when it is done or failed.
import { h, time } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { get } from '../api.js';
import { formMessage } from '../forms.js';
import { table, badge, orNone } from '../tables.js';
import { redoButton, canRedo } from '../redo.js';

function notFound() {
  return {
    title: t('notFound.title'),
    content: h('div', { class: 'card' }, h('p', {}, t('message.notFound')), h('p', {}, h('a', { href: '/admin/mail-log' }, t('message.back')))),
  };
}

function factsList(m) {
  const facts = [
    [t('message.kind'), tOr(`kind.${m.kind}`, m.kind)],
    [t('message.channel'), tOr(`deliveryChannel.${m.channel}`, m.channel)],
    [t('message.to'), m.to],
    m.accountId ? [t('message.account'), h('a', { href: `/admin/accounts/${m.accountId}` }, t('message.accountLink'))] : null,
    [t('message.subject'), m.subject],
    [t('message.status'), badge(m.status)],
    [t('message.attempts'), String(m.attempts ?? 0)],
    [t('message.requested'), time(m.requestedAt)],
    [t('message.scheduledFor'), time(m.scheduledFor)],
    [t('message.completed'), time(m.completedAt)],
    [t('message.lastError'), m.lastError],
  ].filter(Boolean);
  return h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, orNone(value))]));
}

function historyTable(m) {
  return table({
    labelledBy: 'message-history-heading',
    columns: [t('message.col.attempt'), t('message.col.channel'), t('message.col.result'), { label: t('message.col.error'), wrap: true }, t('message.col.time')],
    rows: (m.history ?? []).map((a) => [String(a.attempt), tOr(`deliveryChannel.${a.channel}`, a.channel), badge(a.status), orNone(a.error), time(a.at)]),
    empty: t('message.noHistory'),
  });
}

export async function render({ params }) {
  const id = params[0];
  const load = () => get(`/api/notifications/${id}`);
  let message;
  try {
    message = await load();
  } catch (error) {
    if (error.status === 404) return notFound();
    throw error;
  }

  const details = h('div', {});
  const history = h('div', {});
  const summary = h('section', { class: 'card', 'aria-labelledby': 'message-facts-heading' },
    h('h2', { id: 'message-facts-heading' }, t('message.factsHeading')),
    formMessage(),
    details);

  const draw = (m) => {
    details.replaceChildren(factsList(m),
      canRedo(m) ? h('div', { class: 'actions' }, redoButton({ id, label: t('message.redoLabel', { to: m.to }), messageHost: summary, after: async () => draw(await load()) })) : '');
    history.replaceChildren(historyTable(m));
  };
  draw(message);

  const body = h('section', { class: 'card', 'aria-labelledby': 'message-body-heading' },
    h('h2', { id: 'message-body-heading' }, t('message.bodyHeading')),
    h('p', { class: 'hint' }, t('message.masked')),
    h('pre', { class: 'body' }, message.body ?? ''));

  const attempts = h('section', { class: 'card', 'aria-labelledby': 'message-history-heading' },
    h('h2', { id: 'message-history-heading' }, t('message.historyHeading')),
    history);

  const links = h('p', { class: 'actions' },
    h('a', { href: '/admin/mail-log' }, t('message.back')),
    h('a', { href: '/admin/tasks' }, t('message.tasks')));

  return { title: t('message.title'), content: h('div', { class: 'stack' }, summary, body, attempts, links) };
}
