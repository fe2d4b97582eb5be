/**
 * Outbound caller ids are sent on SIP trunks, which take digits with an optional leading `+`
 * (E.164 or a national number). Entra's business phones are free text written for people:
 * `+1 (425) 555-0100 ext. 23`, `tel:+44 20 7946 0958`.
 */
const EXTENSION_SUFFIX = /\s*(?:;ext=|\bext\.?|\bextension\b|\bx)\s*\d+\s*$/i;
const FORMATTING = /[\s\u00a0\-.()/]/g;
const DIALABLE = /^\+?\d{3,20}$/;

/** The number a PBX can send for `text` (formatting and an extension suffix removed), or null when it is not a phone number. */
export function callerIdFrom(text: string): string | null {
  const bare = text.trim().replace(/^tel:/i, '').replace(EXTENSION_SUFFIX, '').replace(FORMATTING, '');
  return DIALABLE.test(bare) ? bare : null;
}

export const CALLER_ID_FORMAT = 'digits with an optional leading + (spaces, dashes, dots and brackets are removed), e.g. +1 425 555 0100';
