// The bearer token lives in this tab's sessionStorage only: it survives a reload, is gone when the tab closes or the
// person signs out, and never goes into localStorage, an address or a log (docs/adr/0014).
const KEY = 'recovery.session';
const FLOW = 'recovery.flow';

let me = null;

export const session = {
  get() {
    try {
      const value = JSON.parse(sessionStorage.getItem(KEY));
      return value && typeof value.token === 'string' ? value : null;
    } catch {
      return null;
    }
  },
  set(value) {
    me = null;
    sessionStorage.setItem(KEY, JSON.stringify({ token: value.token, expiresAt: value.expiresAt, mustChangePassword: Boolean(value.mustChangePassword) }));
  },
  clear() {
    me = null;
    sessionStorage.removeItem(KEY);
  },
  get me() {
    return me;
  },
  set me(value) {
    me = value;
  },
};

/** State of an anonymous recovery in progress (request id, reset token), kept out of the address bar. */
export const flow = {
  get() {
    try {
      return JSON.parse(sessionStorage.getItem(FLOW)) ?? {};
    } catch {
      return {};
    }
  },
  set(value) {
    sessionStorage.setItem(FLOW, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(FLOW);
  },
};

export const hasRole = (account, ...roles) => Boolean(account?.roles?.some((r) => roles.includes(r)));
export const isAdmin = (account) => hasRole(account, 'root', 'admin');
export const isAuditor = (account) => hasRole(account, 'root', 'admin', 'auditor');
