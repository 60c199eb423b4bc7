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

interface ActionsContext {
  ctx: RucheContext;
  networkId: number;
  viewer: Viewer;
}

/** Something of another member the viewer may report: its id, its author, the report form's route and parameters. */
interface Reportable {
  id: number;
  authorId: number;
  route: string;
  params: Record<string, unknown>;
}

/** "Report" after the actions already there, on each item the viewer did not write; none without the right to report. */
function withReports(actions: EntityAction[], c: ActionsContext, items: Reportable[]): EntityAction[] {
  const { ctx, viewer, networkId } = c;
  if (!ctx.ruche.permissions.can(viewer, REPORT, networkId)) return actions;
  const label = t(ctx, 'moderation.report.action');
  const others = items.filter((i) => i.authorId !== viewer.id);
  // Versioned (core/hooks/map.ts): the action depends on the viewer and the item alone.
  return [
    ...actions,
    ...others.map((i) => ({ entityId: i.id, id: 'report', label, href: withNext(ctx, link(ctx, i.route, i.params)), order: 90, versioned: true })),
  ];
}

export const reportActions = (actions: EntityAction[], c: ActionsContext & { entities: EntityRef[] }): EntityAction[] =>
  withReports(
    actions,
    c,
    c.entities.map((e) => ({ id: e.id, authorId: e.ownerId, route: 'moderation.report.entity', params: { id: e.id } })),
  );

/** "Report" on the pieces (comments, replies, messages) of others the viewer sees (`piece:actions`, core/content/pieces.ts). */
export const pieceReportActions = (actions: EntityAction[], c: ActionsContext & { pieces: PieceRef[] }): EntityAction[] =>
  withReports(
    actions,
    c,
    c.pieces.map((p) => ({ id: p.id, authorId: p.authorId, route: 'moderation.report.piece', params: { kind: p.kind, id: p.id } })),
  );

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
    // Versioned (core/hooks/map.ts): a hiding's row bumps the entity's version (migration 009).
    versioned: true,
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
