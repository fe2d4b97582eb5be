/** The PBX directory: extensions, their photos, extension groups and their members. */
import type { Flag } from './columns.js';

export interface ExtensionTable {
  id: string;
  tenant_id: string;
  number: string;
  first_name: string;
  last_name: string;
  display_name: string;
  email: string;
  mobile: string;
  business_phone: string;
  job_title: string;
  department: string;
  office: string;
  caller_id: string;
  avatar: string | null;
  source: string;
  entra_object_id: string | null;
  entra_tenant_id: string | null;
  user_principal_name: string | null;
  locked_fields: string;
  /**
   * Synced fields an admin changed locally (migration 014): column → the value Entra ID had set
   * then (JSON); NULL when none. A sync keeps such a change until Entra's value changes.
   */
  local_overrides: string | null;
  read_only: Flag;
  enabled: Flag;
  created_at: string;
  updated_at: string;
}

/** A synced user's profile photo (migration 009); `data` is base64. */
export interface ExtensionAvatarTable {
  extension_id: string;
  tenant_id: string;
  content_type: string;
  etag: string;
  data: string;
  updated_at: string;
}

export interface ExtensionGroupTable {
  id: string;
  tenant_id: string;
  name: string;
  source: string;
  entra_object_id: string | null;
  read_only: Flag;
  created_at: string;
  updated_at: string;
}

export interface ExtensionGroupMemberTable {
  tenant_id: string;
  group_id: string;
  extension_id: string;
}
