import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { de as adminDe } from '../../server/admin-ui/i18n/messages/de.js';
import { en as adminEn } from '../../server/admin-ui/i18n/messages/en.js';
import { zhCN as adminZh } from '../../server/admin-ui/i18n/messages/zh-CN.js';
import { resolveLanguage, translator } from '../../extension/i18n/index.js';
import { de } from '../../extension/i18n/messages/de.js';
import { en } from '../../extension/i18n/messages/en.js';
import { zhCN } from '../../extension/i18n/messages/zh-CN.js';
import { EXTENSION_STATUSES, TEAMS_ACTIVITIES, TEAMS_AVAILABILITIES } from '../../extension/presence.js';
import { catalogueProblems, fromChromeMessages, inconsistentTerms, sourceFiles, sourceProblems } from '../support/i18n-check.js';

const EXTENSION = fileURLToPath(new URL('../../extension/', import.meta.url));
const catalogues = { en, de, 'zh-CN': zhCN };
const chromeLocale = (dir: string) =>
  fromChromeMessages(JSON.parse(readFileSync(`${EXTENSION}_locales/${dir}/messages.json`, 'utf8')) as Record<string, { message: string }>);

describe('extension catalogues', () => {
  it('have every English key, no extras, no empty texts, the same placeholders', () => {
    expect(catalogueProblems(catalogues, 'en')).toEqual([]);
  });

  it('are really translated', () => {
    for (const catalogue of [de, zhCN]) {
      const same = Object.keys(en).filter((k) => en[k as keyof typeof en] === catalogue[k as keyof typeof en]);
      expect(same.length / Object.keys(en).length).toBeLessThan(0.12);
    }
  });

  it('name every status, availability, activity and status source', () => {
    for (const catalogue of Object.values(catalogues)) {
      for (const s of [...EXTENSION_STATUSES, 'no_change']) expect(catalogue).toHaveProperty([`presenceStatus.${s}`]);
      for (const a of TEAMS_AVAILABILITIES) expect(catalogue).toHaveProperty([`teamsAvailability.${a}`]);
      for (const a of TEAMS_ACTIVITIES) expect(catalogue).toHaveProperty([`teamsActivity.${a}`]);
    }
  });

  it('say the status names with the same words as the admin page, in every language', () => {
    const pairs = [...EXTENSION_STATUSES, 'no_change'].map((s) => [`presenceStatus.${s}`, `presenceStatus.${s}`] as const);
    expect(inconsistentTerms(en, adminEn, pairs)).toEqual([]);
    expect(inconsistentTerms(de, adminDe, pairs)).toEqual([]);
    expect(inconsistentTerms(zhCN, adminZh, pairs)).toEqual([]);
  });

  it('_locales (name and description for the browser and the stores) exist for en, de and zh_CN', () => {
    const locales = { en: chromeLocale('en'), de: chromeLocale('de'), 'zh-CN': chromeLocale('zh_CN') };
    expect(catalogueProblems(locales, 'en')).toEqual([]);
    expect(Object.keys(locales.en).sort()).toEqual(['extensionDescription', 'extensionName']);
    expect(locales.de.extensionDescription).toContain('Teams');
    expect(locales.de.extensionDescription).not.toBe(locales.en.extensionDescription);
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../../manifest.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ default_locale: 'en', name: '__MSG_extensionName__', description: '__MSG_extensionDescription__' });
  });
});

describe('extension sources', () => {
  const files = sourceFiles(EXTENSION, ['.ts', '.tsx']).filter((f) => !f.startsWith('i18n/messages/') && !f.startsWith('build/'));
  const { hardCoded, unknownKeys } = sourceProblems(EXTENSION, files, new Set(Object.keys(en)));

  it('are found', () => {
    expect(files).toEqual(expect.arrayContaining(['popup/popup.tsx', 'options/mapping-section.tsx', 'background/badge.ts']));
  });

  it('show no hard-coded text', () => {
    expect(hardCoded).toEqual([]);
  });

  it('look up only keys that exist', () => {
    expect(unknownKeys).toEqual([]);
  });
});

describe('translator', () => {
  it('follows the setting, else the browser, else English', () => {
    expect(resolveLanguage('de', ['zh-CN'])).toBe('de');
    expect(resolveLanguage('auto', ['fr-FR', 'zh-Hans-CN'])).toBe('zh-CN');
    expect(resolveLanguage('auto', ['fr', 'ja'])).toBe('en');
  });

  it('fills placeholders and translates server error codes, naming unknown ones', () => {
    const t = translator('de');
    expect(t.t('popup.extensionNumber', { number: '1042' })).toBe('Nebenstelle 1042');
    // Sign-in and session codes come from the SDK's catalogue, in the extension's language.
    expect(t.errorText('session_revoked')).toBe('Sie wurden abgemeldet. Melden Sie sich erneut an.');
    expect(t.errorText('sso_user_unknown')).toContain('Nebenstelle');
    expect(t.errorText('brand_new_code')).toBe('Der Server hat ein Problem gemeldet (brand_new_code).');
    expect(translator('zh-CN').errorText('sign_in_failed', { reason: 'AADSTS50020' })).toBe('Microsoft 登录失败：AADSTS50020');
  });

  it('formats times with Intl in the chosen language', () => {
    const earlier = '2024-03-05T14:07:00Z';
    expect(translator('de').time(earlier)).toBe(new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(earlier)));
    expect(translator('zh-CN').time(earlier)).toContain('2024');
    const now = new Date().toISOString();
    expect(translator('en').time(now)).toBe(new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(new Date(now)));
  });
});
