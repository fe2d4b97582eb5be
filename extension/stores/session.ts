import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Me, SignInParameters, UcBridgeClient } from '../../sdk/index.js';
import { watchSession } from '../auth/session-store.js';
import { bridgeFor } from '../bridge.js';
import { problemOf, type Problem } from './errors.js';
import type { SettingsStore } from './settings.js';

export type SessionState = 'unconfigured' | 'checking' | 'signed-out' | 'signing-in' | 'signed-in';

export interface SessionStore {
  /** The SDK client of the configured server. */
  client: ReadonlySignal<UcBridgeClient | undefined>;
  state: ReadonlySignal<SessionState>;
  me: ReadonlySignal<Me | undefined>;
  problem: ReadonlySignal<Problem | undefined>;
  /** The Entra app the server names for sign-in; undefined until known (or when it names none). */
  published: ReadonlySignal<SignInParameters | undefined>;
  /** Reads who is signed in (or finds nobody is). */
  check(): Promise<void>;
  /** Asks the server which Entra app to sign in with (the options page then needs no manual details). */
  loadSignInParameters(): Promise<void>;
  /** Microsoft sign-in in the browser's auth window, then the PBX session. */
  signIn(): Promise<void>;
  signOut(): Promise<void>;
}

export function createSessionStore(settings: SettingsStore): SessionStore {
  const client = computed(() => bridgeFor(settings.settings.value));
  const state = signal<SessionState>('checking');
  const me = signal<Me | undefined>(undefined);
  const problem = signal<Problem | undefined>(undefined);
  const published = signal<SignInParameters | undefined>(undefined);

  async function check(): Promise<void> {
    const current = client.value;
    if (!current) {
      state.value = 'unconfigured';
      me.value = undefined;
      return;
    }
    if (!(await current.hasSession())) {
      state.value = 'signed-out';
      me.value = undefined;
      return;
    }
    try {
      me.value = await current.me();
      state.value = 'signed-in';
    } catch (error) {
      problem.value = problemOf(error);
      // The SDK forgets a session the server has ended.
      if (!(await current.hasSession())) state.value = 'signed-out';
    }
  }

  // Signing in or out in another page (or the background ending a revoked session).
  watchSession(() => void check());

  return {
    client,
    state,
    me,
    problem,
    published,
    check,
    async loadSignInParameters() {
      published.value = await client.value?.signInParameters().catch(() => undefined);
    },
    async signIn() {
      const current = client.value;
      if (!current) return;
      state.value = 'signing-in';
      problem.value = undefined;
      try {
        await current.signIn();
      } catch (error) {
        problem.value = problemOf(error);
      }
      await check();
    },
    async signOut() {
      await client.value?.signOut();
      problem.value = undefined;
      await check();
    },
  };
}
