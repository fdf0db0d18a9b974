// Reset history: every recovery request with who started it, through which channel and how it ended; filters in the
// address, and the same rows as a CSV download.
import { h, time } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { api, get, query } from '../api.js';
import { field, formMessage, onSubmit, showFormMessage, setFieldError, problemText } from '../forms.js';
import { pageFrom, pager } from '../paging.js';
import { table, badge, orNone } from '../tables.js';
import { filterForm, filtersFrom, readFilters, auditFilters, datalist } from '../filters.js';

const PAGE_SIZE = 25;
const NAMES = ['accountId', 'from', 'to', 'channel', 'outcome'];
const CHANNELS = ['email-link', 'email-otp', 'sms-otp', 'temporary-password', 'link', 'operator'];
const OUTCOMES = ['pending', 'completed', 'expired', 'superseded', 'failed'];

const address = (filters, page) => `/audit/resets${query({ ...filters, page: page > 1 ? page : undefined })}`;

function initiatedBy(item) {
  const who = tOr(`initiatedBy.${item.initiatedBy}`, item.initiatedBy);
  return item.operator ? t('auditResets.operatorName', { who, name: item.operator }) : who;
}

function row(item) {
  return [
    time(item.requestedAt),
    orNone(item.username),
    tOr(`channel.name.${item.channel}`, item.channel),
    initiatedBy(item),
    badge(item.outcome),
    orNone(time(item.completedAt)),
    String(item.otpFailures ?? 0),
    orNone(item.clientIp),
    orNone(item.actorId),
  ];
}

function filterFields(filters) {
  const listId = 'reset-channels';
  const channel = field({ name: 'channel', label: t('auditResets.channel'), hint: t('auditResets.channelHint'), value: filters.channel, list: listId, autocomplete: 'off', spellcheck: 'false' });
  channel.append(datalist(listId, CHANNELS.map((c) => [c, tOr(`channel.name.${c}`, c)])));
  return [
    field({ name: 'accountId', label: t('filters.accountId'), hint: t('filters.accountIdHint'), value: filters.accountId, autocomplete: 'off', spellcheck: 'false' }),
    field({ name: 'from', type: 'datetime-local', label: t('filters.from'), value: filters.from }),
    field({ name: 'to', type: 'datetime-local', label: t('filters.to'), value: filters.to }),
    channel,
    field({ name: 'outcome', type: 'select', label: t('auditResets.outcome'), options: [['', t('filters.all')], ...OUTCOMES.map((o) => [o, tOr(`status.${o}`, o)])], value: filters.outcome }),
  ];
}

/** Fetches the CSV with the session's token and hands it to the browser as a file. */
async function download(button, apiFilters, host) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  const label = button.textContent;
  button.textContent = t('form.working');
  try {
    const response = await api('GET', `/api/audit/resets.csv${query(apiFilters)}`, undefined, { response: true });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: t('auditResets.fileName'), hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    showFormMessage(host, 'success', t('auditResets.downloaded'));
  } catch (error) {
    showFormMessage(host, 'error', problemText(error));
  } finally {
    button.removeAttribute('aria-disabled');
    button.textContent = label;
  }
}

export async function render({ query: params, navigate }) {
  const filters = filtersFrom(params, NAMES);
  if (!OUTCOMES.includes(filters.outcome)) filters.outcome = '';
  const page = pageFrom(params);

  const form = filterForm({ id: 'resets-filter-heading', heading: t('filters.heading'), fields: filterFields(filters) });
  onSubmit(form, () => {
    const chosen = readFilters(form, NAMES);
    const { problems } = auditFilters(chosen);
    for (const [name, message] of Object.entries(problems)) setFieldError(form, name, message);
    if (Object.keys(problems).length) return form.querySelector('[aria-invalid="true"]')?.focus();
    return navigate(address(chosen, 1));
  });

  const { values, problems } = auditFilters(filters);
  const heading = h('h2', { id: 'resets-heading' }, t('auditResets.heading'));
  const results = h('section', { class: 'card', 'aria-labelledby': 'resets-heading' }, heading, formMessage());

  if (Object.keys(problems).length) {
    for (const [name, message] of Object.entries(problems)) setFieldError(form, name, message);
    results.append(h('p', { class: 'empty' }, t('filters.fixFirst')));
  } else {
    const answer = await get(`/api/audit/resets${query({ ...values, page, pageSize: PAGE_SIZE })}`);
    const csv = h('button', { type: 'button', onclick: () => download(csv, values, results) }, t('auditResets.download'));
    results.append(
      table({
        labelledBy: 'resets-heading',
        columns: [t('auditResets.col.requestedAt'), t('auditResets.col.username'), t('auditResets.col.channel'), t('auditResets.col.initiatedBy'), t('auditResets.col.outcome'),
          t('auditResets.col.completedAt'), t('auditResets.col.otpFailures'), t('auditResets.col.clientIp'), { label: t('auditResets.col.actorId'), wrap: true }],
        rows: answer.items.map(row),
        empty: t('auditResets.empty'),
      }),
      answer.total > 0 ? pager({ page, pageSize: PAGE_SIZE, total: answer.total, countKey: 'auditResets.count', onPage: (p) => navigate(address(filters, p)) }) : '',
      answer.total > 0 ? h('div', { class: 'actions' }, csv, h('span', { class: 'hint' }, t('auditResets.downloadHint'))) : '');
  }

  return { title: t('auditResets.title'), content: h('div', { class: 'stack' }, form, results) };
}
