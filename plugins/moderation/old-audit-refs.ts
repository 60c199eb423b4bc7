/**
 * The decisions of audit entries written before the core kept `ref` (core migration 047): the
 * plugin's migration 008 gives each old entry of a decision or a restore its row of the history,
 * where one can be told for sure, so the audit page links it as it links the new ones
 * (audit-links.ts). A restore names the hide it undid (`before.decision`), whose restore is one
 * row; a decision is matched by network, target, decision, moderator and time (its entry was
 * written in the decision's transaction, within a minute after `decided_at`). An entry and a
 * decision are linked only when each matches the other alone; anything else keeps no `ref`.
 */
import type { Knex } from 'knex';
import { entriesWithoutRef, setMissingRefs, type AuditRow } from '../../core';
import { isDecision } from './constants';

const PREFIX = 'moderation.';
/** How long after its decision an entry may have been written. */
const WITHIN_MS = 60_000;
/** Entries per read of the history (two lists of ids bound each time). */
const CHUNK = 400;

interface Pair {
  entryId: number;
  decisionId: number;
}

const chunks = <T>(list: T[]): T[][] => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

/** The hide a restore's entry names (`before.decision`), or null. */
function undoneHide(e: AuditRow): number | null {
  const id = (e.before as { decision?: unknown } | null)?.decision;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}

/** Each restore's entry with the restore of the hide it names, in the entry's network. */
async function restorePairs(db: Knex, entries: AuditRow[]): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const chunk of chunks(entries.filter((e) => undoneHide(e) !== null))) {
    const rows = (await db('moderation_decisions')
      .whereIn(
        'restores_id',
        chunk.map((e) => undoneHide(e)!),
      )
      .select('id', 'restores_id', 'network_id')) as { id: number; restores_id: number; network_id: number }[];
    for (const e of chunk)
      for (const r of rows)
        if (Number(r.restores_id) === undoneHide(e) && Number(r.network_id) === e.networkId) pairs.push({ entryId: e.id, decisionId: Number(r.id) });
  }
  return pairs;
}

interface DecisionRow {
  id: number;
  network_id: number;
  target_type: string;
  target_id: number;
  decision: string;
  decided_by: number;
  decided_at: number | string;
}

const matches = (e: AuditRow, d: DecisionRow): boolean =>
  Number(d.network_id) === e.networkId &&
  d.target_type === e.objectType &&
  String(d.target_id) === e.objectId &&
  `${PREFIX}${d.decision}` === e.action &&
  Number(d.decided_by) === e.actorId &&
  Number(d.decided_at) <= e.createdAt &&
  e.createdAt <= Number(d.decided_at) + WITHIN_MS;

/** Each decision's entry with the decisions (restores aside) it could be about. */
async function decisionPairs(db: Knex, entries: AuditRow[]): Promise<Pair[]> {
  const pairs: Pair[] = [];
  const usable = entries.filter((e) => e.actorId !== null && /^\d{1,15}$/.test(e.objectId));
  for (const chunk of chunks(usable)) {
    const times = chunk.map((e) => e.createdAt);
    const rows = (await db('moderation_decisions')
      .whereNull('restores_id')
      .whereIn('target_id', [...new Set(chunk.map((e) => Number(e.objectId)))])
      .whereIn('decided_by', [...new Set(chunk.map((e) => e.actorId!))])
      .whereBetween('decided_at', [Math.min(...times) - WITHIN_MS, Math.max(...times)])
      .select('id', 'network_id', 'target_type', 'target_id', 'decision', 'decided_by', 'decided_at')) as DecisionRow[];
    for (const e of chunk) for (const d of rows) if (matches(e, d)) pairs.push({ entryId: e.id, decisionId: Number(d.id) });
  }
  return pairs;
}

/** The pairs whose entry and decision appear in no other pair. */
function onlyEachOther(pairs: Pair[]): Map<number, number> {
  const count = (key: (p: Pair) => number) => {
    const n = new Map<number, number>();
    for (const p of pairs) n.set(key(p), (n.get(key(p)) ?? 0) + 1);
    return n;
  };
  const byEntry = count((p) => p.entryId);
  const byDecision = count((p) => p.decisionId);
  return new Map(pairs.filter((p) => byEntry.get(p.entryId) === 1 && byDecision.get(p.decisionId) === 1).map((p) => [p.entryId, p.decisionId]));
}

/** Gives the old entries of decisions and restores their decision where it is sure; answers how many took one. */
export async function linkOldAuditEntries(db: Knex): Promise<number> {
  const entries = (await entriesWithoutRef(db, PREFIX)).filter((e) => e.networkId !== null);
  const restores = entries.filter((e) => e.action === `${PREFIX}restore`);
  const decisions = entries.filter((e) => isDecision(e.action.slice(PREFIX.length)));
  const pairs = [...(await restorePairs(db, restores)), ...(await decisionPairs(db, decisions))];
  return setMissingRefs(db, onlyEachOther(pairs));
}
