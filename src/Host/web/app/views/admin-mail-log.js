// Mail log: every delivery attempt, newest first, with the server's own words when it failed.
import { h, time } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { get, query } from '../api.js';
import { field, onSubmit } from '../forms.js';
import { pageFrom, pager } from '../paging.js';
import { table, badge, orNone } from '../tables.js';
import { filterForm, filtersFrom, readFilters } from '../filters.js';

const PAGE_SIZE = 25;
const RESULTS = ['sent', 'failed'];
const NAMES = ['status', 'to'];

const address = (filters, page) => `/admin/mail-log${query({ ...filters, page: page > 1 ? page : undefined })}`;

function row(entry) {
  return [
    time(entry.at),
    tOr(`deliveryChannel.${entry.channel}`, entry.channel),
    entry.to,
    h('a', { href: `/admin/mail-log/${entry.id}` }, entry.subject || t('mailLog.noSubject')),
    badge(entry.status),
    orNone(entry.error),
    String(entry.attempt ?? ''),
  ];
}

export async function render({ query: params, navigate }) {
  const filters = filtersFrom(params, NAMES);
  if (!RESULTS.includes(filters.status)) filters.status = '';
  const page = pageFrom(params);
  const answer = await get(`/api/notifications/mail-log${query({ ...filters, page, pageSize: PAGE_SIZE })}`);

  const form = filterForm({
    id: 'mail-log-filter-heading',
    heading: t('mailLog.filterHeading'),
    fields: [
      field({ name: 'status', type: 'select', label: t('mailLog.result'), options: [['', t('filters.all')], ...RESULTS.map((s) => [s, tOr(`status.${s}`, s)])], value: filters.status }),
      field({ name: 'to', type: 'search', label: t('mailLog.recipient'), hint: t('mailLog.recipientHint'), value: filters.to, autocomplete: 'off', spellcheck: 'false' }),
    ],
  });
  onSubmit(form, () => navigate(address(readFilters(form, NAMES), 1)));

  const filtered = Boolean(filters.status || filters.to);
  const results = h('section', { class: 'card', 'aria-labelledby': 'mail-log-heading' },
    h('h2', { id: 'mail-log-heading' }, t('mailLog.heading')),
    table({
      labelledBy: 'mail-log-heading',
      columns: [t('mailLog.col.time'), t('mailLog.col.channel'), t('mailLog.col.to'), t('mailLog.col.subject'), t('mailLog.col.result'), { label: t('mailLog.col.error'), wrap: true }, t('mailLog.col.attempt')],
      rows: answer.items.map(row),
      empty: filtered ? t('mailLog.emptyFiltered') : t('mailLog.empty'),
    }),
    answer.total > 0 ? pager({ page, pageSize: PAGE_SIZE, total: answer.total, countKey: 'mailLog.count', onPage: (p) => navigate(address(filters, p)) }) : null);

  const links = h('p', {}, h('a', { href: '/admin/tasks' }, t('mailLog.tasksLink')));
  return { title: t('mailLog.title'), content: h('div', { class: 'stack' }, form, results, links) };
}
