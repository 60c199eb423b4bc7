/**
 * Watched words, the network's part: the list kept in `moderation_watched_words`, compiled
 * once per network and change (a small query says whether it changed, at most every 5 s), and the
 * two hooks acting on every piece of content saved:
 *
 * - `content:saving` (core/content/screening.ts): a blocked word refuses the field (the form
 *   is shown again with the member's words), a replaced word is replaced, a held or flagged
 *   word asks the core to hold or flag the piece;
 * - `content:screened`: a held entity is withheld (only its author and moderators see it, marked
 *   "waiting for review") and queued until a moderator approves it; a flagged piece is
 *   published and queued. A piece inside an entity (a comment, a reply) cannot wait unseen on
 *   its own: held, it is flagged. Private messages are never queued (moderators read a
 *   conversation only when a participant reports it): there, only block and replace apply.
 */
import type { Knex } from 'knex';
import type { FilterHandler, EventHandler, Runtime } from '../../core';
import { NEW_MEMBER, NEW_MEMBER_HOLD, WATCHED } from './constants';
import { entryKey, WatchList, type WatchAction, type WatchedWord } from './watched-words';

/** At most this many entries per network. */
export const MAX_WORDS = 5000;
/** The note of a queued piece: the words found and its text, shortened. */
const EXCERPT = 300;

/** How long a process trusts its compiled list before asking whether it changed (another process's change shows within it). */
const FRESH_MS = 5000;

interface Cached {
  stamp: string;
  list: WatchList;
  checkedAt: number;
}

/** Per database (one app), per network. */
const cache = new WeakMap<object, Map<number, Cached>>();

/** Forgets a network's compiled list: this process's next post reads it again (after a change from the admin page). */
export function forgetList(rt: Pick<Runtime, 'db'>, networkId: number): void {
  cache.get(rt.db)?.delete(networkId);
}

/**
 * The network's compiled list: compiled again when it changed (one small query says whether, at
 * most every FRESH_MS; a change made in this process is seen at once).
 */
export async function watchList(rt: Runtime, networkId: number): Promise<WatchList> {
  let perNetwork = cache.get(rt.db);
  if (!perNetwork) cache.set(rt.db, (perNetwork = new Map()));
  const known = perNetwork.get(networkId);
  const now = Date.now();
  if (known && now - known.checkedAt < FRESH_MS) return known.list;
  const stampRow = (await rt
    .db('moderation_watched_words')
    .where({ network_id: networkId })
    .first(rt.db.raw('count(*) as n'), rt.db.raw('max(updated_at) as at'))) as { n: number | string; at: number | string | null } | undefined;
  const stamp = `${stampRow?.n ?? 0}:${stampRow?.at ?? 0}`;
  if (known?.stamp === stamp) {
    known.checkedAt = now;
    return known.list;
  }
  const rows = Number(stampRow?.n ?? 0)
    ? ((await rt.db('moderation_watched_words').where({ network_id: networkId }).select('pattern', 'action', 'replacement')) as WatchedWord[])
    : [];
  const list = new WatchList(rows);
  perNetwork.set(networkId, { stamp, list, checkedAt: now });
  return list;
}

/** A network's entries, newest first, for the admin page. */
export function listWords(rt: Runtime, networkId: number) {
  return rt.db('moderation_watched_words').where({ network_id: networkId }).orderBy('id', 'desc').select('id', 'pattern', 'action', 'replacement');
}

/** How many entries the network has. */
export async function countWords(rt: Runtime, networkId: number): Promise<number> {
  const row = (await rt.db('moderation_watched_words').where({ network_id: networkId }).count({ n: '*' }).first()) as
    { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * An entry of the network (its pattern and action), else whether the id is an entry at all (of
 * another network): `{ word }`, `{ elsewhere: true }` or `{}` (removed, or never written).
 */
export async function findWord(
  rt: Runtime,
  networkId: number,
  id: number,
): Promise<{ word?: { pattern: string; action: string }; elsewhere?: boolean }> {
  const word = (await rt.db('moderation_watched_words').where({ id, network_id: networkId }).first('pattern', 'action')) as
    { pattern: string; action: string } | undefined;
  if (word) return { word };
  return (await rt.db('moderation_watched_words').where({ id }).first('id')) ? { elsewhere: true } : {};
}

/** What a change of the list records with it (the audit entry), in its transaction. */
export type AlongWithChange = (trx: Knex.Transaction) => Promise<void>;

/** Removes an entry of the network, with `along` in the same transaction: whether it was there. */
export async function removeWord(rt: Runtime, networkId: number, id: number, along?: AlongWithChange): Promise<boolean> {
  const removed = await rt.db.transaction(async (trx) => {
    const n = await trx('moderation_watched_words').where({ id, network_id: networkId }).delete();
    if (n) await along?.(trx);
    return n;
  });
  forgetList(rt, networkId);
  return removed > 0;
}

/**
 * Adds entries (an entry already there takes the new action and replacement), with `along` in the
 * same transaction; answers how many were written.
 */
export async function addWords(
  rt: Runtime,
  networkId: number,
  patterns: string[],
  action: WatchAction,
  replacement: string,
  by: number,
  along?: AlongWithChange,
): Promise<number> {
  const now = Date.now();
  const rows = [...new Map(patterns.map((p) => [entryKey(p), p.trim()])).entries()].map(([key, pattern]) => ({
    network_id: networkId,
    key,
    pattern,
    action,
    replacement: action === 'replace' ? replacement : '',
    created_by: by,
    updated_at: now,
  }));
  await rt.db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 200)
      await trx('moderation_watched_words')
        .insert(rows.slice(i, i + 200))
        .onConflict(['network_id', 'key'])
        .merge(['pattern', 'action', 'replacement', 'updated_at']);
    await along?.(trx);
  });
  forgetList(rt, networkId);
  return rows.length;
}

/** Screens the texts of a piece about to be saved with the network's list. */
export const screenWatchedWords: FilterHandler<'content:saving'> = async (screening, draft, rt) => {
  const list = await watchList(rt, draft.networkId);
  if (!list.size) return screening;
  const texts = { ...screening.texts };
  const problems = { ...screening.problems };
  const hold = [...screening.hold];
  const flag = [...screening.flag];
  for (const [name, text] of Object.entries(texts)) {
    const verdict = list.screen(text);
    if (!verdict.action) continue;
    texts[name] = verdict.text;
    if (verdict.found.block.length)
      problems[name] = { key: 'moderation.words.refused', params: { words: verdict.found.block.join(', '), count: verdict.found.block.length } };
    hold.push(...verdict.found.hold);
    flag.push(...verdict.found.flag);
  }
  return { ...screening, texts, problems, hold, flag };
};

/** Holds or queues a piece the list (or the new-member safeguards) asked for, once saved. */
export const queueScreened: EventHandler<'content:screened'> = async (e, rt) => {
  if (e.entityId === null) return;
  const entity = await rt.entities.get(e.entityId);
  // A draft is seen by nobody: it is screened again when it is published by an edit. A piece
  // its plugin saved withheld because it is held waits for the reviewer like one withheld here.
  if (!entity || entity.deleted_at !== null || (!isTrue(entity.published) && !e.heldOnSave)) return;
  const holding = e.hold.length > 0 && e.objectId === 0;
  const words = [...new Set([...e.hold, ...e.flag])].filter((w) => w !== NEW_MEMBER_HOLD).join(', ');
  const text = Object.values(e.texts).join(' — ');
  const excerpt = text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
  // Held only as a new member's first posts (safeguards.ts): the reason says so, the note is the text.
  const reason = words ? WATCHED : NEW_MEMBER;
  const note = words ? `${words}: ${excerpt}` : excerpt;
  const now = Date.now();
  await rt.db.transaction(async (trx) => {
    if (holding) {
      await rt.entities.update(e.entityId!, { withheld: true }, trx);
      await trx('moderation_hidden')
        .insert({ entity_id: e.entityId, network_id: e.networkId, hidden_by: e.authorId, hidden_at: now, held: true })
        .onConflict('entity_id')
        .ignore();
    }
    // The piece's author stands as the "reporter" of a watched-word report, which is never shown as theirs.
    const key = { network_id: e.networkId, target_type: 'entity', target_id: e.entityId, reporter_id: e.authorId };
    const row = {
      target_user_id: Number(entity.owner_id),
      container_id: entity.container_id === null ? null : Number(entity.container_id),
      reason,
      note,
      created_at: now,
      resolved_at: null,
      outcome: null,
      resolved_by: null,
    };
    await trx('moderation_reports')
      .insert({ ...key, ...row })
      .onConflict(['network_id', 'target_type', 'target_id', 'reporter_id'])
      .merge(Object.keys(row));
  });
};

const isTrue = (v: unknown): boolean => v === true || Number(v) === 1;
