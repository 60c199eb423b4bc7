/**
 * People as the core shows them anywhere: name, avatar and a link to their profile. A
 * person's avatar photo is core data (`users.photo_key`, three square JPEG sizes under
 * content-addressed keys); without one, an SVG with their initials. The profile link is the
 * profiles plugin's: it answers `people:profileRoute` with a route taking `:username`, and
 * without it cards carry no link. Plugins show people through `personCards` (one statement
 * for a whole page) or `avatarUrl`, never by joining another plugin's table.
 */
import type { Knex } from 'knex';
import type { RucheContext } from '../http/context';
import { link, t } from '../http/request-helpers';
import { BOT_KIND } from '../auth/viewer';
import type { PersonRow } from '../auth/user-lookups';

/**
 * The two directions of a tie between two people (`[a, b]`, then `[b, a]`): what undoing a
 * follow, a connection or a meeting both ways, or writing both rows of a mutual one, loops over.
 */
export const bothWays = <T>(a: T, b: T): [T, T][] => [
  [a, b],
  [b, a],
];

export const AVATAR_SIZES = [64, 160, 400] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

/** The storage key of one size of a photo: `avatars/<userId>/<hash>-<size>.jpg`. */
export function avatarKey(userId: number, photoKey: string, size: number): string {
  return `avatars/${userId}/${photoKey}-${size}.jpg`;
}

/** The URL of a member's avatar at `size` px (160 by default); the initials SVG without a photo. */
export function avatarUrl(ctx: RucheContext, user: { id: number; photo_key?: string | null }, size: AvatarSize = 160): string {
  const file = user.photo_key ? `${user.photo_key}-${size}.jpg` : 'initials.svg';
  return link(ctx, 'core.avatar', { userId: user.id, file });
}

/** Sets (or clears, with null) a member's photo key; answers the previous one. */
export async function setPhotoKey(db: Knex, userId: number, photoKey: string | null): Promise<string | null> {
  const old = (await db('users').where({ id: userId }).first('photo_key')) as { photo_key: string | null } | undefined;
  await db('users').where({ id: userId }).update({ photo_key: photoKey });
  return old?.photo_key ?? null;
}

/** One person as lists and pages show them. */
export interface PersonCard {
  id: number;
  username: string;
  displayName: string;
  avatarUrl: string;
  /** Their profile page, or null where no plugin provides profiles. */
  href: string | null;
  /** A service account (core/members/bots.ts): shown with a “Bot” badge beside the name. */
  isBot: boolean;
}

/** The link to a person's profile in this request's network, as the enabled plugins declare it. */
export async function profileLinker(ctx: RucheContext): Promise<(username: string) => string | null> {
  const route = await ctx.ruche.hooks.filter('people:profileRoute', null, { networkId: ctx.state.network.id });
  return (username) => (route && ctx.ruche.routes.get(route) ? link(ctx, route, { username }) : null);
}

/** Cards of the given people (unknown ids left out), read in one statement. */
export async function personCards(ctx: RucheContext, userIds: readonly number[], size: AvatarSize = 64): Promise<Map<number, PersonCard>> {
  const ids = [...new Set(userIds.map(Number))].filter((id) => Number.isSafeInteger(id) && id > 0);
  if (!ids.length) return new Map();
  return personCardsOf(ctx, await ctx.ruche.users.people(ids), size);
}

/** Cards of people whose rows the caller read already (its statement read `PersonRow`'s columns of `users`). */
export async function personCardsOf(ctx: RucheContext, rows: readonly PersonRow[], size: AvatarSize = 64): Promise<Map<number, PersonCard>> {
  const out = new Map<number, PersonCard>();
  if (!rows.length) return out;
  const href = await profileLinker(ctx);
  for (const r of rows) {
    const id = r.id;
    // A deleted account whose content stays (core/members/): "A former member", no profile.
    const former = r.status === 'former';
    out.set(id, {
      id,
      username: r.username,
      displayName: former ? t(ctx, 'core.people.formerMember') : r.display_name,
      avatarUrl: avatarUrl(ctx, { id, photo_key: r.photo_key }, size),
      href: former ? null : href(r.username),
      isBot: r.kind === BOT_KIND,
    });
  }
  return out;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Up to two initials from a display name (first letters of the first and last words). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '?';
  const first = Array.from(words[0])[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1])[0] ?? '') : '';
  return (first + last).toUpperCase();
}

const PALETTE = ['#3b6ea5', '#7a4fa3', '#2f855a', '#b7791f', '#c05621', '#2c7a7b', '#9b2c2c', '#4a5568'];

/** A square SVG avatar with the member's initials on a colour derived from their id. */
export function initialsSvg(userId: number, name: string): string {
  const colour = PALETTE[Math.abs(userId) % PALETTE.length];
  const text = escapeXml(initials(name));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100" role="img" aria-label="${text}">` +
    `<rect width="100" height="100" fill="${colour}"/>` +
    `<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="40" fill="#ffffff">${text}</text></svg>`
  );
}
