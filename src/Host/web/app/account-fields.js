// The fields an administrator fills in for an account (new and edit pages): contact details, roles, and where the
// service's answers about them go.
import { t, tOr } from './i18n.js';
import { hasRole } from './session.js';
import { field, choices, setFieldError, showFormMessage, problemText } from './forms.js';

const ROLES = ['user', 'auditor', 'admin'];

/** Email and phone inputs with their hints. */
export function contactFields({ email, phone } = {}) {
  return [
    field({ name: 'email', label: t('accountFields.email'), type: 'email', autocomplete: 'off', spellcheck: 'false', hint: t('accountFields.emailHint'), value: email }),
    field({ name: 'phone', label: t('accountFields.phone'), type: 'tel', autocomplete: 'off', hint: t('accountFields.phoneHint'), value: phone }),
  ];
}

/** The roles as checkboxes; root only for a root actor (or when the account already has it, so that it shows). */
export function roleChoices(actor, selected, { showRoot = false } = {}) {
  const roles = hasRole(actor, 'root') || showRoot ? [...ROLES, 'root'] : ROLES;
  return choices({
    name: 'roles',
    legend: t('accountFields.roles'),
    type: 'checkbox',
    items: roles.map((r) => [r, tOr(`role.${r}`, r), tOr(`accountFields.roleHint.${r}`, undefined)]),
    selected,
  });
}

export const checkedValues = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);

/** Puts a refusal about the account's fields next to the field it concerns; answers false when it is not one of those. */
export function showAccountProblem(form, error) {
  const fieldOf = { invalid_username: 'username', invalid_email: 'email', invalid_phone: 'phone', invalid_roles: 'roles' };
  if (fieldOf[error.code]) return setFieldError(form, fieldOf[error.code], tOr(`problem.${error.code}`, problemText(error)));
  if (error.code === 'duplicate') return setFieldError(form, form.querySelector('[name="username"]') ? 'username' : 'email', t('problem.duplicate'));
  showFormMessage(form, 'error', problemText(error));
  return true;
}
