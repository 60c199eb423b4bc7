/**
 * How this plugin's own entities look in a feed (the `activity:describe` filter): status
 * posts (text with links, mentions, hashtags), "joined the network" and "are now
 * connected". One query for a whole page's posts, whatever its size.
 */
import { here, link, renderPlainText, type RucheContext, type Viewer } from '../../core';
import type { FeedEntry } from './hooks';
import { STATUS, StatusService } from './service';

export const MEMBERSHIP = 'membership';
export const CONNECTION = 'connection';

export interface StatusView {
  html: string;
  edited: boolean;
  pinnedUntil: number | null;
  canEdit: boolean;
  canPin: boolean;
  editHref: string;
  deleteAction: string;
  pinAction: string;
  unpinAction: string;
  /**
   * What the view is a function of besides the entity's id, the locale and the base path (a
   * card's key: `FeedEntry.summary.key`): the entity's version (an edit bumps it), the links of
   * the mentioned members still active, the network's tag route, the pin still on, and the
   * viewer's rights on the post.
   */
  key: unknown[];
}

/** Renders the text of status posts (by entity id) with their mention links, in one query. */
export async function statusViews(
  ctx: RucheContext,
  rows: { id: number; owner_id: number; network_id: number; pinned_until: number | null }[],
): Promise<Map<number, StatusView>> {
  const rt = ctx.ruche;
  const out = new Map<number, StatusView>();
  if (!rows.length) return out;
  const ids = rows.map((r) => r.id);
  const bodyOf = await rt.container.resolve(StatusService).bodies(ids);
  const viewer: Viewer | null = ctx.state.viewer;
  const linksFor = await rt.mentions.linker(ctx);
  for (const r of rows) {
    const b = bodyOf.get(r.id);
    if (!b) continue;
    const id = r.id;
    const pinnedUntil =
      r.pinned_until !== null && r.pinned_until !== undefined && Number(r.pinned_until) > Date.now() ? Number(r.pinned_until) : null;
    const links = linksFor(b.mentions);
    const canEdit = !!viewer && Number(r.owner_id) === viewer.id;
    const canPin = rt.access.canModerate(viewer, r) && rt.permissions.can(viewer, 'activity.announce', Number(r.network_id));
    out.set(id, {
      html: renderPlainText(b.body, links),
      edited: b.editedAt !== null,
      pinnedUntil,
      canEdit,
      canPin,
      editHref: link(ctx, 'activity.status.edit', { id }),
      deleteAction: link(ctx, 'activity.status.delete', { id }),
      pinAction: link(ctx, 'activity.status.pin', { id }),
      unpinAction: link(ctx, 'activity.status.unpin', { id }),
      // The links as this network makes them (its profile and tag routes), probed, not rendered.
      key: [b.version, b.mentions.map((u) => links.member(u.toLowerCase()) ?? null), links.tag('t') ?? null, pinnedUntil, canEdit, canPin],
    });
  }
  return out;
}

export async function describeOwn(entries: FeedEntry[], c: { ctx: RucheContext; viewer: Viewer | null }): Promise<FeedEntry[]> {
  const { ctx } = c;
  const statuses = entries.filter((e) => e.entityType === STATUS);
  const views = await statusViews(
    ctx,
    statuses.map((e) => ({ id: e.entityId, owner_id: e.ownerId, network_id: e.networkId, pinned_until: e.pinnedUntil })),
  );
  // A connection's other member is the object of its `connected` act; an entry shown with
  // another act (someone liked the connection) finds it there.
  const connections = entries.filter((e) => e.entityType === CONNECTION);
  const missing = connections.filter((e) => !e.objectId || e.verb !== 'connected').map((e) => e.entityId);
  const connectedWith = await ctx.ruche.container.resolve(StatusService).connectedWith(missing);
  const otherOf = (e: FeedEntry): number | undefined =>
    connectedWith.get(e.entityId) ?? (e.verb === 'connected' && e.objectId ? Number(e.objectId) : undefined);
  const others = [...new Set(connections.map(otherOf).filter((id): id is number => id !== undefined))];
  const names = (await ctx.ruche.users.people(others)).filter((n) => n.status === 'active');
  const nameOf = new Map(names.map((n) => [n.id, n]));
  for (const e of entries) {
    if (e.entityType === STATUS) {
      const v = views.get(e.entityId);
      if (!v) continue;
      e.href = link(ctx, 'activity.status.view', { id: e.entityId });
      const { key, ...view } = v;
      const deleteNext = here(ctx);
      // Versioned (kept-cards.ts): an edit or a pin bumps the version, a mentioned member's change the members'.
      e.summary = { template: 'activity/partials/status', data: { ...view, deleteNext }, key: [...key, deleteNext], versioned: true };
    } else if (e.entityType === MEMBERSHIP) {
      e.summary = { template: 'activity/partials/event', data: {}, versioned: true };
    } else if (e.entityType === CONNECTION) {
      const otherId = otherOf(e);
      const other = otherId === undefined ? undefined : nameOf.get(otherId);
      if (!other) continue;
      e.summary = {
        template: 'activity/partials/event',
        data: { otherName: other.display_name, otherHref: link(ctx, 'profiles.view', { username: other.username }) },
        versioned: true,
      };
    }
  }
  return entries;
}
