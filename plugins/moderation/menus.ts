/**
 * Where members meet moderation on other plugins' pages, through hooks only:
 *  - "Report" in the actions menu of every piece of content they did not write
 *    (`entity:actions`, rendered by the core on every card and page with panels), and of
 *    every comment, reply or message of others (`piece:actions`, rendered by their plugins);
 *  - the mark on content a moderator hid or a watched word holds for review (`entity:panels`:
 *    only its author and the network's moderators still see it, each told so);
 *  - "Report this member" on a member's profile (`profiles:sections`);
 *  - the "Reports" tab of a group, for its admins (`groups:tabs`).
 */
import { link, t, type EntityAction, type EntityPanel, type EntityRef, type PieceRef, type RucheContext, type Viewer } from '../../core';
import type { GroupInfo, GroupTab } from '../groups/hooks';
import type { ProfileSection } from '../profiles/hooks';
import { REPORT } from './constants';

const here = (ctx: RucheContext): string => ctx.originalUrl.split('#')[0];
const withNext = (ctx: RucheContext, href: string): string => `${href}?next=${encodeURIComponent(here(ctx))}`;

export function reportActions(
  actions: EntityAction[],
  c: { ctx: RucheContext; networkId: number; viewer: Viewer; entities: EntityRef[] },
): EntityAction[] {
  const { ctx, viewer, networkId } = c;
  if (!ctx.ruche.permissions.can(viewer, REPORT, networkId)) return actions;
  const label = t(ctx, 'moderation.report.action');
  const mine = c.entities.filter((e) => e.ownerId !== viewer.id);
  return [
    ...actions,
    ...mine.map((e) => ({
      entityId: e.id,
      id: 'report',
      label,
      href: withNext(ctx, link(ctx, 'moderation.report.entity', { id: e.id })),
      order: 90,
    })),
  ];
}

/** "Report" on the pieces (comments, replies, messages) of others the viewer sees (`piece:actions`, core/content/pieces.ts). */
export function pieceReportActions(
  actions: EntityAction[],
  c: { ctx: RucheContext; networkId: number; viewer: Viewer; pieces: PieceRef[] },
): EntityAction[] {
  const { ctx, viewer, networkId } = c;
  if (!ctx.ruche.permissions.can(viewer, REPORT, networkId)) return actions;
  const label = t(ctx, 'moderation.report.action');
  return [
    ...actions,
    ...c.pieces
      .filter((p) => p.authorId !== viewer.id)
      .map((p) => ({
        entityId: p.id,
        id: 'report',
        label,
        href: withNext(ctx, link(ctx, 'moderation.report.piece', { kind: p.kind, id: p.id })),
        order: 90,
      })),
  ];
}

export async function hiddenMarks(ctx: RucheContext, entities: readonly EntityRef[]): Promise<EntityPanel[]> {
  const viewer = ctx.state.viewer;
  if (!viewer) return [];
  const seen = entities.filter((e) => e.ownerId === viewer.id || ctx.ruche.access.canModerate(viewer, { network_id: e.networkId }));
  if (!seen.length) return [];
  const hidden = (await ctx.ruche
    .db('moderation_hidden')
    .whereIn(
      'entity_id',
      seen.map((e) => e.id),
    )
    .select('entity_id', 'held')) as {
    entity_id: number | string;
    held: boolean | number;
  }[];
  const authored = new Set(seen.filter((e) => e.ownerId === viewer.id).map((e) => e.id));
  // Held by a watched word: waiting for a moderator's review; otherwise hidden by one.
  return hidden.map((r) => ({
    entityId: Number(r.entity_id),
    id: 'moderation-hidden',
    template: 'moderation/partials/hidden',
    data: { held: r.held === true || Number(r.held) === 1, author: authored.has(Number(r.entity_id)) },
    order: -10,
  }));
}

export function profileReport(
  sections: ProfileSection[],
  c: { ctx: RucheContext; networkId: number; viewer: Viewer | null; profileUserId: number; profileUsername: string },
): ProfileSection[] {
  const { ctx, viewer, networkId } = c;
  if (!viewer || viewer.status !== 'active' || viewer.id === c.profileUserId || !ctx.ruche.permissions.can(viewer, REPORT, networkId))
    return sections;
  const href = withNext(ctx, link(ctx, 'moderation.report.member', { username: c.profileUsername }));
  return [...sections, { id: 'moderation-report', template: 'moderation/partials/profile-report', data: { href }, order: 95 }];
}

export function groupTab(tabs: GroupTab[], c: { ctx: RucheContext; group: GroupInfo }): GroupTab[] {
  const { ctx, group } = c;
  if (group.role !== 'admin') return tabs;
  return [
    ...tabs,
    { id: 'moderation', label: t(ctx, 'moderation.queue.groupTab'), href: `${link(ctx, 'moderation.queue')}?group=${group.id}`, order: 90 },
  ];
}
