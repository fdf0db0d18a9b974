// "Run this task again": a done or failed notification task is sent once more, after a confirmation step.
import { h } from './dom.js';
import { t } from './i18n.js';
import { post } from './api.js';
import { showFormMessage, problemText } from './forms.js';
import { askToConfirm } from './confirm.js';

// Done, failed, or waiting to retry after a failed attempt (the service sends it now and skips the pending retry).
export const canRedo = (task) => task.status === 'done' || task.status === 'failed' || (task.status === 'waiting' && task.attempts > 0);

/**
 * The Redo button of one task. messageHost: the element whose .form-message says what happened; after(): what to
 * reload once the task is queued again. label: an accessible name that tells this task from the others.
 */
export function redoButton({ id, label, messageHost, after }) {
  const button = h('button', { type: 'button', 'aria-label': label }, t('redo.button'));
  button.addEventListener('click', () => askToConfirm(button, {
    question: t('redo.question'),
    confirm: t('redo.confirm'),
    onConfirm: async () => {
      try {
        await post(`/api/notifications/${id}/redo`);
      } catch (error) {
        showFormMessage(messageHost, 'error', problemText(error)).focus();
        return;
      }
      try {
        await after();
        showFormMessage(messageHost, 'success', t('redo.queued')).focus();
      } catch (error) {
        showFormMessage(messageHost, 'success', t('redo.queued'), ' ', problemText(error)).focus();
      }
    },
  }));
  return button;
}
