/**
 * "Contains" matching (`like '%word%'`) read from an index instead of a scan of every row: the
 * people search compares each searched word with every folded name and profile value.
 *
 * - SQLite: an FTS5 table with the `trigram` tokenizer over the column (external content: it
 *   stores only the trigrams, keyed by the table's integer primary key), kept in step by row
 *   triggers in the transaction of every write. SQLite answers a `like` on it from the trigrams
 *   when the pattern holds three characters in a row and no `escape` clause.
 * - PostgreSQL: a GIN index with `pg_trgm`'s operator class, used by the same `like`. The
 *   extension is trusted (PostgreSQL 13+: a role that may create in the database creates it;
 *   it ships with the server on Debian). Where it cannot be created the index is left out and
 *   the `like` reads every row: slower, the same answer.
 *
 * The answer never changes with the index: `containsWord` asks the index for what it can answer
 * (three letters or more, nothing to escape) and the column for the rest.
 */
import type { Knex } from 'knex';
import { likeContains, LIKE_ESCAPE } from '../http/params';
import { createRowTrigger, dropRowTrigger } from './triggers';

export interface SubstringIndex {
  table: string;
  /** The column holding the text, already folded (lower case, no accents). */
  column: string;
  /** The table's integer primary key (SQLite's rowid: it survives a VACUUM). */
  key: string;
}

const isSqlite = (db: Knex): boolean => db.client.config.client === 'sqlite3';

/** The FTS5 table (SQLite) or GIN index (PostgreSQL) of `index`. */
const indexName = (index: SubstringIndex): string => `${index.table}_${index.column}_trigrams`;

const TRIGGERS = ['insert', 'update', 'delete'] as const;
const triggerName = (index: SubstringIndex, event: (typeof TRIGGERS)[number]): string => `${indexName(index)}_${event}`;

/** Creates the index and fills it from the rows already there. */
export async function createSubstringIndex(db: Knex, index: SubstringIndex): Promise<void> {
  const name = indexName(index);
  const { table, column, key } = index;
  if (!isSqlite(db)) {
    if (await trigramsAvailable(db)) await db.raw(`create index ${name} on ${table} using gin (${column} gin_trgm_ops)`);
    return;
  }
  await db.raw(`create virtual table ${name} using fts5(${column}, content='${table}', content_rowid='${key}', tokenize='trigram')`);
  await db.raw(`insert into ${name} (${name}) values ('rebuild')`);
  const add = `insert into ${name} (rowid, ${column}) values (new.${key}, new.${column})`;
  const remove = `insert into ${name} (${name}, rowid, ${column}) values ('delete', old.${key}, old.${column})`;
  const statements = { insert: [add], update: [remove, add], delete: [remove] };
  for (const event of TRIGGERS)
    await createRowTrigger(db, {
      name: triggerName(index, event),
      table,
      timing: 'after',
      event: event === 'update' ? `update of ${key}, ${column}` : event,
      // A fold that changed nothing (most of `foldStatements`' rounds) leaves the trigrams alone.
      when: event === 'update' ? `old.${key} is not new.${key} or old.${column} is not new.${column}` : undefined,
      statements: statements[event],
    });
}

export async function dropSubstringIndex(db: Knex, index: SubstringIndex): Promise<void> {
  const name = indexName(index);
  if (!isSqlite(db)) {
    await db.raw(`drop index if exists ${name}`);
    return;
  }
  for (const event of TRIGGERS) await dropRowTrigger(db, triggerName(index, event), index.table);
  await db.raw(`drop table if exists ${name}`);
}

/**
 * Whether `pg_trgm` is there or can be created now: tried under a savepoint, so a refusal
 * (a role without the right, a server without the extension) leaves the migration's
 * transaction usable.
 */
async function trigramsAvailable(db: Knex): Promise<boolean> {
  try {
    await db.transaction(async (trx) => {
      await trx.raw('create extension if not exists pg_trgm');
    });
    return true;
  } catch {
    return false;
  }
}

/** Patterns the trigrams answer: three characters in a row, nothing a `like` would read as a wildcard. */
const INDEXABLE = /^[^%_\\]{3,}$/;

/**
 * Narrows `q` to the rows of `index` (as `alias`) whose column contains `word` (folded by the
 * caller): from the index when the word can be read there, else by `like` over the column.
 */
export function containsWord(db: Knex, index: SubstringIndex, alias: string, word: string): (q: Knex.QueryBuilder) => void {
  const folded = word.toLowerCase();
  return (q) => {
    if (isSqlite(db) && INDEXABLE.test(folded)) {
      const name = indexName(index);
      // `(? || '')`, not a bare `?`: SQLite compiles a statement again at each run when a bound value
      // is a `like` pattern it might optimise (0.17 ms of the search page's people statement); the
      // trigram table answers the expression the same way, from its index.
      q.whereIn(
        `${alias}.${index.key}`,
        db(name)
          .select('rowid')
          .whereRaw(`${name}.${index.column} like (? || '')`, [`%${folded}%`]),
      );
      return;
    }
    q.whereRaw(`${alias}.${index.column} like ? ${LIKE_ESCAPE}`, [likeContains(folded)]);
  };
}
