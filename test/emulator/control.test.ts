import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ users: 100, seed: 1 });
});
afterAll(async () => emu.close());

describe('control API', () => {
  it('seeds a deterministic tenant of any size', async () => {
    const a = (await emu.controlApi('/seed', { body: { users: 1200, groups: 40, seed: 42 } })) as { users: number; groups: number; guests: number; disabled: number; sharedMailboxes: number };
    expect(a).toMatchObject({ users: 1200, groups: 40 });
    expect(a.guests).toBeGreaterThan(20);
    expect(a.disabled).toBeGreaterThan(10);
    const firstIds = emu.state.directory.users.slice(0, 50).map((u) => u.data.id);
    const phones = emu.state.directory.users.map((u) => u.data.businessPhones[0]);
    expect(phones.filter((p) => p === undefined).length).toBeGreaterThan(0); // missing
    expect(phones.filter((p) => p !== undefined && !p.startsWith('+')).length).toBeGreaterThan(0); // invalid
    expect(new Set(phones.filter(Boolean)).size).toBeLessThan(phones.filter(Boolean).length); // duplicates
    await emu.controlApi('/seed', { body: { users: 1200, groups: 40, seed: 42 } });
    expect(emu.state.directory.users.slice(0, 50).map((u) => u.data.id)).toEqual(firstIds);
    await emu.controlApi('/seed', { body: { seed: 43 } });
    expect(emu.state.directory.users[1]?.data.id).not.toBe(firstIds[1]);
  });

  it('mutations over HTTP land in Graph; reset restores the start state', async () => {
    const made = (await emu.controlApi('/users', { body: { displayName: 'Control Made', department: 'Sales' } })) as { id: string };
    const res = await emu.graphFetch(`/users/${made.id}?$select=department`);
    expect(((await res.json()) as { department: string }).department).toBe('Sales');
    const group = (await emu.controlApi('/groups', { body: { displayName: 'Ctl group', members: [made.id] } })) as { id: string };
    const members = (await (await emu.graphFetch(`/groups/${group.id}/members`)).json()) as { value: { id: string }[] };
    expect(members.value.map((m) => m.id)).toEqual([made.id]);
    await emu.controlApi('/reset', { body: {} });
    expect((await emu.graphFetch(`/users/${made.id}`)).status).toBe(404);
    expect(emu.state.directory.users).toHaveLength(100);
  });

  it('the presence ticker changes Teams states over time; DELETE stops it', async () => {
    const before = emu.state.directory.users.map((u) => emu.ops.getPresence(u.data.id).availability + emu.ops.getPresence(u.data.id).activity);
    await emu.controlApi('/presence/ticker', { body: { intervalMs: 20, fraction: 0.2 } });
    await new Promise((r) => setTimeout(r, 200));
    await emu.controlApi('/presence/ticker', { method: 'DELETE' });
    const after = emu.state.directory.users.map((u) => emu.ops.getPresence(u.data.id).availability + emu.ops.getPresence(u.data.id).activity);
    expect(after.filter((a, i) => a !== before[i]).length).toBeGreaterThan(5);
  });

  it('unknown control routes answer 404 JSON', async () => {
    const res = await fetch(`${emu.control}/nope`);
    expect(res.status).toBe(404);
  });
});

describe('npm run emulator (cli.ts)', () => {
  it('prints one JSON ready line and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--port', '0', '--users', '50', '--seed', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (c) => reject(new Error(`exited ${String(c)}`)));
    });
    const info = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(info).sort()).toEqual(['adminClientId', 'adminClientSecret', 'authority', 'caFile', 'clientId', 'clientSecret', 'control', 'graph', 'tenantId']);
    expect(info.authority).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
