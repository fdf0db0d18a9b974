// Security log: every security event (sign-ins, password changes, resets, lockouts, settings changes), newest first.
import { h, time } from '../dom.js';
import { t } from '../i18n.js';
import { get, query } from '../api.js';
import { field, onSubmit, setFieldError } from '../forms.js';
import { pageFrom, pager } from '../paging.js';
import { table, orNone } from '../tables.js';
import { filterForm, filtersFrom, readFilters, auditFilters, datalist } from '../filters.js';

const PAGE_SIZE = 25;
const NAMES = ['accountId', 'type', 'from', 'to'];
// The event types the service records (snake_case of the event names); a suggestion list, not a limit.
const TYPES = [
  'signed_in', 'sign_in_failed', 'unknown_login_sign_in_failed', 'signed_out', 'sessions_ended', 'account_locked', 'account_unlocked',
  'account_registered', 'account_details_changed', 'password_changed', 'password_rehashed', 'reset_requested', 'reset_link_issued',
  'reset_code_issued', 'temporary_password_issued', 'reset_completed', 'reset_expired', 'reset_superseded', 'reset_undeliverable',
  'code_verified', 'code_verification_failed', 'code_failure_limit_reached', 'password_policy_changed', 'recovery_settings_changed',
  'mail_settings_changed', 'sms_settings_changed',
];

const address = (filters, page) => `/audit/events${query({ ...filters, page: page > 1 ? page : undefined })}`;

function filterFields(filters) {
  const listId = 'event-types';
  const type = field({ name: 'type', label: t('auditEvents.type'), hint: t('auditEvents.typeHint'), value: filters.type, list: listId, autocomplete: 'off', spellcheck: 'false' });
  type.append(datalist(listId, TYPES.map((name) => [name])));
  return [
    field({ name: 'accountId', label: t('filters.accountId'), hint: t('filters.accountIdHint'), value: filters.accountId, autocomplete: 'off', spellcheck: 'false' }),
    type,
    field({ name: 'from', type: 'datetime-local', label: t('filters.from'), value: filters.from }),
    field({ name: 'to', type: 'datetime-local', label: t('filters.to'), value: filters.to }),
  ];
}

export async function render({ query: params, navigate }) {
  const filters = filtersFrom(params, NAMES);
  const page = pageFrom(params);

  const form = filterForm({ id: 'events-filter-heading', heading: t('filters.heading'), fields: filterFields(filters) });
  onSubmit(form, () => {
    const chosen = readFilters(form, NAMES);
    const { problems } = auditFilters(chosen);
    for (const [name, message] of Object.entries(problems)) setFieldError(form, name, message);
    if (Object.keys(problems).length) return form.querySelector('[aria-invalid="true"]')?.focus();
    return navigate(address(chosen, 1));
  });

  const { values, problems } = auditFilters(filters);
  const results = h('section', { class: 'card', 'aria-labelledby': 'events-heading' }, h('h2', { id: 'events-heading' }, t('auditEvents.heading')));

  if (Object.keys(problems).length) {
    for (const [name, message] of Object.entries(problems)) setFieldError(form, name, message);
    results.append(h('p', { class: 'empty' }, t('filters.fixFirst')));
  } else {
    const answer = await get(`/api/audit/events${query({ ...values, page, pageSize: PAGE_SIZE })}`);
    results.append(
      table({
        labelledBy: 'events-heading',
        columns: [t('auditEvents.col.time'), t('auditEvents.col.type'), { label: t('auditEvents.col.summary'), wrap: true }, { label: t('auditEvents.col.accountId'), wrap: true }, { label: t('auditEvents.col.actorId'), wrap: true }],
        rows: answer.items.map((e) => [time(e.at), e.type, e.summary, orNone(e.accountId), orNone(e.actorId)]),
        empty: t('auditEvents.empty'),
      }),
      answer.total > 0 ? pager({ page, pageSize: PAGE_SIZE, total: answer.total, countKey: 'auditEvents.count', onPage: (p) => navigate(address(filters, p)) }) : '');
  }

  return { title: t('auditEvents.title'), content: h('div', { class: 'stack' }, form, results) };
}
