import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiryWarning, type IntegrationView } from '../../../server/integration/index.js';
import { startWorld, type World } from '../directory/world.js';

const DAY = 86_400_000;
let world: World;
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 5, seed: 41 } });
  await world.connect();
});
afterAll(() => world.stop());

const view = async () => (await world.json<IntegrationView>('/api/v1/integration')).body;
const rotate = async (lifetimeDays: number) => {
  const fresh = world.emu.ops.addSecret(undefined, lifetimeDays);
  const res = await world.json<IntegrationView>('/api/v1/integration/secret', { method: 'POST', body: { clientSecret: fresh.secretText } });
  expect(res.status).toBe(200);
  return { fresh, body: res.body };
};

describe('client secret expiry (SPEC §1.3)', () => {
  it('reads the expiry of the secret in use from the app registration', async () => {
    const v = await view();
    const inUse = world.emu.state.readApp.secrets.find((s) => s.value === world.emu.clientSecret)!;
    expect(v.secretExpiresAt).toBe(new Date(inUse.endDateTime).toISOString());
    expect(v.secretExpiryWarning).toBeNull();
    expect(v.permissions.find((p) => p.name === 'Application.Read.All')).toMatchObject({ granted: true, optional: true });
  });

  it.each([
    [20, 30, 20],
    [5, 7, 5],
    [1, 1, 1],
  ])('a secret living %i days warns at the %i-day threshold', async (lifetime, threshold, daysLeft) => {
    const { fresh, body } = await rotate(lifetime);
    expect(body.secretExpiresAt).toBe(fresh.endDateTime);
    expect(body.secretExpiryWarning).toMatchObject({ thresholdDays: threshold, daysLeft });
    expect(body.secretExpiryWarning?.message).toContain('POST /api/v1/integration/secret');
    expect(JSON.stringify(body)).not.toContain(fresh.secretText);
  });

  it('without Application.Read.All: the report says so, the expiry is unknown, the connection still works', async () => {
    world.emu.ops.setPermissions(['User.Read.All', 'Group.Read.All', 'Contacts.Read', 'Presence.Read.All', 'Calendars.Read']);
    const res = await world.json<IntegrationView>('/api/v1/integration/test', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('connected');
    expect(res.body.permissions.find((p) => p.name === 'Application.Read.All')).toMatchObject({ granted: false, disables: expect.stringMatching(/expiry/) as unknown });
    expect(res.body.secretExpiresAt).toBeNull();
    expect(res.body.secretExpiryWarning).toBeNull();
  });
});

describe('expiryWarning', () => {
  const now = Date.parse('2030-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(now + ms).toISOString();
  it('is silent beyond 30 days and when unknown, then steps through 30, 7, 1 and expired', () => {
    expect(expiryWarning(null, now)).toBeNull();
    expect(expiryWarning(at(31 * DAY), now)).toBeNull();
    expect(expiryWarning(at(30 * DAY), now)?.thresholdDays).toBe(30);
    expect(expiryWarning(at(8 * DAY), now)?.thresholdDays).toBe(30);
    expect(expiryWarning(at(7 * DAY), now)?.thresholdDays).toBe(7);
    expect(expiryWarning(at(2 * DAY), now)?.thresholdDays).toBe(7);
    expect(expiryWarning(at(DAY), now)).toMatchObject({ thresholdDays: 1, daysLeft: 1 });
    expect(expiryWarning(at(-1), now)).toMatchObject({ thresholdDays: 0, daysLeft: 0 });
  });
});
