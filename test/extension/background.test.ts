import { describe, expect, it, vi } from 'vitest';
import { STATUS_COLOURS } from '../../extension/presence.js';
import type { StatusInfo, SubscribeOptions } from '../../sdk/index.js';

/**
 * The background worker as the browser starts it again after stopping it: signed in, a last
 * status in `storage.session`. The browser (webextension-polyfill) is replaced by maps and a
 * toolbar button that keeps what was last set on it, and the SDK client by one that hands over
 * the options of its status stream, so the test can play the stream's part.
 */
const fake = vi.hoisted(() => {
  const area = (items: Map<string, unknown>) => ({
    get: (key: string) => Promise.resolve(items.has(key) ? { [key]: items.get(key) } : {}),
    set: (values: Record<string, unknown>) => Promise.resolve(void Object.entries(values).forEach(([k, v]) => items.set(k, v))),
    remove: (key: string) => Promise.resolve(void items.delete(key)),
  });
  const events = { addListener: () => undefined, removeListener: () => undefined };
  const local = new Map<string, unknown>();
  const session = new Map<string, unknown>();
  const toolbar = { text: '', colour: '', title: '' };
  const apiCalls: string[] = [];
  const browser = {
    storage: { local: area(local), session: area(session), onChanged: events },
    alarms: { onAlarm: events, create: () => Promise.resolve() },
    runtime: { onStartup: events, onInstalled: events, getPlatformInfo: () => (apiCalls.push('getPlatformInfo'), Promise.resolve({ os: 'linux' })) },
    action: {
      setBadgeText: ({ text }: { text: string }) => Promise.resolve(void (toolbar.text = text)),
      setBadgeBackgroundColor: ({ color }: { color: string }) => Promise.resolve(void (toolbar.colour = color)),
      setTitle: ({ title }: { title: string }) => Promise.resolve(void (toolbar.title = title)),
    },
    permissions: { contains: () => Promise.resolve(true) },
    i18n: { getUILanguage: () => 'en' },
  };
  return { browser, local, session, toolbar, apiCalls, stream: undefined as SubscribeOptions | undefined };
});
vi.mock('webextension-polyfill', () => ({ default: fake.browser }));
vi.mock('../../extension/bridge.js', () => ({
  bridgeFor: () => ({
    hasSession: () => Promise.resolve(true),
    signOut: () => Promise.resolve(),
    presence: { subscribe: (_listener: unknown, options: SubscribeOptions) => ((fake.stream = options), () => undefined) },
  }),
}));

const lunch: StatusInfo = { extensionId: 'x1', status: 'lunch', source: 'pbx', teamsAvailability: null, teamsActivity: null, updatedAt: null };
fake.local.set('settings', { serverUrl: 'https://pbx.example.com' });
fake.session.set('lastStatus', lunch);
await import('../../extension/background/main.js');
await vi.waitFor(() => expect(fake.stream).toBeDefined());
const stream = fake.stream as SubscribeOptions;

describe('the background worker', () => {
  it('shows the last status greyed after a start, until the status stream is open', async () => {
    expect(fake.toolbar).toEqual({ text: ' ', colour: '#9aa0a6', title: 'ucbridge — reconnecting to the server…' });
    stream.onStateChange?.('open');
    await vi.waitFor(() => expect(fake.toolbar).toEqual({ text: ' ', colour: STATUS_COLOURS.lunch, title: 'ucbridge — Lunch' }));
  });

  it('makes an extension API call at each heartbeat of the stream, which keeps a Chrome service worker alive', () => {
    expect(fake.apiCalls).toEqual([]);
    stream.onHeartbeat?.();
    stream.onHeartbeat?.();
    expect(fake.apiCalls).toEqual(['getPlatformInfo', 'getPlatformInfo']);
  });
});
