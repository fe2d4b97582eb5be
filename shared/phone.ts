/**
 * Phone numbers as people write them in Entra ID and Outlook (`+1 (425) 555-0100 ext. 23`,
 * `tel:+44 20 7946 0958`), read as what a trunk or a phone app can dial: digits with an optional
 * leading `+`, and the extension to dial after connecting. Pure and browser-safe: the server's
 * caller ids and the browser extension's click-to-dial links share it.
 */
export interface DialableNumber {
  number: string;
  /** Digits after an `x`, `ext.`, `extension` or `;ext=` suffix, or null. */
  extension: string | null;
}

const EXTENSION_SUFFIX = /\s*(?:;ext=|\bext\.?|\bextension\b|\bx)\s*(\d+)\s*$/i;
const FORMATTING = /[\s\u00a0\-.()/]/g;
/** `+49 (0)30 …`: the national trunk prefix shown after the country code, never dialled with it. */
const TRUNK_ZERO = /^(\+\d{1,3})[\s\u00a0]*\(0\)/;
const DIALABLE = /^\+?\d{3,20}$/;

/** The dialable form of `text`, or null when it is no phone number (`n/a`, `tbd`, `+`). */
export function parsePhone(text: string): DialableNumber | null {
  const trimmed = text.trim().replace(/^tel:/i, '');
  const suffix = EXTENSION_SUFFIX.exec(trimmed);
  const number = (suffix ? trimmed.slice(0, suffix.index) : trimmed).replace(TRUNK_ZERO, '$1').replace(FORMATTING, '');
  return DIALABLE.test(number) ? { number, extension: suffix?.[1] ?? null } : null;
}
