/**
 * `ETag` / `If-None-Match` on the API's GET answers: the tag is a hash of the JSON the
 * viewer gets, so an unchanged answer costs the client a 304 without a body. Answers depend
 * on who asks: they are private and vary with the credentials.
 */
import { createHash } from 'node:crypto';
import type { RucheContext } from '../context';

/** Sends `json` with its ETag, or a 304 when the client's `If-None-Match` already names it. */
export function sendWithEtag(ctx: RucheContext, json: unknown, status: number): void {
  const text = JSON.stringify(json);
  const etag = `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.vary('Authorization');
  ctx.vary('Cookie');
  const given = ctx.get('if-none-match');
  const tags = given.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (status === 200 && given && (given.trim() === '*' || tags.includes(etag.slice(2)))) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = text;
}
