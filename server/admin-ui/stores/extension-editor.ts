import { signal } from '@preact/signals';
import type { Api, Extension, ExtensionInput } from '../api/endpoints.js';
import { clearForm, createFormState, submitForm, type FieldErrors } from '../forms/form.js';
import type { PagedListStore } from './paged-list.js';

/** Only what the admin changed: a synced extension's locked fields are never sent back. */
function changesOf(before: Extension, after: ExtensionInput): Partial<ExtensionInput> {
  const changes: Partial<Record<keyof ExtensionInput, unknown>> = {};
  for (const key of Object.keys(after) as Array<keyof ExtensionInput>) if (after[key] !== before[key]) changes[key] = after[key];
  return changes as Partial<ExtensionInput>;
}

/** The extension editor (a new local extension, or an existing one) and deleting local extensions. */
export function createExtensionEditorStore(api: Api, list: PagedListStore<Extension>) {
  const editing = signal<Extension | 'new' | null>(null);
  const form = createFormState();
  const actions = createFormState();
  return {
    editing,
    form,
    actions,
    edit(target: Extension | 'new' | null): void {
      clearForm(form);
      editing.value = target;
    },
    save(input: ExtensionInput, validate: (input: ExtensionInput) => FieldErrors): Promise<boolean> {
      const target = editing.value;
      return submitForm(
        form,
        () => validate(input),
        async () => {
          if (target === 'new') await api.extensions.create(input);
          else if (target) {
            const changes = changesOf(target, input);
            if (Object.keys(changes).length > 0) await api.extensions.update(target.id, changes);
          }
          editing.value = null;
          await list.load();
          return { key: 'common.saved' };
        },
      );
    },
    remove(extension: Extension): Promise<boolean> {
      return submitForm(
        actions,
        () => ({}),
        async () => {
          await api.extensions.remove(extension.id);
          if (editing.value !== 'new' && editing.value?.id === extension.id) editing.value = null;
          await list.load();
          return { key: 'extensions.deleted', params: { number: extension.number } };
        },
      );
    },
  };
}

export type ExtensionEditorStore = ReturnType<typeof createExtensionEditorStore>;
