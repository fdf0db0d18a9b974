// The one way the pages talk to the service: its public HTTP API, with the bearer token of this tab's session.
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.title || String(status));
    this.status = status;
    this.problem = problem ?? {};
    this.code = this.problem.code ?? (status === 0 ? 'network' : `http_${status}`);
    this.violations = Array.isArray(this.problem.violations) ? this.problem.violations : [];
    // zxcvbn's advice on a guessable password: {warning: {code, message}, suggestions: [{code, message}]}.
    this.feedback = this.problem.feedback ?? null;
    this.retryAfter = retryAfter;
  }
}

const handlers = { unauthorized: () => {}, passwordChangeRequired: () => {} };

/** What happens on a 401 of a signed-in call, and on 403 password_change_required (set by main.js). */
export function onSessionProblems(unauthorized, passwordChangeRequired) {
  handlers.unauthorized = unauthorized;
  handlers.passwordChangeRequired = passwordChangeRequired;
}

async function readProblem(response) {
  try {
    const type = response.headers.get('content-type') ?? '';
    return type.includes('json') ? await response.json() : {};
  } catch {
    return {};
  }
}

/**
 * Calls the API. Answers the parsed JSON (or null for an empty answer); throws ApiError with the problem's code.
 * options.anonymous: send no token; options.response: answer the Response itself (downloads).
 */
export async function api(method, path, body, options = {}) {
  const current = options.anonymous ? null : session.get();
  const headers = { Accept: 'application/json, application/problem+json' };
  if (current) headers.Authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, { code: 'network' });
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    const error = new ApiError(response.status, problem, Number(response.headers.get('retry-after')) || undefined);
    if (response.status === 401 && current) {
      session.clear();
      handlers.unauthorized();
    } else if (response.status === 403 && error.code === 'password_change_required') {
      handlers.passwordChangeRequired();
    }
    throw error;
  }
  if (options.response) return response;
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body ?? {}, options);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
