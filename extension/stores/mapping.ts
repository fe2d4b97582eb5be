import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { DEFAULT_PRESENCE_MAPPING, type MappingValue, type PresenceMapping, type TeamsActivity, type TeamsAvailability } from '../presence.js';
import { problemOf, type Problem } from './errors.js';
import type { SessionStore } from './session.js';

export interface MappingStore {
  /** What the user is editing; undefined until loaded. */
  draft: ReadonlySignal<PresenceMapping | undefined>;
  dirty: ReadonlySignal<boolean>;
  saving: ReadonlySignal<boolean>;
  saved: ReadonlySignal<boolean>;
  problem: ReadonlySignal<Problem | undefined>;
  load(): Promise<void>;
  setEnabled(enabled: boolean): void;
  setAvailability(name: TeamsAvailability, value: MappingValue): void;
  /** `undefined` removes the activity's own entry (it then follows its availability). */
  setActivity(name: TeamsActivity, value: MappingValue | undefined): void;
  resetToDefaults(): void;
  save(): Promise<void>;
}

const same = (a: PresenceMapping | undefined, b: PresenceMapping | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** The user's Teams presence → extension status mapping, edited locally and saved through the API. */
export function createMappingStore(session: SessionStore): MappingStore {
  const stored = signal<PresenceMapping | undefined>(undefined);
  const draft = signal<PresenceMapping | undefined>(undefined);
  const saving = signal(false);
  const saved = signal(false);
  const problem = signal<Problem | undefined>(undefined);
  const edit = (change: (m: PresenceMapping) => PresenceMapping) => {
    if (!draft.value) return;
    draft.value = change(draft.value);
    saved.value = false;
  };
  return {
    draft,
    dirty: computed(() => !same(stored.value, draft.value)),
    saving,
    saved,
    problem,
    async load() {
      const client = session.client.value;
      if (!client) return;
      try {
        stored.value = draft.value = await client.presence.getMapping();
      } catch (error) {
        problem.value = problemOf(error);
      }
    },
    setEnabled: (enabled) => edit((m) => ({ ...m, enabled })),
    setAvailability: (name, value) => edit((m) => ({ ...m, availability: { ...m.availability, [name]: value } })),
    setActivity: (name, value) =>
      edit((m) => {
        const activity = { ...m.activity };
        if (value === undefined) delete activity[name];
        else activity[name] = value;
        return { ...m, activity };
      }),
    resetToDefaults: () => edit((m) => ({ ...DEFAULT_PRESENCE_MAPPING, enabled: m.enabled })),
    async save() {
      const client = session.client.value;
      if (!client || !draft.value) return;
      saving.value = true;
      problem.value = undefined;
      try {
        stored.value = draft.value = await client.presence.setMapping(draft.value);
        saved.value = true;
      } catch (error) {
        problem.value = problemOf(error);
      } finally {
        saving.value = false;
      }
    },
  };
}
