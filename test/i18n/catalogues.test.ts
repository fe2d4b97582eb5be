import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pickLanguage } from '../../shared/languages.js';
import { de } from '../../server/admin-ui/i18n/messages/de.js';
import { en } from '../../server/admin-ui/i18n/messages/en.js';
import { zhCN } from '../../server/admin-ui/i18n/messages/zh-CN.js';
import { ErrorCodes } from '../../server/errors.js';
import { SSO_ERROR_CODES } from '../../server/sso/errors.js';
import { SdkErrorCodes } from '../../sdk/errors.js';
import { de as sdkDe } from '../../sdk/i18n/de.js';
import { en as sdkEn } from '../../sdk/i18n/en.js';
import { zhCN as sdkZhCN } from '../../sdk/i18n/zh-CN.js';
import {
  catalogueProblems,
  fromChromeMessages,
  hardCodedStringsIn,
  inconsistentTerms,
  sourceFiles,
  sourceProblems,
  unknownKeysIn,
} from '../support/i18n-check.js';

const ADMIN_UI = fileURLToPath(new URL('../../server/admin-ui/', import.meta.url));
const catalogues = { en, de, 'zh-CN': zhCN };

describe('admin page catalogues', () => {
  it('have every key of the English catalogue, no extra keys, no empty texts, the same placeholders', () => {
    expect(catalogueProblems(catalogues, 'en')).toEqual([]);
  });

  it('are really translated (German and Chinese differ from English in most texts)', () => {
    for (const catalogue of [de, zhCN]) {
      const same = Object.keys(en).filter((k) => en[k as keyof typeof en] === catalogue[k as keyof typeof en]);
      expect(same.length / Object.keys(en).length).toBeLessThan(0.1);
    }
  });

  it('name every extension status and every integration status in each language', () => {
    for (const status of ['available', 'away', 'business_trip', 'do_not_disturb', 'lunch', 'off_work', 'no_change']) {
      for (const catalogue of Object.values(catalogues)) expect(catalogue).toHaveProperty(`presenceStatus.${status}`);
    }
  });
});

/** Server codes (besides every sign-in and session code) that a signed-in user can meet through the SDK. */
const USER_FACING_SERVER_CODES = ['validation_failed', 'malformed_json', 'rate_limited', 'not_found', 'route_not_found', 'internal_error', 'not_ready'];

describe('SDK error catalogues', () => {
  const sdkCatalogues = { en: sdkEn, de: sdkDe, 'zh-CN': sdkZhCN };

  it('have every key of the English catalogue, no extra keys, no empty texts, the same placeholders', () => {
    expect(catalogueProblems(sdkCatalogues, 'en')).toEqual([]);
  });

  it('are really translated (German and Chinese differ from English in every text)', () => {
    for (const catalogue of [sdkDe, sdkZhCN]) {
      expect(Object.entries(sdkEn).filter(([key, text]) => catalogue[key as keyof typeof sdkEn] === text)).toEqual([]);
    }
  });

  it('have a sentence for every SDK code, every sign-in and session code and every listed server code', () => {
    const serverCodes = Object.keys(ErrorCodes);
    for (const code of USER_FACING_SERVER_CODES) expect(serverCodes).toContain(code);
    const codes = [...Object.values(SdkErrorCodes), ...Object.keys(SSO_ERROR_CODES), ...USER_FACING_SERVER_CODES];
    expect(codes.filter((code) => !(code in sdkEn))).toEqual([]);
    expect(Object.keys(sdkEn).filter((key) => key !== 'unknown_error' && !codes.includes(key))).toEqual([]);
  });
});

describe('admin page sources', () => {
  const files = sourceFiles(ADMIN_UI, ['.ts', '.tsx']).filter((f) => !f.startsWith('i18n/messages/'));
  const { hardCoded, unknownKeys } = sourceProblems(ADMIN_UI, files, new Set(Object.keys(en)));

  it('are found', () => {
    expect(files).toContain('app.tsx');
    expect(files.filter((f) => f.endsWith('.tsx')).length).toBeGreaterThan(5);
  });

  it('show no hard-coded text: every string people read comes from a catalogue', () => {
    expect(hardCoded).toEqual([]);
  });

  it('look up only keys that exist', () => {
    expect(unknownKeys).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('report missing, extra, empty and placeholder-mismatched entries', () => {
    const problems = catalogueProblems(
      { en: { a: 'A {n}', b: 'B', c: 'C' }, de: { a: 'A', b: '', x: 'X' } },
      'en',
    );
    expect(problems).toEqual([
      { language: 'de', key: 'a', problem: 'placeholders differ' },
      { language: 'de', key: 'b', problem: 'empty' },
      { language: 'de', key: 'c', problem: 'missing' },
      { language: 'de', key: 'x', problem: 'extra' },
    ]);
  });

  it('find text, readable attributes and literal expressions in JSX, but not keys or class names', () => {
    const source = [
      'export const A = () => (',
      '  <div class="card" aria-label="Close dialog">',
      '    Hello there',
      "    {busy ? 'Saving' : t('common.save')}",
      '    <input placeholder={t("x")} title={`Total ${n}`} />',
      "    {t('shell.product')} · {count}",
      "    {status === 'connected' && <b>{name ?? 'Nobody'}</b>}",
      '  </div>',
      ');',
    ].join('\n');
    expect(hardCodedStringsIn(source).map((f) => [f.line, f.text])).toEqual([
      [2, '"Close dialog"'],
      [3, 'Hello there'],
      [4, "'Saving'"],
      [5, '`Total ${n}`'],
      [7, "'Nobody'"],
    ]);
  });

  it('find translate calls with keys no catalogue has', () => {
    const found = unknownKeysIn("i18n.t('known'); t('missing.key'); other('x')", new Set(['known']));
    expect(found.map((f) => f.text)).toEqual(['missing.key']);
  });

  it('read extension _locales catalogues and compare shared terms', () => {
    const ext = fromChromeMessages({ statusAway: { message: 'Away' } });
    expect(inconsistentTerms(ext, en, [['statusAway', 'presenceStatus.away']])).toEqual([]);
    expect(inconsistentTerms(ext, de, [['statusAway', 'presenceStatus.away']])).toHaveLength(1);
  });
});

describe('language choice', () => {
  it('prefers the saved setting, then the browser languages in order, then English', () => {
    expect(pickLanguage('de', ['zh-CN'])).toBe('de');
    expect(pickLanguage(null, ['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(pickLanguage(null, ['zh-Hans-CN'])).toBe('zh-CN');
    expect(pickLanguage('xx', ['fr', 'ja'])).toBe('en');
  });
});
