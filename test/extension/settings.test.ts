import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateSettings, removeUnknownKeys, serverUrlToOrigin, type Migration } from '../../extension/settings/migrations.js';
import { DEFAULT_SETTINGS, serverOrigin } from '../../extension/settings/schema.js';

describe('settings migrations', () => {
  it('give the typed defaults for nothing stored, or for something that is not an object', () => {
    expect(migrateSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(migrateSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(migrateSettings(['x'])).toEqual(DEFAULT_SETTINGS);
    expect(migrateSettings('https://pbx.example.com')).toEqual(DEFAULT_SETTINGS);
  });

  it('keep valid settings as they are', () => {
    const stored = {
      serverUrl: 'https://pbx.example.com',
      accountHint: 'jane@contoso.com',
      entraAuthority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      entraClientId: '00000000-0000-0000-0000-000000000001',
      dialScheme: 'sip',
      notifyOnChange: true,
      language: 'zh-CN',
    };
    expect(migrateSettings(stored)).toEqual(stored);
  });

  it('reduce a server address to its origin, and clear one the extension may not talk to', () => {
    expect(migrateSettings({ serverUrl: 'https://pbx.example.com/admin/?x=1' }).serverUrl).toBe('https://pbx.example.com');
    expect(migrateSettings({ serverUrl: ' https://PBX.example.com:8443/ ' }).serverUrl).toBe('https://pbx.example.com:8443');
    expect(migrateSettings({ serverUrl: 'http://pbx.example.com' }).serverUrl).toBe('');
    expect(migrateSettings({ serverUrl: 'http://127.0.0.1:3000/' }).serverUrl).toBe('http://127.0.0.1:3000');
    expect(migrateSettings({ serverUrl: 'https://user:pw@pbx.example.com' }).serverUrl).toBe('');
    expect(migrateSettings({ serverUrl: 'not a url' }).serverUrl).toBe('');
  });

  it('drop keys no version knows and replace each invalid value by its own default only', () => {
    const migrated = migrateSettings({ serverUrl: 'https://pbx.example.com', dialScheme: 'skype', language: 'fr', notifyOnChange: 'yes', token: 'secret' });
    expect(migrated).toEqual({ ...DEFAULT_SETTINGS, serverUrl: 'https://pbx.example.com' });
    expect(migrated).not.toHaveProperty('token');
  });

  it('are idempotent: migrating migrated settings changes nothing', () => {
    const once = migrateSettings({ serverUrl: 'https://pbx.example.com/x', extra: 1, dialScheme: 'sip' });
    expect(migrateSettings(once)).toEqual(once);
  });

  it('run in order on a copy, so a later migration sees what an earlier one wrote', () => {
    const renameServer: Migration = (s) => {
      if (typeof s.server === 'string') s.serverUrl = s.server;
      delete s.server;
    };
    const stored = { server: 'https://pbx.example.com/path' };
    const migrated = migrateSettings(stored, [renameServer, ...MIGRATIONS]);
    expect(migrated.serverUrl).toBe('https://pbx.example.com');
    expect(stored).toEqual({ server: 'https://pbx.example.com/path' });
    // Without the rename, the unknown key is simply dropped.
    expect(migrateSettings(stored).serverUrl).toBe('');
  });

  it('each do one thing', () => {
    const s: Record<string, unknown> = { serverUrl: 'https://a.example/b', other: true };
    serverUrlToOrigin(s);
    expect(s).toEqual({ serverUrl: 'https://a.example', other: true });
    removeUnknownKeys(s);
    expect(s).toEqual({ serverUrl: 'https://a.example' });
  });
});

describe('serverOrigin', () => {
  it('accepts https anywhere and http only on loopback', () => {
    expect(serverOrigin('https://pbx.example.com')).toBe('https://pbx.example.com');
    expect(serverOrigin('http://localhost:8080/x')).toBe('http://localhost:8080');
    expect(serverOrigin('http://[::1]:8080')).toBe('http://[::1]:8080');
    expect(serverOrigin('http://10.0.0.5')).toBeUndefined();
    expect(serverOrigin('ftp://pbx.example.com')).toBeUndefined();
  });
});
