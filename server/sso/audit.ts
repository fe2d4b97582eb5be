import { AppError } from '../errors.js';
import { auditRepo, type Store } from '../store/index.js';
import { isSsoRefusal } from './errors.js';

export interface AuditContext {
  tenantId: string;
  /** Which entry point: `token`, `web`, `refresh`, `session`, `logout`. */
  flow: string;
  ip: string;
}

/** Records a sign-in event; actor is the extension when known. */
export async function auditSso(store: Store, ctx: AuditContext, action: string, extensionId: string | undefined, details: Record<string, unknown> = {}) {
  await auditRepo(store.db).record({
    tenantId: ctx.tenantId,
    actor: extensionId ? `user:${extensionId}` : 'sso',
    action,
    target: JSON.stringify(extensionId ? { extensionId } : {}),
    details: { flow: ctx.flow, ...details },
    ip: ctx.ip,
  });
}

/** Runs a sign-in step; every refusal leaves an `sso.refused` audit entry with its code, then propagates. */
export async function audited<T>(store: Store, ctx: AuditContext, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!isSsoRefusal(error)) throw error;
    await auditRefusal(store, ctx, error);
    throw forCaller(error);
  }
}

/** Which extension a refused sign-in concerned is for the audit log (and the admin), not for the caller. */
function forCaller(error: AppError): AppError {
  if (!error.details || !('extensionId' in error.details)) return error;
  const { extensionId: _extensionId, ...details } = error.details;
  return new AppError(error.code, error.message, details, { cause: error });
}

async function auditRefusal(store: Store, ctx: AuditContext, error: AppError): Promise<void> {
  const extensionId = typeof error.details?.extensionId === 'string' ? error.details.extensionId : undefined;
  const action = error.code === 'session_refresh_reused' ? 'sso.refresh_reused' : 'sso.refused';
  const { hint: _hint, ...details } = error.details ?? {};
  await auditSso(store, ctx, action, extensionId, { code: error.code, ...details });
}
