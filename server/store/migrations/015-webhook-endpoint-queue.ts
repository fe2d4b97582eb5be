import type { AnyDb, DialectMigration } from './types.js';

/** Each endpoint's deliveries are sent oldest first, one at a time: an index finds an endpoint's next. */
export const webhookEndpointQueue: DialectMigration = () => ({
  async up(db: AnyDb) {
    await db.schema.createIndex('webhook_delivery_endpoint_due_ix').on('webhook_delivery').columns(['endpoint_id', 'status', 'next_attempt_at']).execute();
  },
});
