import { DEFAULT_TENANT, newId, nowIso, type ExtensionTable } from '../../server/store/index.js';

/**
 * A complete `extension` row for tests that seed the store directly: a local extension with empty
 * fields, overridden by what the test cares about (an Entra link, names, number…).
 */
export function extensionRow(overrides: Partial<ExtensionTable> & Pick<ExtensionTable, 'number'>): ExtensionTable {
  const now = nowIso();
  return {
    id: newId(),
    tenant_id: DEFAULT_TENANT,
    first_name: '',
    last_name: '',
    display_name: '',
    email: '',
    mobile: '',
    business_phone: '',
    job_title: '',
    department: '',
    office: '',
    caller_id: '',
    avatar: null,
    source: 'local',
    entra_object_id: null,
    entra_tenant_id: null,
    user_principal_name: null,
    locked_fields: '[]',
    local_overrides: null,
    read_only: 0,
    enabled: 1,
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}
