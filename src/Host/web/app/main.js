// The pages' entry point: the client-side router, the navigation for the signed-in role, and what happens when the
// session ends. Every page is an ES module under app/views exporting render(ctx) → { title, content }.
import { h, clear } from './dom.js';
import { t, loadCatalogue } from './i18n.js';
import { get, post, onSessionProblems, ApiError } from './api.js';
import { problemText } from './forms.js';
import { session, isAdmin, isAuditor } from './session.js';

const GUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

// access: 'anonymous' (anyone), 'signed-in', 'admin', 'auditor'. Keep in step with Pages.Routes in the host.
const routes = [
  ['/', 'sign-in', 'anonymous'],
  ['/forgot-password', 'forgot-password', 'anonymous'],
  ['/verify-code', 'verify-code', 'anonymous'],
  ['/reset-password', 'reset-password', 'anonymous'],
  ['/change-password', 'change-password', 'signed-in'],
  ['/account', 'account', 'signed-in'],
  ['/admin/accounts', 'admin-accounts', 'admin'],
  ['/admin/accounts/new', 'admin-account-new', 'admin'],
  [`/admin/accounts/${GUID}`, 'admin-account', 'admin'],
  ['/admin/tasks', 'admin-tasks', 'admin'],
  ['/admin/mail-log', 'admin-mail-log', 'admin'],
  [`/admin/mail-log/${GUID}`, 'admin-message', 'admin'],
  ['/admin/settings', 'admin-settings', 'admin'],
  ['/audit/resets', 'audit-resets', 'auditor'],
  ['/audit/events', 'audit-events', 'auditor'],
].map(([pattern, view, access]) => ({ pattern: new RegExp(`^${pattern}$`), view, access }));

const main = () => document.getElementById('main');
let flash = null;
let rendering = 0;

/** A message shown once at the top of the next page (e.g. "your session ended"). */
export function setFlash(kind, text) {
  flash = { kind, text };
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  return render();
}

/** Where a person lands after signing in. */
export function home(account) {
  if (isAdmin(account)) return '/admin/accounts';
  if (isAuditor(account)) return '/audit/resets';
  return '/account';
}

export async function currentAccount() {
  if (!session.get()) return null;
  if (!session.me) session.me = await get('/api/me');
  return session.me;
}

export async function signOut(message) {
  try {
    if (session.get()) await post('/api/auth/logout');
  } catch {
    // The session may already be over; signing out here is what matters.
  }
  session.clear();
  setFlash('info', message ?? t('flash.signedOut'));
  await navigate('/');
}

function link(path, text, current) {
  return h('a', { href: path, 'aria-current': current ? 'page' : undefined }, text);
}

function renderNav(account, path) {
  const nav = document.getElementById('nav');
  clear(nav);
  if (!account) return;
  const items = [];
  if (account.mustChangePassword) {
    items.push(['/change-password', t('nav.changePassword')]);
  } else {
    if (isAdmin(account)) {
      items.push(['/admin/accounts', t('nav.accounts')], ['/admin/tasks', t('nav.tasks')], ['/admin/mail-log', t('nav.mailLog')], ['/admin/settings', t('nav.settings')]);
    }
    if (isAuditor(account)) items.push(['/audit/resets', t('nav.resets')], ['/audit/events', t('nav.events')]);
    items.push(['/account', t('nav.account')]);
  }
  const list = h('ul', {}, items.map(([p, text]) => h('li', {}, link(p, text, path === p || (p !== '/' && path.startsWith(`${p}/`))))));
  list.append(h('li', {}, h('button', { type: 'button', class: 'link-button', onclick: () => signOut() }, t('nav.signOut'))));
  nav.append(h('span', { class: 'who' }, t('nav.signedInAs', { name: account.username })), list);
}

function find(path) {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1) };
  }
  return null;
}

export async function render() {
  const ticket = ++rendering;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const found = find(path);
  const target = main();
  target.setAttribute('aria-busy', 'true');

  let account = null;
  try {
    account = await currentAccount();
  } catch {
    account = null;
  }
  if (ticket !== rendering) return undefined; // a newer navigation won while the account was read
  const current = session.get();

  // Signed-in pages need a session; a forced password change comes before anything else.
  if (found && found.route.access !== 'anonymous' && !current) {
    setFlash('info', t('flash.signInFirst'));
    return navigate('/', { replace: true });
  }
  if (current && account?.mustChangePassword && path !== '/change-password' && found?.route.access !== 'anonymous') {
    return navigate('/change-password', { replace: true });
  }
  if (path === '/' && current && account) return navigate(account.mustChangePassword ? '/change-password' : home(account), { replace: true });

  let page;
  if (!found) page = { title: t('notFound.title'), content: h('p', {}, t('notFound.text'), ' ', h('a', { href: '/' }, t('notFound.home'))) };
  else if ((found.route.access === 'admin' && !isAdmin(account)) || (found.route.access === 'auditor' && !isAuditor(account))) {
    page = { title: t('forbidden.title'), content: h('p', {}, t('forbidden.text'), ' ', h('a', { href: home(account) }, t('forbidden.back'))) };
  } else {
    try {
      const module = await import(`./views/${found.route.view}.js`);
      page = await module.render({ params: found.params, query: new URLSearchParams(location.search), account, navigate, setFlash, signOut, home });
    } catch (error) {
      if (session.get() === null && current) return undefined; // the session ended while loading: main.js moved on
      page = { title: t('error.title'), content: h('p', { role: 'alert' }, error instanceof ApiError ? problemText(error) : t('error.unexpected', { status: '—' })) };
    }
  }
  if (ticket !== rendering) return undefined; // a newer navigation won

  renderNav(session.get() ? account : null, path);
  const heading = h('h1', { id: 'page-title', tabindex: '-1' }, page.title);
  const parts = [heading];
  if (flash) {
    parts.push(h('div', { class: `flash ${flash.kind}`, role: flash.kind === 'error' ? 'alert' : 'status' }, flash.text));
    flash = null;
  }
  parts.push(page.content);
  target.replaceChildren(...parts);
  target.removeAttribute('aria-busy');
  document.title = `${page.title} – ${t('app.name')}`;
  heading.focus({ preventScroll: false });
  return undefined;
}

// Links to our own pages change the page without a reload; everything else (downloads, /docs) is left alone.
document.addEventListener('click', (event) => {
  const anchor = event.target.closest?.('a[href]');
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (anchor.target || anchor.hasAttribute('download') || anchor.getAttribute('href').startsWith('#')) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api') || url.pathname.startsWith('/docs') || !find(url.pathname.replace(/\/+$/, '') || '/')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => render());

onSessionProblems(
  () => {
    setFlash('info', t('flash.sessionEnded'));
    navigate('/', { replace: true });
  },
  () => navigate('/change-password', { replace: true }),
);

await loadCatalogue();
document.getElementById('skip-link').textContent = t('app.skip');
document.getElementById('brand').textContent = t('app.name');
document.getElementById('nav').setAttribute('aria-label', t('nav.label'));
render();
