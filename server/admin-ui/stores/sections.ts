/** The page's sections, in navigation order; a section is listed once its API exists. */
export const SECTION_IDS = [
  'connection',
  'user-sync',
  'group-sync',
  'contacts',
  'presence',
  'sso',
  'schedule',
  'sync-log',
  'extensions',
  'groups',
  'webhooks',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];
