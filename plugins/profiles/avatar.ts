/**
 * Avatars: a member's uploaded photo (three square JPEG sizes, content-addressed keys) or,
 * without one, an SVG with their initials.
 */
import { link, type RucheContext } from '../../core';

export const AVATAR_SIZES = [64, 160, 400] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

/** The storage key of one size of a photo: `avatars/<userId>/<hash>-<size>.jpg`. */
export function avatarKey(userId: number, photoKey: string, size: number): string {
  return `avatars/${userId}/${photoKey}-${size}.jpg`;
}

/** The URL of a member's avatar at `size` px (160 by default); the initials SVG without a photo. */
export function avatarUrl(ctx: RucheContext, user: { id: number; photo_key?: string | null }, size: AvatarSize = 160): string {
  const file = user.photo_key ? `${user.photo_key}-${size}.jpg` : 'initials.svg';
  return link(ctx, 'profiles.avatar', { userId: user.id, file });
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
