import { describe, expect, it } from 'vitest';
import { dialHref } from '../../extension/popup/contact-search.js';
import { parsePhone } from '../../shared/phone.js';

// The popup dials what the server read (a contact's `dial`, from shared/phone.ts): read it the same way here.
describe('click-to-dial links', () => {
  it.each([
    ['tel', '+49 (30) 1234-567', 'tel:+49301234567'],
    ['sip', '+49 (30) 1234-567', 'sip:+49301234567'],
    // RFC 3966 carries the extension; a SIP URI cannot, so the call reaches the main number.
    ['tel', '+1 425 555 0142 x23', 'tel:+14255550142;ext=23'],
    ['sip', '+1 425 555 0142 ext. 23', 'sip:+14255550142'],
    ['tel', '*31#', 'tel:*31#'],
    ['sip', '22', 'sip:22'],
  ] as const)('%s: %j → %j', (scheme, text, href) => {
    expect(dialHref(scheme, text, parsePhone(text))).toBe(href);
  });

  it('gives no link for text with nothing to dial', () => {
    expect(dialHref('tel', 'n/a', parsePhone('n/a'))).toBeNull();
  });
});
