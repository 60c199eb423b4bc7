/**
 * Signed unsubscribe links: HMAC (under the install's secret) over the member id, the kind
 * (`*` for every email) and an expiry. They work without signing in; a changed or expired
 * link is refused with the reason.
 */
import crypto from 'node:crypto';

export const UNSUBSCRIBE_TTL = 90 * 86_400_000;
export const ALL_KINDS = '*';

const sign = (secret: string, payload: string): string =>
  crypto.createHmac('sha256', secret).update(`notifications.unsubscribe:${payload}`).digest('base64url');

export function unsubscribeToken(secret: string, userId: number, kind: string, expiresAt: number): string {
  const payload = Buffer.from(JSON.stringify([userId, kind, expiresAt])).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export type UnsubscribeCheck = { ok: true; userId: number; kind: string } | { ok: false; reason: 'invalid' | 'expired' };

export function checkUnsubscribe(secret: string, token: unknown, now = Date.now()): UnsubscribeCheck {
  if (typeof token !== 'string' || token.length > 400) return { ok: false, reason: 'invalid' };
  const dot = token.lastIndexOf('.');
  if (dot < 1) return { ok: false, reason: 'invalid' };
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(sign(secret, payload));
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!Array.isArray(data) || !Number.isSafeInteger(data[0]) || typeof data[1] !== 'string' || typeof data[2] !== 'number')
    return { ok: false, reason: 'invalid' };
  if (data[2] < now) return { ok: false, reason: 'expired' };
  return { ok: true, userId: data[0] as number, kind: data[1] };
}
