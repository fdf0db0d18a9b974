// Scheduled tasks: every notification waiting, running, done or failed, newest first, with the way to run a done or
// failed one again. The list reloads in place (filter, Refresh, Redo) so that focus stays where the person is.
import { h, time, when } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { get, query } from '../api.js';
import { field, formMessage, onSubmit, showFormMessage, problemText, input } from '../forms.js';
import { pageFrom, pager, countText } from '../paging.js';
import { table, badge, orNone } from '../tables.js';
import { filterForm } from '../filters.js';
import { redoButton, canRedo } from '../redo.js';

const PAGE_SIZE = 20;
const STATUSES = ['waiting', 'executing', 'done', 'failed'];

const address = ({ status, page }) => `/admin/tasks${query({ status, page: page > 1 ? page : undefined })}`;

function announce(text) {
  const announcer = document.getElementById('announcer');
  if (!announcer) return;
  announcer.textContent = '';
  setTimeout(() => { announcer.textContent = text; }, 50);
}

export async function render({ query: params }) {
  const status = params.get('status') ?? '';
  const state = { status: STATUSES.includes(status) ? status : '', page: pageFrom(params) };

  const refresh = h('button', { type: 'button' }, t('tasks.refresh'));
  const form = filterForm({
    id: 'tasks-filter-heading',
    heading: t('tasks.filterHeading'),
    fields: field({ name: 'status', type: 'select', label: t('tasks.status'), options: [['', t('filters.all')], ...STATUSES.map((s) => [s, tOr(`status.${s}`, s)])], value: state.status }),
    extra: refresh,
  });

  const heading = h('h2', { id: 'tasks-heading', tabindex: '-1' }, t('tasks.heading'));
  const list = h('div', {});
  const results = h('section', { class: 'card', 'aria-labelledby': 'tasks-heading' }, heading, formMessage(), list);

  let loading = 0;
  async function load() {
    const ticket = ++loading;
    results.setAttribute('aria-busy', 'true');
    try {
      const answer = await get(`/api/notifications/scheduled${query({ status: state.status, page: state.page, pageSize: PAGE_SIZE })}`);
      if (ticket !== loading) return null;
      list.replaceChildren(
        table({
          labelledBy: 'tasks-heading',
          columns: [t('tasks.col.kind'), t('tasks.col.to'), t('tasks.col.scheduledFor'), t('tasks.col.status'), t('tasks.col.attempts'), { label: t('tasks.col.lastError'), wrap: true }, t('tasks.col.actions')],
          rows: answer.items.map(row),
          empty: state.status ? t('tasks.emptyFiltered') : t('tasks.empty'),
        }),
        answer.total > 0 ? pager({ page: state.page, pageSize: PAGE_SIZE, total: answer.total, countKey: 'tasks.count', onPage: showPage }) : '');
      return answer;
    } finally {
      if (ticket === loading) results.removeAttribute('aria-busy');
    }
  }

  function row(task) {
    const kind = tOr(`kind.${task.kind}`, task.kind);
    const names = { kind, to: task.to, when: when(task.scheduledFor) };
    return [
      kind,
      task.to,
      time(task.scheduledFor),
      badge(task.status),
      String(task.attempts ?? 0),
      orNone(task.lastError),
      h('div', { class: 'row-actions' },
        h('a', { href: `/admin/mail-log/${task.id}`, 'aria-label': t('tasks.detailsLabel', names) }, t('tasks.details')),
        canRedo(task) ? redoButton({ id: task.id, label: t('tasks.redoLabel', names), messageHost: results, after: load }) : null),
    ];
  }

  /** Loads the list for the current state; a failure is said in the results' message. */
  async function reload() {
    try {
      return await load();
    } catch (error) {
      showFormMessage(results, 'error', problemText(error));
      return null;
    }
  }

  async function showPage(page) {
    state.page = page;
    history.pushState(null, '', address(state));
    await reload();
    heading.focus();
  }

  async function applyFilter() {
    state.status = input(form, 'status').value;
    state.page = 1;
    history.replaceState(null, '', address(state));
    const answer = await reload();
    if (answer) announce(answer.total ? countText('tasks.count', answer.total) : t(state.status ? 'tasks.emptyFiltered' : 'tasks.empty'));
  }

  input(form, 'status').addEventListener('change', applyFilter);
  onSubmit(form, applyFilter);
  refresh.addEventListener('click', async () => {
    const answer = await reload();
    if (answer) showFormMessage(results, 'info', t('tasks.refreshed', { time: new Date().toLocaleTimeString() }));
  });

  await load();
  return { title: t('tasks.title'), content: h('div', { class: 'stack' }, form, results) };
}
