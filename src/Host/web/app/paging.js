// Paging for the list pages: the page the address asks for, and the Previous / Next row with "Page X of Y (N things)".
import { h } from './dom.js';
import { t, tOr } from './i18n.js';

/** The page number in the address (?page=), 1 when missing or not a positive whole number. */
export function pageFrom(params) {
  const raw = params.get('page') ?? '';
  const n = /^\d+$/.test(raw) ? Number.parseInt(raw, 10) : 1;
  return n > 0 ? n : 1;
}

export const pageCount = (total, pageSize) => Math.max(1, Math.ceil(total / pageSize));

/** "1 account" / "12 accounts" from the keys `${base}.one` and `${base}.other` (with {n}). */
export function countText(base, n) {
  return n === 1 ? tOr(`${base}.one`, t(`${base}.other`, { n }), { n }) : t(`${base}.other`, { n });
}

/** The Previous / Next buttons around "Page X of Y (N things)" (only the text when all fits on one page); onPage(n) shows page n. */
export function pager({ page, pageSize, total, onPage, countKey = 'paging.items' }) {
  const pages = pageCount(total, pageSize);
  const status = h('span', {}, t('paging.status', { page, pages, count: countText(countKey, total) }));
  if (pages === 1 && page === 1) return h('p', { class: 'pager' }, status);
  return h('nav', { class: 'pager', 'aria-label': t('paging.label') },
    h('button', { type: 'button', disabled: page <= 1, onclick: () => onPage(Math.min(page - 1, pages)) }, t('paging.previous')),
    status,
    h('button', { type: 'button', disabled: page >= pages, onclick: () => onPage(page + 1) }, t('paging.next')));
}
