import { batch, signal } from '@preact/signals';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PRESENCE_MAPPING, type PresenceMapping } from '../../extension/presence.js';
import { createMappingStore, type MappingStore } from '../../extension/stores/mapping.js';
import type { SessionState, SessionStore } from '../../extension/stores/session.js';
import type { Me, UcBridgeClient } from '../../sdk/index.js';

/** Each user's mapping on the server. */
const A: PresenceMapping = { ...DEFAULT_PRESENCE_MAPPING, availability: { ...DEFAULT_PRESENCE_MAPPING.availability, Busy: 'lunch' } };
const B: PresenceMapping = { ...DEFAULT_PRESENCE_MAPPING, enabled: true, activity: {} };

/**
 * The options page's session, signed in and out by the test, over a server holding A's and B's
 * mappings. After `hold`, the server's answers wait until the test sends them.
 */
function world() {
  const server = new Map([['a', A], ['b', B]]);
  const state = signal<SessionState>('signed-out');
  const me = signal<Me | undefined>(undefined);
  const pending: Array<() => void> = [];
  let held = false;
  const whoIsIn = () => me.peek()?.extension.id ?? '';
  const reply = (mapping: PresenceMapping | undefined) =>
    new Promise((resolve) => (held ? pending.push(() => resolve(mapping)) : resolve(mapping)));
  const client = {
    presence: {
      getMapping: () => reply(server.get(whoIsIn())),
      setMapping: (mapping: PresenceMapping) => (server.set(whoIsIn(), mapping), reply(mapping)),
    },
  } as unknown as UcBridgeClient;
  const session = { client: signal(client), state, me } as unknown as SessionStore;
  return {
    server,
    session,
    signIn: (id: string) => batch(() => ((me.value = { extension: { id } } as Me), (state.value = 'signed-in'))),
    signOut: () => batch(() => ((me.value = undefined), (state.value = 'signed-out'))),
    hold: () => (held = true),
    /** Sends the answer to the `index`-th request held. */
    answer: (index: number) => pending[index]?.(),
  };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());

function follow(session: SessionStore): MappingStore {
  const mapping = createMappingStore(session);
  stop = mapping.followSession();
  return mapping;
}

describe('the options page mapping store', () => {
  it('loads the mapping when the user signs in on the page, forgets it on sign-out, and saves the next user’s own', async () => {
    const w = world();
    const mapping = follow(w.session);
    expect(mapping.draft.value).toBeUndefined();

    w.signIn('a');
    await vi.waitFor(() => expect(mapping.draft.value).toEqual(A));
    mapping.setEnabled(true);
    w.signOut();
    expect(mapping.draft.value).toBeUndefined();

    w.signIn('b');
    await vi.waitFor(() => expect(mapping.draft.value).toEqual(B));
    mapping.setAvailability('Away', 'off_work');
    await mapping.save();
    expect(w.server.get('b')).toEqual({ ...B, availability: { ...B.availability, Away: 'off_work' } });
    expect(w.server.get('a')).toEqual(A);
  });

  it('drops a mapping that arrives after its user signed out', async () => {
    const w = world();
    const mapping = follow(w.session);
    w.hold();
    w.signIn('a');
    w.signOut();
    w.signIn('b');
    w.answer(1);
    await vi.waitFor(() => expect(mapping.draft.value).toEqual(B));
    w.answer(0);
    // Lets A's answer reach the store (pending promise jobs run before a timer's callback).
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(mapping.draft.value).toEqual(B);
    expect(mapping.dirty.value).toBe(false);
  });

  it('drops the answer to a save that arrives after its user signed out', async () => {
    const w = world();
    const mapping = follow(w.session);
    w.signIn('a');
    await vi.waitFor(() => expect(mapping.draft.value).toEqual(A));
    w.hold();
    mapping.setEnabled(true);
    const saving = mapping.save();
    w.signOut();
    w.signIn('b');
    w.answer(1);
    await vi.waitFor(() => expect(mapping.draft.value).toEqual(B));
    w.answer(0);
    await saving;
    expect(mapping.draft.value).toEqual(B);
    expect(mapping.saved.value).toBe(false);
    expect(w.server.get('a')).toEqual({ ...A, enabled: true });
  });
});
