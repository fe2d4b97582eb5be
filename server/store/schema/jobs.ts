/** The embedded job runner: queued and running jobs, cron schedules. */

/** A queued or running job of the embedded runner (finished jobs are deleted; failed ones stay). */
export interface JobTable {
  id: string;
  tenant_id: string;
  name: string;
  /** Jobs sharing a key never run at the same time; a queued one absorbs later requests. */
  singleton_key: string | null;
  payload: string;
  /** `queued` | `active` | `failed`. */
  state: string;
  run_at: string;
  attempt: number;
  retry_limit: number;
  last_error: string | null;
  created_at: string;
  started_at: string | null;
}

/** A cron schedule of the embedded runner, evaluated in its IANA time zone. */
export interface JobScheduleTable {
  tenant_id: string;
  name: string;
  pattern: string;
  time_zone: string;
  singleton_key: string | null;
  payload: string;
  next_run_at: string;
  updated_at: string;
}
