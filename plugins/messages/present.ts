/**
 * How conversations look in pages: inbox rows with their people's avatars and the last
 * message's excerpt, message lists with avatars and day separators, and the people of a
 * conversation. The chat plugin shows the same shapes live.
 */
import { excerptOf, isTimeZone, link, personCards, pieceReader, renderMarkdown, t, wallTime, type PersonCard, type RucheContext } from '../../core';
import { isRoom } from './audience';
import { withheldFrom } from './service';
import type { InboxItem } from './inbox';
import { conversationHref, conversationTitle } from './view';

/** Excerpt length of the last message in a list. */
const EXCERPT = 120;
/** Avatars shown on one inbox row (a group shows the first ones, stacked). */
const FACES = 3;

/** The URL of a message author's avatar, from `messageView`'s `authorId` and `avatarFile`. */
export const avatarOf = (ctx: RucheContext, m: Record<string, unknown>): string =>
  link(ctx, 'core.avatar', { userId: String(m.authorId), file: String(m.avatarFile) });

/** The avatar URL pattern the live client fills in (`{user}`, `{file}`). */
export const avatarPattern = (ctx: RucheContext): string =>
  link(ctx, 'core.avatar', { userId: '0', file: 'initials.svg' }).replace(/\/0\/initials\.svg$/, '');

/** Inbox rows: title, the other members' avatars, the last message (author, excerpt, time), unread state. */
export async function inboxRows(
  ctx: RucheContext,
  items: InboxItem[],
  href = (id: number) => conversationHref(ctx, id),
): Promise<Record<string, unknown>[]> {
  const viewerId = ctx.state.viewer!.id;
  const cards = await personCards(ctx, [...items.flatMap((c) => c.others.slice(0, FACES)), ...items.map((c) => c.last?.author_id ?? 0)]);
  return Promise.all(
    items.map(async (c) => {
      const last = c.last;
      // "You:" before one's own words; in a direct conversation the other's need no name.
      const author = !last
        ? ''
        : last.author_id === viewerId
          ? t(ctx, 'messages.inbox.you')
          : c.kind === 'direct'
            ? ''
            : (cards.get(last.author_id)?.displayName ?? '');
      const faces = c.others
        .slice(0, FACES)
        .map((id) => cards.get(id))
        .filter((p): p is PersonCard => !!p);
      return {
        id: c.id,
        title: await conversationTitle(ctx, c, c.names),
        people: c.subject && c.names.length ? c.names.join(', ') : '',
        faces,
        more: c.others.length > FACES ? c.others.length - FACES : 0,
        room: isRoom(c),
        href: href(c.id),
        unread: c.unread,
        unreadLabel: t(ctx, 'messages.inbox.unread', { count: c.unread }),
        at: c.last_message_at,
        lastAuthor: author,
        excerpt: !last
          ? ''
          : last.deleted_at
            ? t(ctx, 'messages.message.deleted')
            : withheldFrom(last, pieceReader(ctx.ruche, ctx.state.viewer, c.network_id))
              ? t(ctx, 'messages.message.hidden')
              : excerptOf(renderMarkdown(last.body), EXCERPT),
      };
    }),
  );
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The reader's time zone (account page), if they chose one; else the server's, like `{{date}}`. */
const zoneOf = (ctx: RucheContext): string | undefined => {
  const zone = ctx.state.viewer?.timeZone;
  return zone && isTimeZone(zone) ? zone : undefined;
};

/** The calendar day of a time in `zone` (default the server's), as `YYYY-MM-DD`. */
function dayKey(ms: number, zone: string | undefined): string {
  if (zone) {
    const w = wallTime(ms, zone);
    return `${w.y}-${pad(w.m)}-${pad(w.d)}`;
  }
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The day before a `YYYY-MM-DD` day (calendar arithmetic: no 23- or 25-hour day in the way). */
function dayBefore(key: string): string {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** "Today", "Yesterday" or the date, for a day separator, in the reader's zone. */
export function dayLabel(ctx: RucheContext, ms: number, now = Date.now()): string {
  const zone = zoneOf(ctx);
  const key = dayKey(ms, zone);
  const today = dayKey(now, zone);
  if (key === today) return t(ctx, 'messages.day.today');
  if (key === dayBefore(today)) return t(ctx, 'messages.day.yesterday');
  return ctx.ruche.i18n.formatDate(ctx.state.locale, new Date(ms), 'date', zone);
}

/** Messages with their author's avatar and, on the first of each day (in the reader's zone), that day's separator. */
export function withDays(ctx: RucheContext, messages: Record<string, unknown>[]): Record<string, unknown>[] {
  const zone = zoneOf(ctx);
  let previous = '';
  return messages.map((m) => {
    const at = Number(m.createdAt);
    const key = dayKey(at, zone);
    const day = key !== previous ? dayLabel(ctx, at) : null;
    previous = key;
    return { ...m, avatar: avatarOf(ctx, m), day, dayKey: key };
  });
}

/** The people of a direct or group conversation, the viewer first. */
export async function participants(ctx: RucheContext, ids: number[]): Promise<PersonCard[]> {
  const viewerId = ctx.state.viewer!.id;
  const cards = await personCards(ctx, ids);
  return [...cards.values()].sort((a, b) => (a.id === viewerId ? -1 : b.id === viewerId ? 1 : a.displayName.localeCompare(b.displayName)));
}
