import { z } from 'zod';
import { getScheduleSettings, putScheduleSettings, scheduleSettings, scheduleStatus } from '../../jobs/index.js';
import { adminTenant } from '../auth.js';
import type { RouteModule } from '../context.js';

const tags = ['settings'];
const status = z.object({
  nextScheduledSync: z.string().nullable(),
  changeTracking: z.enum(['notifications', 'polling', 'off']),
});

/** Schedule settings (scheduled and change-triggered sync) and where they stand. */
export const jobRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/settings/schedule',
    { config: { admin: true }, schema: { tags, summary: 'Scheduled and change-triggered sync', response: { 200: scheduleSettings } } },
    (request) => getScheduleSettings(ctx.store, adminTenant(request)),
  );
  app.put(
    '/api/v1/settings/schedule',
    {
      config: { admin: true },
      schema: { tags, summary: 'Save the schedule (missing fields take their defaults)', body: scheduleSettings, response: { 200: scheduleSettings } },
    },
    (request) => putScheduleSettings(ctx.store, adminTenant(request), request.body),
  );
  app.get(
    '/api/v1/settings/schedule/status',
    { config: { admin: true }, schema: { tags, summary: 'Next scheduled sync and how changes arrive now', response: { 200: status } } },
    (request) => scheduleStatus(ctx.store, adminTenant(request)),
  );
};
