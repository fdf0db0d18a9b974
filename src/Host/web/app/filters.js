// The filter forms of the list pages: a card with a heading, a row of fields and a Show button. Values go into the
// page's address (so that a filtered list can be bookmarked and shared) and from there into the API call.
import { h } from './dom.js';
import { t } from './i18n.js';
import { formMessage, input } from './forms.js';

/** A filter form: fields in a row, then the submit button and any extra buttons. */
export function filterForm({ id, heading, fields, submit = t('filters.show'), extra = [] }) {
  return h('form', { class: 'card', role: 'search', novalidate: true, 'aria-labelledby': id },
    h('h2', { id }, heading),
    formMessage(),
    h('div', { class: 'filters' }, fields, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, submit), extra)));
}

/** The trimmed values of the named fields. */
export function readFilters(form, names) {
  return Object.fromEntries(names.map((name) => [name, (input(form, name)?.value ?? '').trim()]));
}

/** The named values from the address. */
export function filtersFrom(params, names) {
  return Object.fromEntries(names.map((name) => [name, (params.get(name) ?? '').trim()]));
}

export const isGuid = (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** A datetime-local value (the person's own time zone) as ISO UTC, or null when it is not a time. */
export function toIso(local) {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The audit filters as the API wants them: accountId a GUID, from/to in UTC. Answers { values, problems } where
 * problems maps a field name to its message.
 */
export function auditFilters(raw) {
  const values = { ...raw };
  const problems = {};
  if (raw.accountId && !isGuid(raw.accountId)) problems.accountId = t('filters.accountIdInvalid');
  for (const name of ['from', 'to']) {
    if (!raw[name]) continue;
    const iso = toIso(raw[name]);
    if (iso) values[name] = iso;
    else problems[name] = t('filters.timeInvalid');
  }
  if (!problems.from && !problems.to && values.from && values.to && values.from > values.to) problems.to = t('filters.toBeforeFrom');
  return { values, problems };
}

/** A <datalist> of suggestions for a text input: [[value, label?]]. */
export function datalist(id, items) {
  return h('datalist', { id }, items.map(([value, label]) => h('option', { value, label })));
}
