/**
 * "Delete my account" (and an admin deleting a member's): a request waits 14 days
 * (`account_deletions`), during which signing in cancels it; the `core.accountDeletion` job then
 * completes it:
 *
 * - every plugin answers `member:erasing` (core/members/contract.ts) for its own rows;
 * - `erase`: the member's entities go (their plugins' rows with them, by the foreign keys), except
 *   those holding others' content (a group they founded), given to the former-member account;
 *   then the account row, and with it every row that references it;
 * - `anonymise`: the content stays, shown as from "a former member"; the account row is emptied
 *   of everything personal (names, address, password, photo) and everything else tying it to
 *   people (sessions, tokens, memberships, relations) goes.
 *
 * Stored bytes (avatar sizes, the member's archives, what plugins report) are removed after the
 * transaction. The job is idempotent: a run after a completed deletion finds no request.
 */
import type { Knex } from 'knex';
import type { Runtime } from '../runtime';
import { queueSearch } from '../content/search';
import { AVATAR_SIZES, avatarKey } from '../content/people';
import { type ErasureMode, type MemberErasure } from './contract';
import { formerMemberId } from './former-member';

export const DELETION_GRACE_MS = 14 * 86_400_000;
export const DELETION_JOB = 'core.accountDeletion';
const jobKey = (userId: number): string => `${DELETION_JOB}:${userId}`;

export interface DeletionRequest {
  userId: number;
  mode: ErasureMode;
  networkId: number;
  requestedBy: number | null;
  requestedAt: number;
  dueAt: number;
}

/** The member's pending deletion, if any. */
export async function pendingDeletion(db: Knex, userId: number): Promise<DeletionRequest | undefined> {
  const row = await db('account_deletions').where({ user_id: userId }).first();
  if (!row) return undefined;
  return {
    userId: Number(row.user_id),
    mode: row.mode as ErasureMode,
    networkId: Number(row.network_id),
    requestedBy: row.requested_by === null ? null : Number(row.requested_by),
    requestedAt: Number(row.requested_at),
    dueAt: Number(row.due_at),
  };
}

/**
 * Records the request (again: the new mode and date replace the old), ends every session and
 * API token of the member, and schedules the completion at the end of the grace period.
 */
export async function requestDeletion(
  rt: Runtime,
  request: { userId: number; mode: ErasureMode; networkId: number; requestedBy: number | null },
  now = Date.now(),
): Promise<DeletionRequest> {
  const dueAt = now + DELETION_GRACE_MS;
  await rt.db.transaction(async (trx) => {
    await trx('account_deletions').where({ user_id: request.userId }).delete();
    await trx('account_deletions').insert({
      user_id: request.userId,
      mode: request.mode,
      network_id: request.networkId,
      requested_by: request.requestedBy,
      requested_at: now,
      due_at: dueAt,
    });
    await rt.jobs.schedule(DELETION_JOB, { userId: request.userId }, { runAt: dueAt, key: jobKey(request.userId) }, trx);
  });
  await rt.users.signOutEverywhere(request.userId);
  return { ...request, requestedAt: now, dueAt };
}

/** Cancels the member's pending deletion (they signed in); true when there was one. */
export async function cancelDeletion(rt: Runtime, userId: number): Promise<boolean> {
  return rt.db.transaction(async (trx) => {
    const n = await trx('account_deletions').where({ user_id: userId }).delete();
    if (n) await rt.jobs.cancel(jobKey(userId), trx);
    return n > 0;
  });
}

/** The job: completes the deletion once due (nothing when it was cancelled or already done). */
export async function runDeletionJob(payload: Record<string, unknown>, rt: Runtime, now: number): Promise<void> {
  const request = await pendingDeletion(rt.db, Number(payload.userId));
  if (!request || request.dueAt > now) return;
  const report = await completeDeletion(rt, request.userId, request.mode);
  rt.logger.info({ userId: request.userId, mode: request.mode, removed: report.removed }, 'account deleted');
  await rt.audit.record({
    action: 'core.account.deleted',
    networkId: request.networkId,
    actorId: null,
    actorName: '',
    objectType: 'user',
    objectId: request.userId,
    after: { mode: request.mode, removed: report.removed },
  });
}

/** Deletes the account now, as `mode` says; returns what the plugins reported. */
export async function completeDeletion(rt: Runtime, userId: number, mode: ErasureMode): Promise<MemberErasure> {
  // Stored as the name of former accounts, for pages reading `display_name` itself; person
  // cards say it in the viewer's language.
  const label = rt.i18n.t(rt.networks.root().locale, 'core.people.formerMember');
  const formerId = await formerMemberId(rt.db, label);
  const user = await rt.db('users').where({ id: userId }).first('photo_key');
  if (!user) return { removed: {}, storageKeys: [] };
  const report = await rt.hooks.filter('member:erasing', { removed: {}, storageKeys: [] }, { rt, userId, mode, formerMemberId: formerId });
  const exports = await rt.db('member_exports').where({ user_id: userId }).whereNotNull('storage_key').pluck('storage_key');
  const photo = user.photo_key as string | null;
  await rt.db.transaction(async (trx) => {
    if (mode === 'erase') await eraseAccount(trx, userId, formerId);
    else await anonymiseAccount(trx, userId, label);
  });
  const keys = [...report.storageKeys, ...exports, ...(photo ? AVATAR_SIZES.map((size) => avatarKey(userId, photo, size)) : [])];
  for (const key of keys) await rt.storage.delete(key);
  return report;
}

/** The member's entities and acts, then the account (every row referencing it goes by cascade). */
async function eraseAccount(trx: Knex, userId: number, formerId: number): Promise<void> {
  const owned = (await trx('entities').where({ owner_id: userId }).pluck('id')).map(Number);
  // A container holding others' content stays, given to the former-member account.
  const holding = owned.length
    ? (await trx('entities').whereIn('container_id', owned).whereNot({ owner_id: userId }).distinct('container_id')).map((r) =>
        Number(r.container_id),
      )
    : [];
  if (holding.length) await trx('entities').whereIn('id', holding).update({ owner_id: formerId });
  const doomed = owned.filter((id) => !holding.includes(id));
  await trx('activity').where({ actor_id: userId }).delete();
  for (let i = 0; i < doomed.length; i += 500) {
    const ids = doomed.slice(i, i + 500);
    await trx('activity').whereIn('entity_id', ids).delete();
    await trx('entities').whereIn('container_id', ids).update({ container_id: null });
    await trx('activity').whereIn('container_id', ids).update({ container_id: null }); // in step with its entity's (migration 016)
    await trx('entities').whereIn('id', ids).delete();
    await queueSearch(trx, ids); // the search index drops them
  }
  await trx('auth_tokens').where({ created_by: userId }).update({ created_by: null });
  await trx('network_bans').where({ banned_by: userId }).update({ banned_by: null }); // invitations they sent
  await trx('users').where({ id: userId }).delete();
}

/** Empties the account of everything personal; its content stays, shown as from a former member. */
async function anonymiseAccount(trx: Knex, userId: number, label: string): Promise<void> {
  const name = `~former-${userId}`;
  await trx('users')
    .where({ id: userId })
    .update({
      username: name,
      username_lower: name,
      email: `${name.slice(1)}@former.invalid`,
      email_lower: `${name.slice(1)}@former.invalid`,
      display_name: label,
      password_hash: null,
      locale: null,
      time_zone: null,
      photo_key: null,
      status: 'former',
      is_root_admin: false,
      email_verified_at: null,
      suspension_reason: null,
      suspended_until: null,
      last_active_at: null,
      updated_at: Date.now(),
    });
  for (const table of [
    'sessions',
    'auth_tokens',
    'api_tokens',
    'api_idempotency',
    'user_identities',
    'memberships',
    'network_bans',
    'container_members',
    'charter_acceptances',
    'content_mentions',
    'member_exports',
    'account_deletions',
  ])
    await trx(table).where({ user_id: userId }).delete();
  await trx('auth_tokens').where({ created_by: userId }).update({ created_by: null });
  await trx('user_relations').where({ user_id: userId }).orWhere({ other_id: userId }).delete();
  const owned = (await trx('entities').where({ owner_id: userId }).pluck('id')).map(Number);
  for (let i = 0; i < owned.length; i += 500) await queueSearch(trx, owned.slice(i, i + 500)); // author names indexed
}
