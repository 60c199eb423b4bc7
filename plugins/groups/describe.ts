/**
 * The groups plugin in the activity plugin's world: "Alice created the group X" in feeds
 * (`activity:describe`, one query per page), and `@group` mentions (`content:mentionGroups`):
 * a handle reaches a group's members only when the poster is a member of that group or a
 * moderator of its network — so `@name` never reveals or reaches a secret group the poster
 * is not in.
 */
import { describeEach, link, type MentionedGroup, type RucheContext, type Runtime } from '../../core';
import type { FeedEntry } from '../activity/hooks';
import { coverUrl } from './cover';
import { excerpt } from './params';
import { GROUP, GroupsService } from './service';

/** The groups of a feed page, in one query. */
const summaries = (ctx: RucheContext) => (ids: number[]) => ctx.ruche.container.resolve(GroupsService).summaries(ids);

export const describeGroups = (entries: FeedEntry[], { ctx }: { ctx: RucheContext }): Promise<FeedEntry[]> =>
  describeEach(entries, GROUP, summaries(ctx), (e, r) => {
    const href = link(ctx, 'groups.view', { id: e.entityId });
    const cover = coverUrl(ctx, e.entityId, r.cover_key, 480);
    return { href, summary: { template: 'groups/partials/summary', data: { name: r.name, href, excerpt: excerpt(r.description), cover } } };
  });

export async function mentionGroups(
  value: MentionedGroup[],
  c: { networkId: number; posterId: number; names: string[] },
  rt: Runtime,
): Promise<MentionedGroup[]> {
  if (!c.names.length) return value;
  const groups = (await rt
    .db('groups as g')
    .join('entities as e', 'e.id', 'g.entity_id')
    .where('g.network_id', c.networkId)
    .whereIn('g.handle', c.names.slice(0, 20))
    .whereNull('e.deleted_at')
    .where('e.type', GROUP)
    .select('e.id', 'e.network_id', 'g.name')) as { id: number; network_id: number; name: string }[];
  if (!groups.length) return value;
  const poster = await rt.users.viewer(c.posterId);
  const out = [...value];
  for (const g of groups) {
    const id = Number(g.id);
    const member = (await rt.containers.role(id, c.posterId)) !== null;
    if (!member && !rt.access.canModerate(poster ?? null, { network_id: Number(g.network_id) })) continue;
    const memberIds = (
      (await rt
        .db('container_members as cm')
        .join('users as u', 'u.id', 'cm.user_id')
        .where('cm.container_id', id)
        .where('u.status', 'active')
        .pluck('cm.user_id')) as number[]
    ).map(Number);
    out.push({ containerId: id, name: g.name, memberIds });
  }
  return out;
}
