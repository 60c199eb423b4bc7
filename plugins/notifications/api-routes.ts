/**
 * The notifications JSON API: the member's own lines (grouped as on the page, each re-checked
 * for access), newest first by keyset, and marking one read. Nobody reads or marks another
 * member's notifications: an id of someone else's answers the 404 of an unknown one.
 */
import { apiPageOf, apiPageQuery, apiQuery, HttpError, idParam, keysetPage, z, type RouteDef, type RucheContext } from '../../core';
import { NotificationsService } from './service';

const service = (ctx: RucheContext): NotificationsService => ctx.ruche.container.resolve(NotificationsService);

const line = z.object({
  id: z.number().int(),
  kind: z.string(),
  sentence: z.string(),
  href: z.string(),
  unread: z.boolean(),
  at: z.number(),
  actors: z.array(z.object({ id: z.number().int(), name: z.string() })),
});

/** Routes declared by the plugin's manifest, under its `notifications.use` capability. */
export function notificationsApiRoutes(capability: string): RouteDef[] {
  return [
    {
      name: 'notifications.api.list',
      method: 'GET',
      path: '/api/v1/notifications',
      capability,
      api: {
        summary: 'The viewer’s notifications in this network, newest first (at most the latest 500).',
        query: apiPageQuery,
        response: apiPageOf(line),
        page: 'notifications.list',
      },
      async handler(ctx) {
        const { limit, after } = apiQuery(ctx, apiPageQuery);
        const lines = (await service(ctx).lines(ctx.state.viewer!, ctx.state.network.id, ctx.state.locale, 500))
          .sort((a, b) => b.id - a.id)
          .filter((l) => !after || l.id < after)
          .slice(0, limit + 1)
          .map((l) => ({
            id: l.id,
            kind: l.kind,
            sentence: l.sentence,
            href: l.href,
            unread: l.unread,
            at: l.at,
            actors: l.actors.map((a) => ({ id: a.id, name: a.name })),
          }));
        return { json: keysetPage(ctx, lines, limit, (l) => l.id) };
      },
    },
    {
      name: 'notifications.api.read',
      method: 'POST',
      path: '/api/v1/notifications/:id/read',
      capability,
      api: {
        summary: 'Marks one notification line (and the notifications grouped with it) read.',
        status: 200,
        response: z.object({ id: z.number().int(), unread: z.literal(false) }),
      },
      async handler(ctx) {
        const s = service(ctx);
        const row = await s.find(ctx.state.viewer!.id, idParam(ctx));
        if (!row || Number(row.network_id) !== ctx.state.network.id) throw new HttpError(404, 'notifications.errors.notFound');
        await s.markGroupRead(row);
        return { json: { id: Number(row.id), unread: false } };
      },
    },
  ];
}
