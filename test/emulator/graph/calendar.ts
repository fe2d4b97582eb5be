import type { Router } from '../http/router.js';
import { textOf } from '../http/types.js';
import { outlookId } from '../state/ids.js';
import type { EventData, ShowAs } from '../state/mailbox.js';
import { makeEvent } from '../state/mailbox-seed.js';
import { bodyObject, collection, noContent, ok, type GraphCtx } from './context.js';
import { badRequest } from './errors.js';
import { itemNotFound, outlookPage, resolveMailbox, withEtag } from './outlook.js';
import { PERMS, requirePermission } from './permissions.js';

/** Event times are stored as UTC wall-clock strings without offset. */
const ms = (dt: { dateTime: string }): number => Date.parse(`${dt.dateTime.slice(0, 19)}Z`);

function parseWhen(raw: string | null, name: string): number {
  const t = raw ? Date.parse(/Z|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`) : NaN;
  if (Number.isNaN(t)) badRequest(`This request requires a time window specified by the query string parameters StartDateTime and EndDateTime. (${name})`, 'ErrorInvalidParameter');
  return t;
}

function calendarView(ctx: GraphCtx, id: string): ReturnType<typeof collection> {
  const { box } = resolveMailbox(ctx, id, PERMS.calendarRead);
  const start = parseWhen(ctx.req.query.get('startDateTime'), 'startDateTime');
  const end = parseWhen(ctx.req.query.get('endDateTime'), 'endDateTime');
  const events = [...box.events.values()].filter((e) => ms(e.start) < end && ms(e.end) > start).sort((a, b) => ms(a.start) - ms(b.start));
  return outlookPage(ctx, events, `users('${id}')/calendarView`, withEtag);
}

const SHOW_AS = new Set(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']);

function createEvent(ctx: GraphCtx, id: string): ReturnType<typeof ok> {
  const { user, box } = resolveMailbox(ctx, id, PERMS.calendarWrite);
  const body = bodyObject(ctx);
  const start = body.start as { dateTime?: string } | undefined;
  const end = body.end as { dateTime?: string } | undefined;
  if (!start?.dateTime || !end?.dateTime) badRequest('start and end are required.', 'ErrorInvalidRequest');
  const showAs = typeof body.showAs === 'string' && SHOW_AS.has(body.showAs) ? (body.showAs as ShowAs) : 'busy';
  const ev = makeEvent(outlookId(), textOf(body.subject), ms({ dateTime: start?.dateTime ?? '' }), ms({ dateTime: end?.dateTime ?? '' }), showAs, body.isAllDay === true, user, ctx.svc.state.clock.now());
  ctx.svc.state.mailboxes.upsertEvent(box, ev, true);
  return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#users('${id}')/events/$entity`, ...withEtag(ev) }, 201);
}

/** availabilityView digits: 0 free, 1 tentative, 2 busy, 3 oof, 4 workingElsewhere. */
const DIGIT: Record<string, number> = { free: 0, tentative: 1, busy: 2, oof: 3, workingElsewhere: 4, unknown: 0 };
/** When events overlap in one slot the strongest wins. */
const STRENGTH: Record<number, number> = { 0: 0, 1: 1, 4: 2, 2: 3, 3: 4 };

function schedule(ctx: GraphCtx, events: EventData[], start: number, end: number, interval: number): Record<string, unknown> {
  const inWindow = events.filter((e) => ms(e.start) < end && ms(e.end) > start && !e.isCancelled);
  let view = '';
  for (let t = start; t < end; t += interval * 60_000) {
    let digit = 0;
    for (const e of inWindow) {
      const d = DIGIT[e.showAs] ?? 0;
      if (ms(e.start) < t + interval * 60_000 && ms(e.end) > t && (STRENGTH[d] ?? 0) > (STRENGTH[digit] ?? 0)) digit = d;
    }
    view += String(digit);
  }
  return {
    availabilityView: view,
    scheduleItems: inWindow.map((e) => ({ isPrivate: false, status: e.showAs, subject: e.subject, location: e.location.displayName, start: e.start, end: e.end })),
    workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'UTC' } },
  };
}

function getSchedule(ctx: GraphCtx, id: string): ReturnType<typeof collection> {
  requirePermission(ctx.auth, PERMS.calendarRead);
  resolveMailbox(ctx, id, PERMS.calendarRead);
  const body = bodyObject(ctx);
  const start = parseWhen((body.startTime as { dateTime?: string } | undefined)?.dateTime ?? null, 'startTime');
  const end = parseWhen((body.endTime as { dateTime?: string } | undefined)?.dateTime ?? null, 'endTime');
  const interval = typeof body.availabilityViewInterval === 'number' ? body.availabilityViewInterval : 30;
  if (interval < 5 || interval > 1440) badRequest('availabilityViewInterval must be between 5 and 1440.', 'ErrorInvalidParameter');
  const schedules = Array.isArray(body.schedules) ? body.schedules.map(String) : badRequest('schedules is required.', 'ErrorInvalidParameter');
  const value = schedules.map((smtp) => {
    const u = ctx.svc.state.directory.findUser(smtp);
    if (!u || !u.mailbox.enabled) return { scheduleId: smtp, error: { message: `The user ${smtp} was not found.`, responseCode: 'ErrorMailRecipientNotFound' } };
    return { scheduleId: smtp, ...schedule(ctx, [...ctx.svc.state.mailboxes.get(u).events.values()], start, end, interval) };
  });
  return collection(ctx, 'Collection(microsoft.graph.scheduleInformation)', value);
}

export function registerCalendar(r: Router<GraphCtx>): void {
  for (const prefix of ['/v1.0/users/:id', '/v1.0/users/:id/calendar']) {
    r.get(`${prefix}/calendarView`, (ctx, p) => calendarView(ctx, p.id ?? ''));
    r.get(`${prefix}/events`, (ctx, p) => {
      const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.calendarRead);
      return outlookPage(ctx, [...box.events.values()], `users('${p.id ?? ''}')/events`, withEtag);
    });
    r.post(`${prefix}/events`, (ctx, p) => createEvent(ctx, p.id ?? ''));
    r.delete(`${prefix}/events/:eid`, (ctx, p) => {
      const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.calendarWrite);
      const ev = box.events.get(p.eid ?? '') ?? itemNotFound();
      ctx.svc.state.mailboxes.deleteEvent(box, ev);
      return noContent(ctx);
    });
  }
  r.post('/v1.0/users/:id/calendar/getSchedule', (ctx, p) => getSchedule(ctx, p.id ?? ''));
}
