// Forms that people can use: labelled fields, errors next to the field they concern, one submission at a time with
// visible progress, and what was typed kept when the service says no.
import { h, uid, clear } from './dom.js';
import { t, tOr } from './i18n.js';

/**
 * A labelled input. options: name, label, type, autocomplete, required, hint, inputmode, value, plus any attribute.
 * The hint and the error are linked to the input with aria-describedby.
 */
export function field(options) {
  const { name, label, hint, type = 'text', value, ...attributes } = options;
  const id = uid(name);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = h(type === 'textarea' ? 'textarea' : type === 'select' ? 'select' : 'input', {
    id,
    name,
    type: type === 'textarea' || type === 'select' ? undefined : type,
    'aria-describedby': [hint ? hintId : null, errorId].filter(Boolean).join(' '),
    ...attributes,
    options: undefined,
  });
  if (type === 'select') for (const [optionValue, text] of options.options) input.append(h('option', { value: optionValue }, text));
  if (value !== undefined && value !== null) input.value = value;
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    input,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** A checkbox with its label after it. */
export function checkbox({ name, label, checked, hint, ...attributes }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : undefined;
  return h('div', { class: 'field check', 'data-field': name },
    h('input', { id, name, type: 'checkbox', checked, 'aria-describedby': [hintId, `${id}-error`].filter(Boolean).join(' '), ...attributes }),
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

/** A group of radio buttons or checkboxes in a fieldset with a legend. items: [[value, label, hint?]]. */
export function choices({ name, legend, items, type = 'radio', selected = [] }) {
  const errorId = uid(`${name}-error`);
  return h('fieldset', { class: 'choices', 'data-field': name, 'aria-describedby': errorId },
    h('legend', {}, legend),
    items.map(([value, label, hint]) => {
      const id = uid(`${name}-${value}`);
      return h('div', { class: 'choice' },
        h('input', { id, name, type, value, checked: selected.includes(value), 'aria-describedby': hint ? `${id}-hint` : undefined }),
        h('label', { for: id }, label),
        hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
    }),
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** A show-password switch for the password inputs of a form. */
export function showPasswords(form) {
  const id = uid('show-passwords');
  const box = h('input', {
    id,
    type: 'checkbox',
    onchange: () => {
      for (const input of form.querySelectorAll('input[data-password]')) input.type = box.checked ? 'text' : 'password';
    },
  });
  return h('div', { class: 'field check' }, box, h('label', { for: id }, t('form.showPasswords')));
}

export const input = (form, name) => form.querySelector(`[name="${name}"]`);
export const valueOf = (form, name) => input(form, name)?.value ?? '';

/** An error message under one field (or the fieldset of a group). */
export function setFieldError(form, name, message) {
  const container = form.querySelector(`[data-field="${name}"]`);
  if (!container) return false;
  const error = container.querySelector('.field-error');
  error.textContent = message;
  error.hidden = false;
  for (const control of container.querySelectorAll('input, select, textarea')) control.setAttribute('aria-invalid', 'true');
  return true;
}

export function clearErrors(form) {
  for (const error of form.querySelectorAll('.field-error')) {
    error.textContent = '';
    error.hidden = true;
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-message');
  if (summary) clear(summary).hidden = true;
}

/** The message area at the top of a form; role=alert for errors so that it is read out at once. */
export function formMessage() {
  return h('div', { class: 'form-message', hidden: true, tabindex: '-1' });
}

export function showFormMessage(form, kind, ...content) {
  const box = form.querySelector('.form-message');
  box.className = `form-message ${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.replaceChildren(...content.flat().map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  box.hidden = false;
  return box;
}

/** The text for a problem the service answered: a known code in the catalogue, else its title. */
export function problemText(error) {
  if (error.code === 'network') return t('error.network');
  if (error.status === 429) return error.retryAfter ? t('error.rateLimitedFor', { seconds: error.retryAfter }) : t('error.rateLimited');
  if (error.status === 403 && error.code === 'forbidden') return t('error.forbidden');
  const known = tOr(`problem.${error.code}`, null);
  if (known) return known;
  const detail = error.problem?.detail;
  const title = error.problem?.title;
  return [title, detail].filter(Boolean).join(' ') || t('error.unexpected', { status: error.status });
}

/**
 * Shows a password_policy problem's violations next to the new-password field (mismatch next to the confirmation),
 * with the service's advice on a guessable password: why, and how to choose a better one.
 */
export function showViolations(form, { violations, feedback }, newName = 'newPassword', confirmName = 'confirmPassword') {
  const advice = [feedback?.warning, ...(Array.isArray(feedback?.suggestions) ? feedback.suggestions : [])]
    .filter((hint) => hint && typeof hint.code === 'string')
    .map((hint) => tOr(`advice.${hint.code}`, String(hint.message ?? '')));
  const toNew = [...violations.filter((v) => v !== 'mismatch').map((v) => tOr(`violation.${v}`, v)), ...advice];
  if (toNew.length) setFieldError(form, newName, toNew.join(' '));
  if (violations.includes('mismatch')) setFieldError(form, confirmName, t('violation.mismatch'));
}

/**
 * Runs one submission at a time: the submit button is disabled and says it is working, the form is aria-busy, and
 * a second click (or Enter) while it runs does nothing. Fields keep what was typed.
 */
export function onSubmit(form, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.dataset.busy === 'true') return;
    form.dataset.busy = 'true';
    form.setAttribute('aria-busy', 'true');
    const buttons = [...form.querySelectorAll('button[type="submit"]')];
    const labels = buttons.map((b) => b.textContent);
    for (const button of buttons) {
      button.disabled = true;
      button.textContent = t('form.working');
    }
    clearErrors(form);
    try {
      await handler(event);
    } finally {
      form.dataset.busy = 'false';
      form.removeAttribute('aria-busy');
      buttons.forEach((button, i) => {
        button.textContent = labels[i];
        // A form whose secret is used up or expired stays locked (data-locked); any other is usable again.
        button.disabled = form.dataset.locked === 'true';
      });
      // Disabling the focused button sent focus to the page: give it back, so keyboard users keep their place.
      if (document.activeElement === document.body || document.activeElement === null) (buttons[0] ?? form).focus();
    }
  });
  return form;
}

/** Focuses the first field with an error, else the form's message. */
export function focusFirstError(form) {
  const target = form.querySelector('[aria-invalid="true"]') ?? form.querySelector('.form-message:not([hidden])');
  target?.focus();
}
