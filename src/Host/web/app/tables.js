// Tables of the list pages: column headers with scope, a scrolling region that keyboards can reach, and an empty
// state in words instead of an empty table. Every cell is text or a node built with h().
import { h, uid } from './dom.js';
import { t, tOr } from './i18n.js';

/**
 * columns: [label or {label, wrap}]; rows: [[cell, ...]]; caption (shown) or labelledBy (id of a heading) names the
 * region. rowHeader: the first cell of each row is its header. empty: the text shown instead of a table without rows.
 */
export function table({ caption, labelledBy, columns, rows, empty, rowHeader = false }) {
  if (!rows.length && empty) return h('p', { class: 'empty' }, empty);
  const cols = columns.map((c) => (typeof c === 'string' ? { label: c } : c));
  const captionId = caption ? uid('caption') : undefined;
  const cell = (value, i) => {
    const props = { class: cols[i]?.wrap ? 'wrap' : undefined };
    return rowHeader && i === 0 ? h('th', { scope: 'row', ...props }, value) : h('td', props, value);
  };
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': labelledBy ?? captionId },
    h('table', {},
      caption ? h('caption', { id: captionId }, caption) : null,
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map(cell))))));
}

const BADGE_CLASSES = new Set(['failed', 'sent', 'done', 'waiting', 'executing', 'active', 'locked', 'disabled', 'completed', 'pending', 'expired']);

/** A status in words, coloured by the known status classes only (a value from the API never becomes a class). */
export const badge = (status) => h('span', { class: BADGE_CLASSES.has(status) ? `badge ${status}` : 'badge' }, tOr(`status.${status}`, status ?? ''));

/** The value, or the dash the pages show for "none". */
export const orNone = (value) => (value === null || value === undefined || value === '' ? t('common.none') : value);

/** Yes or No. */
export const yesNo = (value) => t(value ? 'common.yes' : 'common.no');
