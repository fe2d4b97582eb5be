import type { FormState, Message } from '../forms/form.js';
import { messageText } from '../forms/form.js';
import { useStores } from '../stores/context.js';

/** A success or error line; errors are announced at once, successes politely. */
export function Notice({ kind, message }: { kind: 'error' | 'success' | 'info'; message: Message }) {
  const { i18n } = useStores();
  const detail = 'code' in message && !i18n.has(`error.${message.code}`) ? message.detail : undefined;
  return (
    <div class={`notice notice--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {messageText(i18n, message)}
      {detail && <span class="notice-detail">{detail}</span>}
    </div>
  );
}

export function FormNotice({ form }: { form: FormState }) {
  const notice = form.notice.value;
  return notice ? <Notice kind={notice.kind} message={notice.message} /> : null;
}
