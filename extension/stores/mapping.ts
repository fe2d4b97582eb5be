import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
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
  /**
   * Shows the signed-in user's mapping: loads it whenever someone signs in (here or in another
   * page), forgets it on sign-out. Returns the function that stops following the session.
   */
  followSession(): () => void;
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
  /** Whose mapping the page shows: the signed-in extension's, if any. */
  const owner = computed(() => (session.state.value === 'signed-in' ? session.me.value?.extension.id : undefined));
  /** Whether `who` is still signed in: an answer that arrives after a change of user is theirs, not to be shown. */
  const still = (who: string | undefined) => owner.peek() === who;

  async function load(who: string): Promise<void> {
    const client = session.client.peek();
    if (!client) return;
    try {
      const mapping = await client.presence.getMapping();
      if (still(who)) stored.value = draft.value = mapping;
    } catch (error) {
      if (still(who)) problem.value = problemOf(error);
    }
  }

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
    followSession: () =>
      effect(() => {
        const who = owner.value;
        stored.value = draft.value = undefined;
        saved.value = false;
        problem.value = undefined;
        if (who !== undefined) void load(who);
      }),
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
      const who = owner.peek();
      saving.value = true;
      problem.value = undefined;
      try {
        const mapping = await client.presence.setMapping(draft.value);
        if (!still(who)) return;
        stored.value = draft.value = mapping;
        saved.value = true;
      } catch (error) {
        if (still(who)) problem.value = problemOf(error);
      } finally {
        saving.value = false;
      }
    },
  };
}
