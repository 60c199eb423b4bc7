/**
 * Audit entries written before their owner recorded its own record with them (`ref`, core
 * migration 047): a plugin's migration that can tell which record an old entry was about reads
 * its entries without `ref` here and gives them one here. The plugin never writes the core's
 * audit_log itself, and an entry that names a record keeps it.
 */
import type { Knex } from 'knex';
import { toRow, type AuditRow } from './audit-log';

const PAGE = 1000;

/** The entries whose action starts with `actionPrefix` (`moderation.`) and that name no record, oldest first. */
export async function entriesWithoutRef(db: Knex, actionPrefix: string): Promise<AuditRow[]> {
  const like = `${actionPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const out: AuditRow[] = [];
  for (let after = 0; ;) {
    const raw = (await db('audit_log')
      .whereNull('ref')
      .whereRaw("action LIKE ? ESCAPE '\\'", [like])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)) as Record<string, unknown>[];
    // LIKE ignores case on SQLite: the prefix is compared exactly here.
    out.push(...raw.map(toRow).filter((r) => r.action.startsWith(actionPrefix)));
    if (raw.length < PAGE) return out;
    after = Number(raw[raw.length - 1].id);
  }
}

/** Gives each entry (by id) its record, where it names none yet; answers how many entries took one. */
export async function setMissingRefs(db: Knex, refs: ReadonlyMap<number, string | number>): Promise<number> {
  let set = 0;
  for (const [id, ref] of refs)
    set += Number(
      await db('audit_log')
        .where({ id })
        .whereNull('ref')
        .update({ ref: String(ref).slice(0, 100) }),
    );
  return set;
}
