// Settings: the password policy, self-service recovery, outgoing mail (SMTP) and text messages (Vonage). Each part
// is its own form with its own message; after saving, the stored values are read back and shown. Passwords and
// secrets are write-only: the page only says whether one is stored.
import { h, uid } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { get, put, post } from '../api.js';
import { field, checkbox, choices, formMessage, onSubmit, showFormMessage, valueOf, input, setFieldError, problemText, focusFirstError } from '../forms.js';

// ---- small helpers shared by the four forms ----

function section(id, heading, ...children) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, heading), ...children);
}

function intField(name, label, value, { min, max, hint } = {}) {
  return field({ name, label, hint, type: 'number', inputmode: 'numeric', min: String(min), max: String(max), step: '1', value, required: true });
}

/** A whole number within [min, max], or null with the error next to the field. */
function readInt(form, name, min, max) {
  const raw = valueOf(form, name).trim();
  const n = /^-?\d+$/.test(raw) ? Number.parseInt(raw, 10) : NaN;
  if (Number.isNaN(n) || n < min || n > max) {
    setFieldError(form, name, t('settings.numberRange', { min, max }));
    return null;
  }
  return n;
}

const isChecked = (form, name) => Boolean(input(form, name)?.checked);
const text = (form, name) => valueOf(form, name).trim();
const submitRow = (label) => h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, label));

/** Shows stored values in a form: checkboxes from booleans (or from a list holding their value), inputs as text. */
function fill(form, values) {
  for (const [name, value] of Object.entries(values)) {
    for (const control of form.querySelectorAll(`[name="${name}"]`)) {
      if (control.type === 'checkbox') control.checked = Array.isArray(value) ? value.includes(control.value) : Boolean(value);
      else if (control.type !== 'password') control.value = value ?? '';
    }
  }
}

/**
 * The common submission: local problems stop it; then PUT, read back, show. apply(stored) updates the form.
 * The service's refusals (invalid_request, invalid_mail_settings, invalid_sms_settings) carry their reasons in detail.
 */
async function save(form, path, body, apply) {
  if (!body || form.querySelector('[aria-invalid="true"]')) return focusFirstError(form);
  try {
    await put(path, body);
  } catch (error) {
    showFormMessage(form, 'error', problemText(error));
    return focusFirstError(form);
  }
  try {
    apply(await get(path));
    showFormMessage(form, 'success', t('settings.saved'));
  } catch (error) {
    showFormMessage(form, 'error', t('settings.savedNotReread'), ' ', problemText(error));
  }
  return undefined;
}

/**
 * A write-only secret: an empty password input, a line saying whether one is stored, and a checkbox to remove the
 * stored one. value(form) answers what to send: undefined (unchanged), "" (remove) or the new value.
 */
function secretField({ name, label, hint, storedText, notStoredText, removeLabel, bothError }) {
  const stateId = uid(`${name}-state`);
  const stateLine = h('p', { class: 'secret-state', id: stateId });
  const remove = checkbox({ name: `${name}Remove`, label: removeLabel });
  const secretInput = field({ name, label, hint, type: 'password', autocomplete: 'new-password', value: '' });
  const control = secretInput.querySelector('input');
  control.setAttribute('aria-describedby', `${stateId} ${control.getAttribute('aria-describedby')}`);
  const element = h('div', { class: 'secret' }, secretInput, stateLine, remove);
  return {
    element,
    show(stored) {
      stateLine.textContent = stored ? storedText : notStoredText;
      remove.hidden = !stored;
      const box = remove.querySelector('input');
      box.checked = false;
      control.value = '';
    },
    value(form) {
      const typed = valueOf(form, name);
      const removing = isChecked(form, `${name}Remove`);
      if (typed && removing) {
        setFieldError(form, `${name}Remove`, bothError);
        return undefined;
      }
      if (typed) return typed;
      return removing ? '' : undefined;
    },
  };
}

// ---- (a) password policy ----

const POLICY_RULES = ['requireUppercase', 'requireLowercase', 'requireDigit', 'requireSpecial', 'disallowUsername', 'disallowCommon'];

function policySection(policy) {
  const form = h('form', { novalidate: true },
    formMessage(),
    intField('minLength', t('settings.policy.minLength'), policy.minLength, { min: 1, max: 4096 }),
    intField('maxLength', t('settings.policy.maxLength'), policy.maxLength, { min: 1, max: 4096, hint: t('settings.policy.maxLengthHint') }),
    h('fieldset', { class: 'choices' },
      h('legend', {}, t('settings.policy.rulesLegend')),
      POLICY_RULES.map((name) => checkbox({ name, label: t(`settings.policy.${name}`), checked: policy[name] }))),
    intField('historyCount', t('settings.policy.historyCount'), policy.historyCount, { min: 0, max: 24, hint: t('settings.policy.historyCountHint') }),
    intField('lockoutThreshold', t('settings.policy.lockoutThreshold'), policy.lockoutThreshold, { min: 0, max: 1000, hint: t('settings.policy.lockoutThresholdHint') }),
    intField('lockoutMinutes', t('settings.policy.lockoutMinutes'), policy.lockoutMinutes, { min: 1, max: 525600 }),
    submitRow(t('settings.policy.submit')));

  onSubmit(form, () => {
    const body = {
      minLength: readInt(form, 'minLength', 1, 4096),
      maxLength: readInt(form, 'maxLength', 1, 4096),
      ...Object.fromEntries(POLICY_RULES.map((name) => [name, isChecked(form, name)])),
      historyCount: readInt(form, 'historyCount', 0, 24),
      lockoutThreshold: readInt(form, 'lockoutThreshold', 0, 1000),
      lockoutMinutes: readInt(form, 'lockoutMinutes', 1, 525600),
    };
    if (body.minLength !== null && body.maxLength !== null && body.maxLength < body.minLength) setFieldError(form, 'maxLength', t('settings.policy.maxBelowMin'));
    return save(form, '/api/settings/password-policy', body, (stored) => fill(form, stored));
  });

  return section('settings-policy-heading', t('settings.policy.heading'), h('p', { class: 'hint' }, t('settings.policy.intro')), form);
}

// ---- (b) recovery ----

function recoverySection(recovery, available) {
  const channels = [...new Set([...available, ...(recovery.channels ?? [])])];
  const form = h('form', { novalidate: true },
    formMessage(),
    choices({
      name: 'channels',
      legend: t('settings.recovery.channels'),
      type: 'checkbox',
      items: channels.map((c) => [c, tOr(`channel.name.${c}`, c), tOr(`channel.hint.${c}`, undefined)]),
      selected: recovery.channels ?? [],
    }),
    h('p', { class: 'hint' }, t('settings.recovery.noneHint')),
    intField('linkLifetimeMinutes', t('settings.recovery.linkLifetimeMinutes'), recovery.linkLifetimeMinutes, { min: 1, max: 10080 }),
    intField('otpLifetimeMinutes', t('settings.recovery.otpLifetimeMinutes'), recovery.otpLifetimeMinutes, { min: 1, max: 1440 }),
    intField('otpLength', t('settings.recovery.otpLength'), recovery.otpLength, { min: 4, max: 10 }),
    intField('otpMaxAttempts', t('settings.recovery.otpMaxAttempts'), recovery.otpMaxAttempts, { min: 1, max: 100 }),
    intField('adminResetDelaySeconds', t('settings.recovery.adminResetDelaySeconds'), recovery.adminResetDelaySeconds, { min: 0, max: 604800, hint: t('settings.recovery.adminResetDelayHint') }),
    submitRow(t('settings.recovery.submit')));

  onSubmit(form, () => save(form, '/api/settings/recovery', {
    channels: [...form.querySelectorAll('input[name="channels"]:checked')].map((i) => i.value),
    linkLifetimeMinutes: readInt(form, 'linkLifetimeMinutes', 1, 10080),
    otpLifetimeMinutes: readInt(form, 'otpLifetimeMinutes', 1, 1440),
    otpLength: readInt(form, 'otpLength', 4, 10),
    otpMaxAttempts: readInt(form, 'otpMaxAttempts', 1, 100),
    adminResetDelaySeconds: readInt(form, 'adminResetDelaySeconds', 0, 604800),
  }, (stored) => fill(form, stored)));

  return section('settings-recovery-heading', t('settings.recovery.heading'), form);
}

// ---- (c) mail ----

const SECURITY = ['Auto', 'StartTls', 'SslOnConnect', 'StartTlsWhenAvailable', 'None'];

function mailSection(mail) {
  const password = secretField({
    name: 'password',
    label: t('settings.mail.password'),
    hint: t('settings.mail.passwordHint'),
    storedText: t('settings.mail.passwordSet'),
    notStoredText: t('settings.mail.passwordNotSet'),
    removeLabel: t('settings.mail.passwordRemove'),
    bothError: t('settings.secretBoth'),
  });
  const form = h('form', { novalidate: true },
    formMessage(),
    checkbox({ name: 'enabled', label: t('settings.mail.enabled'), hint: t('settings.mail.enabledHint'), checked: mail.enabled }),
    field({ name: 'host', label: t('settings.mail.host'), hint: t('settings.mail.hostHint'), value: mail.host, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }),
    intField('port', t('settings.mail.port'), mail.port, { min: 1, max: 65535 }),
    field({ name: 'security', type: 'select', label: t('settings.mail.security'), options: SECURITY.map((s) => [s, tOr(`settings.mail.security.${s}`, s)]), value: mail.security }),
    checkbox({ name: 'authEnabled', label: t('settings.mail.authEnabled'), checked: mail.authEnabled }),
    field({ name: 'username', label: t('settings.mail.username'), value: mail.username, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }),
    password.element,
    field({ name: 'from', label: t('settings.mail.from'), hint: t('settings.mail.fromHint'), type: 'email', value: mail.from, autocomplete: 'off', spellcheck: 'false' }),
    submitRow(t('settings.mail.submit')));
  password.show(mail.passwordSet);

  const apply = (stored) => {
    fill(form, { enabled: stored.enabled, host: stored.host, port: stored.port, security: stored.security, authEnabled: stored.authEnabled, username: stored.username, from: stored.from });
    password.show(stored.passwordSet);
  };

  onSubmit(form, () => {
    const body = {
      enabled: isChecked(form, 'enabled'),
      host: text(form, 'host'),
      port: readInt(form, 'port', 1, 65535),
      security: valueOf(form, 'security'),
      authEnabled: isChecked(form, 'authEnabled'),
      username: text(form, 'username'),
      from: text(form, 'from'),
    };
    const secret = password.value(form);
    if (secret !== undefined) body.password = secret;
    return save(form, '/api/settings/mail', body, apply);
  });

  return form;
}

function testMailForm() {
  const form = h('form', { novalidate: true, 'aria-labelledby': 'settings-mail-test-heading' },
    h('h3', { id: 'settings-mail-test-heading' }, t('settings.mail.testHeading')),
    formMessage(),
    field({ name: 'to', label: t('settings.mail.testTo'), type: 'email', autocomplete: 'email', spellcheck: 'false', required: true, hint: t('settings.mail.testHint') }),
    submitRow(t('settings.mail.testSubmit')));

  onSubmit(form, async () => {
    const to = text(form, 'to');
    if (!to) {
      setFieldError(form, 'to', t('settings.mail.testToRequired'));
      return focusFirstError(form);
    }
    try {
      const answer = await post('/api/settings/mail/test', { to });
      showFormMessage(form, 'success', t('settings.mail.testQueued'), ' ',
        h('a', { href: '/admin/mail-log' }, t('settings.mail.testLog')),
        answer?.taskId ? [' ', h('a', { href: `/admin/mail-log/${answer.taskId}` }, t('settings.mail.testMessage'))] : []);
      return undefined;
    } catch (error) {
      if (error.code === 'invalid_email') setFieldError(form, 'to', tOr('problem.invalid_email', problemText(error)));
      else showFormMessage(form, 'error', problemText(error));
      return focusFirstError(form);
    }
  });
  return form;
}

// ---- (d) SMS ----

function smsSection(sms) {
  const secret = secretField({
    name: 'apiSecret',
    label: t('settings.sms.apiSecret'),
    hint: t('settings.sms.apiSecretHint'),
    storedText: t('settings.sms.secretSet'),
    notStoredText: t('settings.sms.secretNotSet'),
    removeLabel: t('settings.sms.secretRemove'),
    bothError: t('settings.secretBoth'),
  });
  const form = h('form', { novalidate: true },
    formMessage(),
    checkbox({ name: 'enabled', label: t('settings.sms.enabled'), checked: sms.enabled }),
    field({ name: 'baseUrl', label: t('settings.sms.baseUrl'), hint: t('settings.sms.baseUrlHint'), type: 'url', value: sms.baseUrl, autocomplete: 'off', spellcheck: 'false' }),
    field({ name: 'apiKey', label: t('settings.sms.apiKey'), value: sms.apiKey, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }),
    secret.element,
    field({ name: 'from', label: t('settings.sms.from'), hint: t('settings.sms.fromHint'), value: sms.from, autocomplete: 'off', spellcheck: 'false' }),
    submitRow(t('settings.sms.submit')));
  secret.show(sms.apiSecretSet);

  const apply = (stored) => {
    fill(form, { enabled: stored.enabled, baseUrl: stored.baseUrl, apiKey: stored.apiKey, from: stored.from });
    secret.show(stored.apiSecretSet);
  };

  onSubmit(form, () => {
    const body = { enabled: isChecked(form, 'enabled'), baseUrl: text(form, 'baseUrl'), apiKey: text(form, 'apiKey'), from: text(form, 'from') };
    const value = secret.value(form);
    if (value !== undefined) body.apiSecret = value;
    return save(form, '/api/settings/sms', body, apply);
  });

  return section('settings-sms-heading', t('settings.sms.heading'), form);
}

export async function render() {
  const [policy, recovery, available, mail, sms] = await Promise.all([
    get('/api/settings/password-policy'),
    get('/api/settings/recovery'),
    get('/api/settings/recovery/available-channels'),
    get('/api/settings/mail'),
    get('/api/settings/sms'),
  ]);

  const mailCard = section('settings-mail-heading', t('settings.mail.heading'), mailSection(mail), h('hr', {}), testMailForm());
  const content = h('div', { class: 'stack' },
    policySection(policy),
    recoverySection(recovery, available?.channels ?? []),
    mailCard,
    smsSection(sms));
  return { title: t('settings.title'), content };
}
