// Accounts: search by username, email or phone; a page of results with their status; the way to create one.
import { h } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { get, query } from '../api.js';
import { field, onSubmit } from '../forms.js';
import { pageFrom, pager } from '../paging.js';
import { table, badge, orNone } from '../tables.js';
import { filterForm, readFilters } from '../filters.js';

const PAGE_SIZE = 20;

const address = ({ keyword, page }) => `/admin/accounts${query({ keyword, page: page > 1 ? page : undefined })}`;

function row(account) {
  return [
    h('a', { href: `/admin/accounts/${account.id}` }, account.username),
    orNone(account.email),
    orNone(account.phone),
    (account.roles ?? []).map((r) => tOr(`role.${r}`, r)).join(', '),
    badge(account.status),
  ];
}

export async function render({ query: params, navigate }) {
  const keyword = (params.get('keyword') ?? '').trim();
  const page = pageFrom(params);
  const answer = await get(`/api/accounts${query({ keyword, page, pageSize: PAGE_SIZE })}`);

  const form = filterForm({
    id: 'accounts-search-heading',
    heading: t('adminAccounts.searchHeading'),
    submit: t('adminAccounts.searchSubmit'),
    fields: field({ name: 'keyword', type: 'search', label: t('adminAccounts.search'), hint: t('adminAccounts.searchHint'), value: keyword, autocomplete: 'off', spellcheck: 'false' }),
  });
  onSubmit(form, () => navigate(address({ ...readFilters(form, ['keyword']), page: 1 })));

  const results = h('section', { class: 'card', 'aria-labelledby': 'accounts-results-heading' },
    h('h2', { id: 'accounts-results-heading' }, keyword ? t('adminAccounts.resultsFor', { keyword }) : t('adminAccounts.results')),
    table({
      labelledBy: 'accounts-results-heading',
      columns: [t('adminAccounts.col.username'), t('adminAccounts.col.email'), t('adminAccounts.col.phone'), t('adminAccounts.col.roles'), t('adminAccounts.col.status')],
      rows: answer.items.map(row),
      rowHeader: true,
      empty: t('adminAccounts.empty'),
    }),
    answer.total > 0 ? pager({ page, pageSize: PAGE_SIZE, total: answer.total, countKey: 'adminAccounts.count', onPage: (p) => navigate(address({ keyword, page: p })) }) : null);

  const create = h('p', {}, h('a', { class: 'button primary', href: '/admin/accounts/new' }, t('adminAccounts.create')));
  return { title: t('adminAccounts.title'), content: h('div', { class: 'stack' }, create, form, results) };
}
