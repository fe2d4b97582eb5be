import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const put = (body: unknown) => server.admin('/api/v1/settings/schedule', { method: 'PUT', body });

describe('GET/PUT /api/v1/settings/schedule', () => {
  it('starts from defaults that react in seconds', async () => {
    const res = await server.admin('/api/v1/settings/schedule');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      frequency: 'daily',
      days: [],
      time: '00:30',
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      changeTrigger: { enabled: true, delayMinutes: 0, burst: 10 },
      pollSeconds: 60,
    });
  });

  it('saves a weekly schedule and reads it back', async () => {
    const body = {
      frequency: 'weekly',
      days: ['mon', 'thu'],
      time: '02:30',
      timeZone: 'Europe/Berlin',
      changeTrigger: { enabled: true, delayMinutes: 0.5, burst: 25 },
      pollSeconds: 120,
    };
    const res = await put(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(body);
    expect(await (await server.admin('/api/v1/settings/schedule')).json()).toEqual(body);
  });

  it('names the field of an unknown time zone', async () => {
    const res = await put({ timeZone: 'Mars/Olympus_Mons' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; details: { fields: Array<{ path: string; message: string }> } } };
    expect(error.code).toBe('validation_failed');
    expect(error.details.fields).toEqual([
      { path: 'body.timeZone', message: 'is not an IANA time zone; use a name such as "Europe/Berlin" or "UTC"' },
    ]);
  });

  it.each([
    [{ frequency: 'weekly' }, 'body.days'],
    [{ time: '24:00' }, 'body.time'],
    [{ changeTrigger: { burst: 0 } }, 'body.changeTrigger.burst'],
    [{ pollSeconds: 1 }, 'body.pollSeconds'],
    [{ cron: '* * * * *' }, 'body'],
  ])('refuses %j (field %s)', async (body, path) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { details: { fields: Array<{ path: string }> } } };
    expect(error.details.fields.map((f) => f.path)).toContain(path);
  });

  it('reports the change tracking mode (off without a connected integration)', async () => {
    const res = await server.admin('/api/v1/settings/schedule/status');
    expect(await res.json()).toEqual({ nextScheduledSync: null, changeTracking: 'off' });
  });
});
