import { z } from 'zod';
import { NUMBER_PROPERTIES } from '../../shared/directory.js';
import { AppError } from '../errors.js';
import { settingsRepo, type Store } from '../store/index.js';

/** Graph writes object ids in lower case; scopes compare them with its ids as they come. */
const guid = z
  .string()
  .regex(/^[0-9a-f-]{36}$/i, { message: 'must be an Entra object id (GUID)' })
  .toLowerCase();
const digitsString = z.string().regex(/^\d{1,15}$/, { message: 'must be 1–15 digits' });

/** Properties a number can be read from (SPEC §2); the list is shared with the admin page. */
export const numberProperties = NUMBER_PROPERTIES;

type Changes<T extends z.ZodRawShape> = { [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer Inner> ? Inner : T[K]> };

/**
 * The body of a settings save: every field optional and without its default. Defaults belong to
 * the stored document (a first save); a later save changes only the fields it names.
 */
function changesOf<T extends z.ZodRawShape>(schema: z.ZodObject<T>): z.ZodObject<Changes<T>, z.core.$strict> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional()]),
  );
  return z.strictObject(shape) as unknown as z.ZodObject<Changes<T>, z.core.$strict>;
}

const userScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('userType'), userTypes: z.array(z.enum(['Member', 'Guest'])).min(1) }),
  z.strictObject({ kind: z.literal('groups'), groupIds: z.array(guid).min(1).max(500) }),
  z.strictObject({ kind: z.literal('filter'), filter: z.string().trim().min(3).max(2000) }),
]);

const numbering = z.discriminatedUnion('kind', [
  z
    .strictObject({ kind: z.literal('auto'), start: digitsString, end: digitsString.optional() })
    .refine((n) => n.end === undefined || BigInt(n.end) >= BigInt(n.start), {
      message: 'end must not be below start',
      path: ['end'],
    }),
  z.strictObject({
    kind: z.literal('property'),
    property: z.enum(numberProperties),
    /** Keep only the last N digits (all digits when absent). */
    digits: z.number().int().min(2).max(15).optional(),
  }),
]);

export const userSyncSettings = z.strictObject({
  enabled: z.boolean().default(false),
  scope: userScope.default({ kind: 'all' }),
  numbering: numbering.default({ kind: 'auto', start: '1000', end: '9999' }),
  deleteWhen: z.strictObject({ disabled: z.boolean(), deleted: z.boolean() }).default({ disabled: true, deleted: true }),
  outOfScope: z.enum(['delete', 'release']).default('delete'),
  sameEmail: z.enum(['link', 'skip']).default('skip'),
  welcomeEmail: z.boolean().default(false),
  maxExtensions: z.number().int().min(1).max(1_000_000).default(1000),
  /**
   * Optional synced fields (SPEC §2). The caller id is the first business phone as a trunk sends it
   * (./caller-id.ts); one that is no phone number leaves it empty and is reported on the run.
   */
  businessPhoneAsCallerId: z.boolean().default(false),
  /** Profile photo as the extension's avatar (fetched after each run; a new optional field, so no version bump). */
  photoAsAvatar: z.boolean().default(false),
  /** Stop a run that would delete more than max(minimum, percent %) of synced extensions until confirmed. */
  deletionGuard: z
    .strictObject({ enabled: z.boolean(), minimum: z.number().int().min(0), percent: z.number().min(0).max(100) })
    .default({ enabled: true, minimum: 10, percent: 10 }),
});
export type UserSyncSettings = z.output<typeof userSyncSettings>;
/** A user-sync save (PUT body): the fields to change; omitted ones keep their stored value. */
export const userSyncChanges = changesOf(userSyncSettings);

const groupScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('types'), types: z.array(z.enum(['security', 'microsoft365'])).min(1) }),
  z.strictObject({ kind: z.literal('groups'), groupIds: z.array(guid).min(1).max(1000) }),
]);

export const groupSyncSettings = z.strictObject({
  enabled: z.boolean().default(false),
  scope: groupScope.default({ kind: 'all' }),
  outOfScope: z.enum(['delete', 'release']).default('delete'),
  maxGroups: z.number().int().min(1).max(10_000).default(63),
});
export type GroupSyncSettings = z.output<typeof groupSyncSettings>;
export const groupSyncChanges = changesOf(groupSyncSettings);

export interface SettingsKind<S extends z.ZodType> {
  kind: string;
  schema: S;
  version: number;
  /** Upgrades a stored document of an older version, one step at a time. */
  migrations: Record<number, (old: Record<string, unknown>) => Record<string, unknown>>;
}

export const USER_SYNC: SettingsKind<typeof userSyncSettings> = {
  kind: 'user-sync',
  schema: userSyncSettings,
  version: 2,
  // v1 had `deleteDisabled`/`deleteDeleted` booleans; v2 groups them under `deleteWhen`.
  migrations: {
    1: ({ deleteDisabled, deleteDeleted, ...rest }) => ({
      ...rest,
      deleteWhen: { disabled: deleteDisabled !== false, deleted: deleteDeleted !== false },
    }),
  },
};

export const GROUP_SYNC: SettingsKind<typeof groupSyncSettings> = {
  kind: 'group-sync',
  schema: groupSyncSettings,
  version: 1,
  migrations: {},
};

/** Reads a settings kind: defaults when never saved, stored versions upgraded, then validated. */
export async function readSettings<S extends z.ZodType>(store: Store, tenantId: string, kind: SettingsKind<S>): Promise<z.output<S>> {
  const stored = await settingsRepo(store.db).get(tenantId, kind.kind);
  let value = (stored?.value ?? {}) as Record<string, unknown>;
  for (let v = stored?.version ?? kind.version; v < kind.version; v++) {
    const step = kind.migrations[v];
    if (step) value = step(value);
  }
  const parsed = kind.schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('settings_invalid', `The stored ${kind.kind} settings are invalid; save them again.`, {
      fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

export async function hasSettings(store: Store, tenantId: string, kind: { kind: string }): Promise<boolean> {
  return (await settingsRepo(store.db).get(tenantId, kind.kind)) !== undefined;
}

export async function writeSettings<S extends z.ZodType>(store: Store, tenantId: string, kind: SettingsKind<S>, value: z.output<S>) {
  await settingsRepo(store.db).put(tenantId, kind.kind, kind.version, value);
}
