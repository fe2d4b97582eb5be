import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The browser's permissions API, recording the match patterns the extension asks about. */
const asked = vi.hoisted(() => [] as string[][]);
vi.mock('webextension-polyfill', () => {
  const record = ({ origins }: { origins: string[] }) => (asked.push(origins), Promise.resolve(true));
  return { default: { permissions: { request: record, contains: record } } };
});

const { hasOrigin, requestOrigin } = await import('../../extension/platform/browser.js');

beforeEach(() => void asked.splice(0));

describe('host permission for the server origin', () => {
  // Firefox refuses ports in match patterns; Chrome matches any port when the pattern has none.
  it.each([
    ['https://pbx.example.com:8443', 'https://pbx.example.com/*'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1/*'],
    ['http://[::1]:8080', 'http://[::1]/*'],
    ['https://pbx.example.com', 'https://pbx.example.com/*'],
  ])('asks for %s as %s, when requesting and when checking', async (origin, pattern) => {
    await requestOrigin(origin);
    await hasOrigin(origin);
    expect(asked).toEqual([[pattern], [pattern]]);
  });
});
