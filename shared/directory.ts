/**
 * The user properties an extension number can be read from (SPEC §2), shared by the server's
 * directory settings and the admin page's picker. Pure and browser-safe.
 */
export const NUMBER_PROPERTIES = [
  'businessPhones',
  'mobilePhone',
  'employeeId',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}` as const),
] as const;
export type NumberProperty = (typeof NUMBER_PROPERTIES)[number];
