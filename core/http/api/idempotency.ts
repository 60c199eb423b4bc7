/**
 * `Idempotency-Key` on the API's POST routes: the first request with a key runs and its
 * answer is kept for a day; a repeat of the same request by the same member with the same
 * key gets that answer again (`Idempotent-Replayed: true`) without running, so a client
 * retrying after a lost answer creates one object. Two concurrent requests with one key: the
 * unique key lets one run, the other waits for its answer. A key reused for another request
 * (another path or body) is a 422; a failed request (an error) keeps nothing, so it can be retried.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isUniqueViolation } from '../../db/errors';
import { HttpError } from '../../errors';
import type { RouteResult } from '../../plugins/manifest';
import type { RucheContext } from '../context';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const WAIT_STEP_MS = 50;
const WAIT_MAX_MS = 30_000;

interface StoredAnswer {
  fingerprint: string;
  status: number | null;
  response: string | null;
}

/** The header's key, or null without one; a 400 when it is not 1 to 255 visible ASCII characters. */
function keyOf(ctx: RucheContext): string | null {
  const raw = ctx.get('idempotency-key');
  if (!raw) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(raw)) throw new HttpError(400, 'core.api.badIdempotencyKey', {}, 'invalid_idempotency_key');
  return raw;
}

const fingerprintOf = (ctx: RucheContext): string =>
  createHash('sha256')
    .update(`${ctx.state.network.id} ${ctx.method} ${ctx.path}\n${JSON.stringify((ctx.request as { body?: unknown }).body ?? {})}`)
    .digest('hex');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `handle` once per (member, key); repeats answer as the first did. */
export async function idempotent(ctx: RucheContext, handle: () => Promise<RouteResult>): Promise<RouteResult> {
  const key = keyOf(ctx);
  const userId = ctx.state.viewer?.id;
  if (!key || !userId) return handle();
  const db = ctx.ruche.db;
  const fingerprint = fingerprintOf(ctx);
  const now = Date.now();
  await db('api_idempotency')
    .where({ user_id: userId })
    .where('created_at', '<', now - IDEMPOTENCY_TTL_MS)
    .delete();
  try {
    await db('api_idempotency').insert({ user_id: userId, idem_key: key, fingerprint, created_at: now });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return replay(ctx, db, userId, key, fingerprint);
  }
  let result: RouteResult;
  try {
    result = await handle();
  } catch (e) {
    await db('api_idempotency').where({ user_id: userId, idem_key: key }).delete();
    throw e;
  }
  const answer = result && 'json' in result ? result : { json: null, status: 204 };
  await db('api_idempotency')
    .where({ user_id: userId, idem_key: key })
    .update({ status: answer.status ?? 200, response: JSON.stringify(answer.json ?? null) });
  return result;
}

async function replay(ctx: RucheContext, db: Knex, userId: number, key: string, fingerprint: string): Promise<RouteResult> {
  for (let waited = 0; ; waited += WAIT_STEP_MS) {
    const row: StoredAnswer | undefined = await db('api_idempotency')
      .where({ user_id: userId, idem_key: key })
      .first('fingerprint', 'status', 'response');
    // The first request failed meanwhile (its row is gone, nothing was kept): the client sends again.
    if (!row) throw new HttpError(409, 'core.api.idempotencyRetry', {}, 'idempotency_retry');
    if (row.fingerprint !== fingerprint) throw new HttpError(422, 'core.api.idempotencyReused', {}, 'idempotency_key_reused');
    if (row.status !== null) {
      ctx.set('Idempotent-Replayed', 'true');
      return { status: Number(row.status), json: JSON.parse(row.response ?? 'null') };
    }
    if (waited >= WAIT_MAX_MS) throw new HttpError(409, 'core.api.idempotencyPending', {}, 'idempotency_in_progress');
    await sleep(WAIT_STEP_MS);
  }
}
