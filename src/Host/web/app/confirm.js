// A confirmation step in place of the control that asked for it: the question, a Confirm and a Cancel button. Cancel
// (or Escape) puts the control back and focuses it; nothing is sent before Confirm.
import { h, uid } from './dom.js';
import { t } from './i18n.js';

/**
 * Replaces `trigger` with the question until a choice is made. onConfirm runs once; when it leaves the box in the page
 * (e.g. after an error) the trigger comes back. danger: the Confirm button looks destructive.
 */
export function askToConfirm(trigger, { question, confirm = t('confirm.yes'), cancel = t('confirm.cancel'), danger = false, onConfirm, onCancel }) {
  const questionId = uid('confirm');
  const yes = h('button', { type: 'button', class: danger ? 'primary danger' : 'primary', 'aria-describedby': questionId }, confirm);
  const no = h('button', { type: 'button' }, cancel);
  const box = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': questionId, tabindex: '-1' },
    h('p', { id: questionId }, question),
    h('div', { class: 'actions' }, yes, no));

  const focusable = 'button, a[href], input, select, textarea';
  const restore = (focus) => {
    if (box.isConnected) box.replaceWith(trigger);
    if (focus) (trigger.matches(focusable) ? trigger : trigger.querySelector(focusable))?.focus();
  };
  no.addEventListener('click', () => {
    restore(true);
    onCancel?.();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !yes.disabled) {
      event.preventDefault();
      restore(true);
      onCancel?.();
    }
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    yes.textContent = t('form.working');
    box.setAttribute('aria-busy', 'true');
    try {
      await onConfirm();
    } finally {
      const hadFocus = box.contains(document.activeElement);
      restore(hadFocus);
    }
  });

  trigger.replaceWith(box);
  box.focus();
  return box;
}
