/** What the groups route modules share: capabilities, the group of `:id`, cards. */
import { HttpError, idParam, link, t, type RucheContext } from '../../core';
import { infoOf } from './api';
import { coverUrl } from './cover';
import type { GroupInfo } from './hooks';
import type { GroupListItem } from './queries';
import { GroupsService, type GroupRow } from './service';

export const USE = 'groups.use';
export const CREATE = 'groups.create';

export const service = (ctx: RucheContext): GroupsService => ctx.ruche.container.resolve(GroupsService);

/**
 * The one answer for a group this viewer may not know: the same 404 as for an id that was
 * never used (guests are sent to sign in by the routes' capability before getting here).
 */
export const hidden = (ctx: RucheContext): HttpError => (ctx.state.viewer ? new HttpError(404, 'groups.errors.notFound') : new HttpError(401));

/** The group of `:id` as this viewer may know it, or the hidden answer. */
export async function loadGroup(ctx: RucheContext): Promise<{ g: GroupRow; info: GroupInfo }> {
  const viewer = ctx.state.viewer;
  const s = service(ctx);
  const g = await s.visible(viewer, idParam(ctx), ctx.state.network.id);
  if (!g) throw hidden(ctx);
  return { g, info: infoOf(ctx.ruche, g, viewer, await s.role(g.id, viewer?.id)) };
}

/** The group of `:id` when the viewer may manage it (group admin, network moderator or admin). */
export async function managedGroup(ctx: RucheContext): Promise<{ g: GroupRow; info: GroupInfo }> {
  const found = await loadGroup(ctx);
  if (!found.info.canManage) throw new HttpError(403, 'groups.errors.notAdmin');
  return found;
}

/** A group as a directory card. */
export function card(ctx: RucheContext, g: GroupListItem) {
  // Object.assign, not `{ ...g, href, ... }`: on Node 20 each property written after a spread costs
  // about 1 µs (4 of a card's 12 µs; docs/performance.md, issue 18).
  return Object.assign({}, g, {
    href: link(ctx, 'groups.view', { id: g.id }),
    cover: coverUrl(ctx, g.id, g.cover_key, 480),
    visibilityLabel: t(ctx, `groups.visibility.${g.visibility}.label`),
    categoryLabel: t(ctx, `groups.category.${g.category}`),
    membersLabel: t(ctx, 'groups.members.count', { count: g.members }),
    archived: g.archived_at !== null,
    excerpt: excerpt(g.description),
  });
}

/** The first 160 characters of a Markdown description, as plain text. */
export function excerpt(markdown: string): string {
  const text = markdown
    .replace(/[#*_`>[\]()!~-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 160 ? `${text.slice(0, 157).trimEnd()}…` : text;
}
