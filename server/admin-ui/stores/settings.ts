import { signal } from '@preact/signals';
import type { OnDisable } from '../api/endpoints.js';
import { createFormState, errorMessage, submitForm, type FieldErrors, type Message } from '../forms/form.js';

const enabledOf = (value: object | null): boolean => value !== null && 'enabled' in value && value.enabled === true;

/**
 * One settings document (user sync, group sync, …): the saved value, the admin's draft, and the
 * form state of its editor. Saving validates the draft first, then PUTs it.
 */
export function createSettingsStore<T extends object>(api: {
  get(): Promise<T>;
  put(value: T, onDisable: OnDisable): Promise<T>;
}) {
  const saved = signal<T | null>(null);
  const draft = signal<T | null>(null);
  const loadError = signal<Message | null>(null);
  const form = createFormState();
  return {
    saved,
    draft,
    loadError,
    form,
    async load(): Promise<void> {
      try {
        const value = await api.get();
        saved.value = value;
        draft.value = value;
        loadError.value = null;
      } catch (error) {
        loadError.value = errorMessage(error);
      }
    },
    edit(change: (value: T) => T): void {
      if (draft.value !== null) draft.value = change(draft.value);
    },
    /** Whether the sync is paused and stays so in the draft: its settings are read-only until the draft switches it on. */
    paused(): boolean {
      return saved.value !== null && !enabledOf(saved.value) && !enabledOf(draft.value);
    },
    /** Whether saving the draft would switch a running sync off (the admin chooses keep/delete). */
    pausing(): boolean {
      return enabledOf(saved.value) && draft.value !== null && !enabledOf(draft.value);
    },
    save(validate: (value: T) => FieldErrors, onDisable: OnDisable = 'keep'): Promise<boolean> {
      const value = draft.value;
      if (value === null) return Promise.resolve(false);
      return submitForm(
        form,
        () => validate(value),
        async () => {
          const stored = await api.put(value, onDisable);
          saved.value = stored;
          draft.value = stored;
          return { key: 'common.saved' };
        },
      );
    },
  };
}

export type SettingsStore<T extends object> = ReturnType<typeof createSettingsStore<T>>;
