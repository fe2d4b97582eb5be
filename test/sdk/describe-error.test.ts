import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUcBridgeError, describeError, errorSentence, SdkErrorCodes, UcBridgeError } from '../../sdk/index.js';

describe('describeError', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('describes SDK and server codes in the language asked for, matching regional tags', () => {
    const offline = createUcBridgeError(SdkErrorCodes.networkError, 'fetch failed');
    expect(describeError(offline, 'en')).toBe('The server cannot be reached. Check the address and your connection, then try again.');
    expect(describeError(new UcBridgeError('sso_user_unknown', 'x', { status: 403 }), 'de-AT')).toBe(
      'Ihr Microsoft-Konto ist mit keiner Nebenstelle dieser Telefonanlage verknüpft.',
    );
    expect(describeError(new UcBridgeError('session_revoked', 'x'), ['fr', 'zh-Hans-CN'])).toBe('您已被注销。请重新登录。');
  });

  it('keeps the code stable and language-neutral', () => {
    const error = new UcBridgeError('session_expired', 'The session expired.');
    describeError(error, 'de');
    expect(error.code).toBe('session_expired');
    expect(error.message).toBe('The session expired.');
  });

  it('follows navigator.languages without a locale, and falls back to English', () => {
    const error = new UcBridgeError('rate_limited', 'x');
    vi.stubGlobal('navigator', { languages: ['ja', 'de-CH'] });
    expect(describeError(error)).toBe('Zu viele Versuche. Warten Sie eine Minute und versuchen Sie es dann erneut.');
    vi.stubGlobal('navigator', { languages: ['ja', 'fr'] });
    expect(describeError(error)).toBe('Too many attempts. Wait a minute, then try again.');
    expect(describeError(error, 'pt-BR')).toBe('Too many attempts. Wait a minute, then try again.');
  });

  it('gives a generic sentence for unknown codes, inherited property names and non-SDK errors', () => {
    const generic = 'Something went wrong. Try again; if it keeps happening, tell your administrator.';
    expect(describeError(new UcBridgeError('brand_new_code', 'x'), 'en')).toBe(generic);
    expect(describeError(new UcBridgeError('toString', 'x'), 'en')).toBe(generic);
    expect(describeError(new Error('boom'), 'en')).toBe(generic);
    expect(describeError(new UcBridgeError('extension_synced', 'x'), 'zh-CN')).toBe('出现问题。请重试；如果问题仍然存在，请联系管理员。');
  });

  it('gives apps with their own texts the sentence for a code, or nothing to fall back from', () => {
    expect(errorSentence('session_revoked', 'de')).toBe(describeError(new UcBridgeError('session_revoked', 'x'), 'de'));
    expect(errorSentence('brand_new_code', 'de')).toBeUndefined();
    expect(errorSentence('toString', 'en')).toBeUndefined();
  });
});
