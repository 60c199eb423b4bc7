/** What the groups route modules share: capabilities, the group of `:id`, cards. */
import { HttpError, idParam, link, t, type RucheContext } from '../../core';
import { groupStanding, infoOf, type GroupStanding } from './api';
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
export async function loadGroup(ctx: RucheContext): Promise<{ g: GroupRow; info: GroupInfo; standing: GroupStanding }> {
  const viewer = ctx.state.viewer;
  const g = await service(ctx).visible(viewer, idParam(ctx), ctx.state.network.id);
  if (!g) throw hidden(ctx);
  // The viewer's role with what the group's header shows of where they stand: one statement for both.
  const standing = await groupStanding(ctx.ruche, g.id, viewer?.id);
  return { g, info: infoOf(ctx.ruche, g, viewer, standing.role), standing };
}

/** The group of `:id` when the viewer may manage it (group admin, network moderator or admin). */
export async function managedGroup(ctx: RucheContext): Promise<{ g: GroupRow; info: GroupInfo }> {
  const found = await loadGroup(ctx);
  if (!found.info.canManage) throw new HttpError(403, 'groups.errors.notAdmin');
  return found;
}

/**
 * A group as a directory card: what `groups/partials/card` shows, and nothing else. The card is a
 * kept fragment keyed by this data (core/cache/fragments.ts), so the key holds no more than the
 * card shows (no description, its Markdown or HTML: only their excerpt).
 */
export function card(ctx: RucheContext, g: GroupListItem) {
  return {
    name: g.name,
    visibility: g.visibility,
    href: link(ctx, 'groups.view', { id: g.id }),
    cover: coverUrl(ctx, g.id, g.cover_key, 480),
    visibilityLabel: t(ctx, `groups.visibility.${g.visibility}.label`),
    categoryLabel: t(ctx, `groups.category.${g.category}`),
    membersLabel: t(ctx, 'groups.members.count', { count: g.members }),
    archived: g.archived_at !== null,
    excerpt: excerpt(g.description),
    roleLabel: null as string | null,
  };
}

/** Markdown's marks an excerpt drops (`#*_\`>[]()!~-`), by character code. */
const MARK = new Set([...'#*_`>[]()!~-'].map((c) => c.charCodeAt(0)));

/** Whether a character (by UTF-16 code) is dropped from an excerpt: a mark, or a space as `\s` reads it. */
function dropped(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13) || MARK.has(code);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** An excerpt's length, and its length when cut (then an ellipsis). */
const EXCERPT = 160;
const CUT = 157;

/**
 * The first 160 characters of a Markdown description, as plain text: its marks and runs of
 * spaces read as one space. Reads the description only as far as the excerpt goes, a character
 * at a time (a card's description can be long; issue 18).
 */
export function excerpt(markdown: string): string {
  let text = '';
  let start = -1;
  for (let i = 0; i <= markdown.length; i++) {
    if (i < markdown.length && !dropped(markdown.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      text += (text ? ' ' : '') + markdown.slice(start, i);
      start = -1;
      if (text.length > EXCERPT) break;
    }
  }
  return text.length > EXCERPT ? `${text.slice(0, CUT).trimEnd()}…` : text;
}
