import { signal, type Signal } from '@preact/signals';
import { ApiError } from '../api/client.js';
import type { I18nStore, MessageKey, MessageParams } from '../i18n/index.js';

/**
 * Something to tell the admin: a catalogue message, a server error code (translated by the
 * page, the server's own words kept as detail), or a field message from the server.
 */
export type Message =
  | { key: MessageKey; params?: MessageParams }
  | { code: string; detail: string }
  | { text: string };

export function messageText(i18n: I18nStore, message: Message): string {
  if ('key' in message) return i18n.t(message.key, message.params);
  if ('code' in message) return i18n.errorText(message.code);
  return message.text;
}

export type FieldErrors = Record<string, Message>;

export interface FormState {
  errors: Signal<FieldErrors>;
  /** The form-level outcome shown above the buttons. */
  notice: Signal<{ kind: 'error' | 'success'; message: Message } | null>;
  busy: Signal<boolean>;
}

export function createFormState(): FormState {
  return { errors: signal({}), notice: signal(null), busy: signal(false) };
}

/** A form opened afresh: no field errors, no outcome from before. */
export function clearForm(form: FormState): void {
  form.errors.value = {};
  form.notice.value = null;
}

/** `body.scope.groupIds.0` → `scope.groupIds`: the form field a server path concerns. */
export function fieldOfPath(path: string): string {
  return path
    .replace(/^(body|querystring|params)\.?/, '')
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.');
}

export function errorMessage(error: unknown): Message {
  if (error instanceof ApiError) return { code: error.code, detail: error.message };
  return { code: 'internal_error', detail: String(error) };
}

/**
 * Validates, sends, and reports: client-side problems stop the request; the server's field
 * problems are shown next to the fields they name, its error code above the buttons.
 */
export async function submitForm(
  form: FormState,
  validate: () => FieldErrors,
  send: () => Promise<Message | undefined>,
): Promise<boolean> {
  const problems = validate();
  form.errors.value = problems;
  if (Object.keys(problems).length > 0) {
    form.notice.value = { kind: 'error', message: { key: 'form.fixFields' } };
    return false;
  }
  form.busy.value = true;
  form.notice.value = null;
  try {
    const done = await send();
    form.notice.value = done ? { kind: 'success', message: done } : null;
    return true;
  } catch (error) {
    const fields: FieldErrors = {};
    if (error instanceof ApiError) for (const f of error.fields) fields[fieldOfPath(f.path)] = { text: f.message };
    form.errors.value = fields;
    form.notice.value = { kind: 'error', message: errorMessage(error) };
    return false;
  } finally {
    form.busy.value = false;
  }
}
