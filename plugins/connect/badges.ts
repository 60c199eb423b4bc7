/**
 * Printable name badges for an event (with the events plugin, an optional integration): its
 * organisers print a sheet with each attendee's name and current QR code. The events plugin
 * says who attends and whether the viewer organises (`events:attendeesForOrganiser`); an
 * attendee who turned the feature off gets a badge without a code. The sheet shows the codes
 * attendees have (reading only); a button issues the missing ones (a POST) before printing.
 */
import {
  idParam,
  link,
  t,
  titledPage,
  HttpError,
  type EntityAction,
  type EntityRef,
  type RouteDef,
  type RucheContext,
  type Viewer,
} from '../../core';
import type { OrganiserAttendees } from '../events/hooks';
import { shownCode } from './codes';
import { qrDataUrl } from './qr';
import { badgeNeed, ConnectService } from './service';

const attendeesOf = (ctx: RucheContext, eventId: number) => ctx.ruche.hooks.filter('events:attendeesForOrganiser', null, { ctx, eventId });

/** The event's attendees, for its organisers only (else a 404). */
async function organisedAttendees(ctx: RucheContext): Promise<OrganiserAttendees> {
  const list = await attendeesOf(ctx, idParam(ctx));
  if (!list) throw new HttpError(404, 'connect.error.noEvent');
  return list;
}

export function badgesRoutes(capability: string): RouteDef[] {
  return [
    {
      name: 'connect.badges',
      method: 'GET',
      path: '/connect/badges/:id',
      capability,
      async handler(ctx) {
        const list = await organisedAttendees(ctx);
        const s = ctx.ruche.container.resolve(ConnectService);
        const ids = list.attendees.map((a) => a.id);
        // Only a code that works until the event ends is printed: a badge outlives the day's code.
        const now = Date.now();
        const [codes, off] = await Promise.all([
          s.codesOf(ids, ctx.state.network.id, now, badgeNeed(list.endsAt, now)),
          s.offAmong(ids, ctx.state.network.id),
        ]);
        const badges = [];
        for (const a of list.attendees) {
          const code = codes.get(a.id);
          badges.push({ ...a, off: off.has(a.id), code: code ? shownCode(code) : '', qr: code ? await qrDataUrl(ctx, code) : '' });
        }
        const missing = badges.filter((b) => !b.off && !b.code).length;
        return titledPage(ctx, 'connect/badges', 'connect.badges.title', { event: list, badges, missing }, { title: list.title });
      },
    },
    {
      // Codes for the attendees going without one: the sheet can then be printed whole. Twice is as once.
      name: 'connect.badges.issue',
      method: 'POST',
      path: '/connect/badges/:id/codes',
      capability,
      async handler(ctx) {
        const list = await organisedAttendees(ctx);
        const now = Date.now();
        const count = await ctx.ruche.container.resolve(ConnectService).issueMissing(
          list.attendees.map((a) => a.id),
          ctx.state.network.id,
          badgeNeed(list.endsAt, now),
          now,
        );
        return { redirect: link(ctx, 'connect.badges', { id: list.eventId }), flash: { key: 'connect.badges.issued', params: { count } } };
      },
    },
  ];
}

/** "Print name badges" in the actions menu of an event's own page, for its organisers. */
export async function badgeActions(
  actions: EntityAction[],
  c: { ctx: RucheContext; viewer: Viewer; entities: EntityRef[]; mode: 'feed' | 'page' },
): Promise<EntityAction[]> {
  if (c.mode !== 'page') return actions;
  const out = [...actions];
  for (const e of c.entities.filter((x) => x.type === 'event')) {
    if (await attendeesOf(c.ctx, e.id))
      out.push({
        entityId: e.id,
        id: 'connect-badges',
        label: t(c.ctx, 'connect.badges.action'),
        href: link(c.ctx, 'connect.badges', { id: e.id }),
        order: 60,
      });
  }
  return out;
}
