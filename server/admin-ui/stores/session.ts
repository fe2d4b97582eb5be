import { signal } from '@preact/signals';
import type { Api } from '../api/endpoints.js';

export type SessionState = 'checking' | 'signedOut' | 'signedIn';

/** Whether the admin is signed in to the page (the session itself lives in an HttpOnly cookie). */
export function createSessionStore(api: Api) {
  const state = signal<SessionState>('checking');
  const label = signal('');
  return {
    state,
    label,
    async check(): Promise<void> {
      try {
        label.value = (await api.session.get()).label;
        state.value = 'signedIn';
      } catch {
        state.value = 'signedOut';
      }
    },
    async signIn(token: string): Promise<void> {
      label.value = (await api.session.open(token)).label;
      state.value = 'signedIn';
    },
    async signOut(): Promise<void> {
      try {
        await api.session.close();
      } finally {
        state.value = 'signedOut';
      }
    },
    /** The server ended the session (expired, signed out elsewhere). */
    ended(): void {
      state.value = 'signedOut';
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
