import { parsePhone } from '../../shared/phone.js';
import type { EntraUser } from './entra.js';
import type { UserSyncSettings } from './settings.js';

export type NumberResult = { ok: true; number: string } | { ok: false; reason: string; hint: string };

/** The raw value of the number property: the first business phone, or the named attribute. */
function propertyValue(user: EntraUser, property: string): string | null | undefined {
  if (property === 'businessPhones') return user.businessPhones[0];
  if (property === 'mobilePhone') return user.mobilePhone;
  if (property === 'employeeId') return user.employeeId;
  return user.onPremisesExtensionAttributes?.[property];
}

/**
 * The text the digits are read from. A phone property may end in an extension (`ext. 23`, `x23`,
 * `;ext=23`): it is dropped, or its digits would run on from the main number's.
 */
function mainNumber(property: string, raw: string): string {
  if (property !== 'businessPhones' && property !== 'mobilePhone') return raw;
  return parsePhone(raw)?.number ?? raw;
}

/** Property numbering: digits only (of a phone's main number), then the last N digits. */
export function numberFromProperty(
  user: EntraUser,
  numbering: Extract<UserSyncSettings['numbering'], { kind: 'property' }>,
): NumberResult {
  const raw = propertyValue(user, numbering.property);
  const hint = `Set ${numbering.property} of this user in Entra ID to the extension number.`;
  if (!raw) return { ok: false, reason: `${numbering.property} is empty`, hint };
  const digits = mainNumber(numbering.property, raw).replace(/\D/g, '');
  if (digits.length === 0) return { ok: false, reason: `${numbering.property} '${raw}' has no digits`, hint };
  const want = numbering.digits;
  if (want !== undefined && digits.length < want) {
    return { ok: false, reason: `${numbering.property} '${raw}' has fewer than ${want} digits`, hint };
  }
  const number = want === undefined ? digits : digits.slice(-want);
  if (number.length > 15) return { ok: false, reason: `${numbering.property} '${raw}' is longer than 15 digits`, hint };
  return { ok: true, number };
}
