/** Webhooks to the PBX: endpoints and their deliveries. */
import type { Flag } from './columns.js';

export interface WebhookEndpointTable {
  id: string;
  tenant_id: string;
  url: string;
  secret: string;
  events: string;
  enabled: Flag;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryTable {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  attempt: number;
  status: string;
  next_attempt_at: string | null;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}
