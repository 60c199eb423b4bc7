/**
 * Printable name badges for an event (with the events plugin, an optional integration): its
 * organisers print a sheet with each attendee's name and current QR code. The events plugin
 * says who attends and whether the viewer organises (`events:attendeesForOrganiser`); an
 * attendee who turned the feature off gets a badge without a code.
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
import type {} from '../events/hooks';
import { shownCode } from './codes';
import { qrDataUrl } from './qr';
import { ConnectService } from './service';

const attendeesOf = (ctx: RucheContext, eventId: number) => ctx.ruche.hooks.filter('events:attendeesForOrganiser', null, { ctx, eventId });

export function badgesRoute(capability: string): RouteDef {
  return {
    name: 'connect.badges',
    method: 'GET',
    path: '/connect/badges/:id',
    capability,
    async handler(ctx) {
      const list = await attendeesOf(ctx, idParam(ctx));
      if (!list) throw new HttpError(404, 'connect.error.noEvent');
      const codes = await ctx.ruche.container.resolve(ConnectService).codesOf(
        list.attendees.map((a) => a.id),
        ctx.state.network.id,
      );
      const badges = [];
      for (const a of list.attendees) {
        const code = codes.get(a.id);
        badges.push({ ...a, code: code ? shownCode(code) : '', qr: code ? await qrDataUrl(ctx, code) : '' });
      }
      return titledPage(ctx, 'connect/badges', 'connect.badges.title', { event: list, badges }, { title: list.title });
    },
  };
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
