import type { Selectable } from 'kysely';
import { z } from 'zod';
import { AppError, errors } from '../errors.js';
import { fromFlag, newId, nowIso, toFlag, type ExtensionTable, type Store } from '../store/index.js';
import { publishEvent } from '../webhooks/index.js';
import { CALLER_ID_FORMAT, callerIdFrom } from './caller-id.js';
import { overridesAfterLocalChange, readOverrides } from './local-overrides.js';

export const extensionView = z.object({
  id: z.string(),
  number: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  displayName: z.string(),
  email: z.string(),
  mobile: z.string(),
  businessPhone: z.string(),
  jobTitle: z.string(),
  department: z.string(),
  office: z.string(),
  callerId: z.string(),
  source: z.enum(['entra', 'local']),
  entraObjectId: z.string().nullable(),
  lockedFields: z.array(z.string()),
  /** Synced fields changed here: kept until the value changes in Entra ID (local-overrides.ts). */
  overriddenFields: z.array(z.string()),
  readOnly: z.boolean(),
  enabled: z.boolean(),
});
export type ExtensionView = z.infer<typeof extensionView>;

type Row = Selectable<ExtensionTable>;

/** API field → column, for the fields an admin may edit. */
const COLUMNS = {
  number: 'number',
  firstName: 'first_name',
  lastName: 'last_name',
  displayName: 'display_name',
  email: 'email',
  mobile: 'mobile',
  businessPhone: 'business_phone',
  jobTitle: 'job_title',
  department: 'department',
  office: 'office',
  callerId: 'caller_id',
} as const;
const FIELD_OF_COLUMN = new Map<string, string>([...Object.entries(COLUMNS).map(([field, column]) => [column, field] as const), ['enabled', 'enabled']]);

export function toExtensionView(r: Row): ExtensionView {
  return {
    id: r.id,
    number: r.number,
    firstName: r.first_name,
    lastName: r.last_name,
    displayName: r.display_name,
    email: r.email,
    mobile: r.mobile,
    businessPhone: r.business_phone,
    jobTitle: r.job_title,
    department: r.department,
    office: r.office,
    callerId: r.caller_id,
    source: r.source === 'entra' ? 'entra' : 'local',
    entraObjectId: r.entra_object_id,
    lockedFields: z.array(z.string()).parse(JSON.parse(r.locked_fields)),
    overriddenFields: Object.keys(readOverrides(r.local_overrides)).map((column) => FIELD_OF_COLUMN.get(column) ?? column),
    readOnly: fromFlag(r.read_only),
    enabled: fromFlag(r.enabled),
  };
}

const text = z.string().trim().max(256);
/** Stored as the trunk will send it; empty = the PBX's default. */
const callerId = z
  .string()
  .trim()
  .max(64)
  .refine((value) => value === '' || callerIdFrom(value) !== null, { message: `must be a phone number: ${CALLER_ID_FORMAT}, or empty` })
  .overwrite((value) => callerIdFrom(value) ?? value);
export const extensionPatch = z.strictObject({
  number: z.string().regex(/^\d{1,15}$/, { message: 'must be 1–15 digits' }).optional(),
  firstName: text.optional(),
  lastName: text.optional(),
  displayName: text.optional(),
  email: z.union([z.email(), z.literal('')]).optional(),
  mobile: text.optional(),
  businessPhone: text.optional(),
  jobTitle: text.optional(),
  department: text.optional(),
  office: text.optional(),
  callerId: callerId.optional(),
  enabled: z.boolean().optional(),
});
export type ExtensionPatch = z.infer<typeof extensionPatch>;
export const extensionCreate = extensionPatch.required({ number: true });

async function row(store: Store, tenantId: string, id: string): Promise<Row> {
  const found = await store.db.selectFrom('extension').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!found) throw errors.notFound('Extension', id);
  return found;
}

export async function getExtension(store: Store, tenantId: string, id: string): Promise<ExtensionView> {
  return toExtensionView(await row(store, tenantId, id));
}

/** Ordered by number; `q` matches number prefix, name or email. */
export async function listExtensions(store: Store, tenantId: string, options: { limit: number; after?: [string, string] | undefined; q?: string | undefined; source?: 'entra' | 'local' | undefined }) {
  let query = store.db.selectFrom('extension').selectAll().where('tenant_id', '=', tenantId).orderBy('number').orderBy('id').limit(options.limit);
  if (options.source) query = query.where('source', '=', options.source);
  const q = options.q?.trim().toLowerCase();
  if (q) {
    const like = `%${q.replace(/[%_]/g, '')}%`;
    query = query.where((eb) => eb.or([eb('number', 'like', `${q.replace(/[%_]/g, '')}%`), eb('email', 'like', like), eb(eb.fn('lower', ['display_name']), 'like', like)]));
  }
  const after = options.after;
  if (after) query = query.where((eb) => eb.or([eb('number', '>', after[0]), eb.and([eb('number', '=', after[0]), eb('id', '>', after[1])])]));
  return (await query.execute()).map(toExtensionView);
}

function columnsOf(patch: ExtensionPatch): Record<string, string | number> {
  const changes: Record<string, string | number> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = patch[field as keyof typeof COLUMNS];
    if (value !== undefined) changes[column] = field === 'email' ? value.toLowerCase() : value;
  }
  if (patch.enabled !== undefined) changes.enabled = toFlag(patch.enabled);
  return changes;
}

async function ensureNumberFree(store: Store, tenantId: string, number: string, self?: string): Promise<void> {
  const owner = await store.db.selectFrom('extension').select('id').where('tenant_id', '=', tenantId).where('number', '=', number).executeTakeFirst();
  if (owner && owner.id !== self) throw new AppError('number_taken', `Extension number ${number} is already used.`, { fields: [{ path: 'body.number', message: 'choose a free number' }] });
}

/** SPEC §2: Entra owns the locked fields of a synced extension; read-only ones (sync paused/disabled) take no change. */
export async function patchExtension(store: Store, tenantId: string, id: string, patch: ExtensionPatch): Promise<ExtensionView> {
  const current = await row(store, tenantId, id);
  if (fromFlag(current.read_only)) {
    throw new AppError('extension_read_only', `Extension ${current.number} is read-only while its sync is paused or the integration is disabled.`, { hint: 'Resume sync, or disconnect with release to manage it locally.' });
  }
  const locked = new Set(z.array(z.string()).parse(JSON.parse(current.locked_fields)));
  const blocked = Object.keys(patch).filter((f) => locked.has(f) && patch[f as keyof ExtensionPatch] !== undefined);
  if (blocked.length > 0) {
    const callerId = blocked.includes('callerId');
    throw new AppError('extension_field_locked', `Extension ${current.number} is synced from Entra ID; ${blocked.join(', ')} can only be changed there.`, {
      fields: blocked.map((f) => ({ path: `body.${f}`, message: f === 'callerId' ? "follows the user's business phone (user sync: businessPhoneAsCallerId)" : 'synced from Entra ID' })),
      hint: `Change the user in Entra ID; the next sync brings the change here.${callerId ? ' To set caller ids here instead, switch businessPhoneAsCallerId off in the user sync settings.' : ''}`,
    });
  }
  if (patch.number !== undefined) await ensureNumberFree(store, tenantId, patch.number, id);
  const changes = columnsOf(patch);
  if (Object.keys(changes).length === 0) return toExtensionView(current);
  // A synced extension keeps the change until the value changes in Entra ID.
  const overrides = current.entra_object_id === null ? {} : { local_overrides: overridesAfterLocalChange(current, changes) };
  return store.db.transaction().execute(async (trx) => {
    await trx.updateTable('extension').set({ ...changes, ...overrides, updated_at: nowIso() }).where('id', '=', id).execute();
    const view = toExtensionView(await trx.selectFrom('extension').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    await publishEvent(trx, tenantId, 'extension.updated', view);
    return view;
  });
}

/** A local extension (the PBX's own). */
export async function createExtension(store: Store, tenantId: string, input: z.infer<typeof extensionCreate>): Promise<ExtensionView> {
  await ensureNumberFree(store, tenantId, input.number);
  const id = newId();
  const now = nowIso();
  const c = columnsOf(input);
  const str = (k: string) => String(c[k] ?? '');
  const values = {
    id, tenant_id: tenantId, number: input.number, first_name: str('first_name'), last_name: str('last_name'),
    display_name: str('display_name'), email: str('email'), mobile: str('mobile'), business_phone: str('business_phone'),
    job_title: str('job_title'), department: str('department'), office: str('office'), caller_id: str('caller_id'),
    avatar: null, source: 'local', entra_object_id: null, entra_tenant_id: null, user_principal_name: null,
    locked_fields: '[]', local_overrides: null, read_only: 0 as const, enabled: toFlag(input.enabled ?? true), created_at: now, updated_at: now,
  };
  const view = toExtensionView(values);
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('extension').values(values).execute();
    await publishEvent(trx, tenantId, 'extension.created', view);
  });
  return view;
}
