/**
 * Opens the database through knex: SQLite (WAL, foreign keys, busy timeout) by
 * default, PostgreSQL for a postgres:// URL. The same knex code runs on both.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { StartupError } from '../errors';
import { PreparingSqliteClient } from './sqlite-client';

const INT8 = 20;
const int8AsNumber = (v: string): number => Number(v);
/**
 * The type parsers of this app's PostgreSQL clients: int8 as a number, everything else as pg does.
 * pg asks for a parser per column of every result: one function for int8, not a new one each time.
 */
const PG_TYPES = {
  getTypeParser: (oid: number, format?: string): ((value: string) => unknown) =>
    oid === INT8 && format !== 'binary' ? int8AsNumber : pg.types.getTypeParser(oid, (format ?? 'text') as 'text'),
};

export type Db = Knex;

/**
 * The page cache of each SQLite connection of the process (the pool's and the reading one of
 * core/db/statements.ts), in KiB; SQLite's default is 2 MB. The bench's home feed touches
 * between 2 and 3 MB of pages (its river joins hundreds of activity rows to their entities and
 * actors): with 2 MB every request read some 250 pages from the file again (one `pread` and a
 * page rebuilt each). Pages are allocated as they are read, so a small site uses no more; 4 MB
 * rather than more because every page of the cache counts in the process's resident memory
 * (the bench's pages peaked 9 MB higher with 8 MB, against a 250 MB target).
 */
export const SQLITE_CACHE_KIB = 4 * 1024;
/** Set on every SQLite connection of the process when it opens. */
export const SQLITE_CACHE_PRAGMA = `PRAGMA cache_size = -${SQLITE_CACHE_KIB};`;
export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(url: string): Dialect {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

export function createDatabase(url: string): Db {
  if (dialectOf(url) === 'sqlite') {
    const filename = url.slice('sqlite:'.length);
    if (filename !== ':memory:') {
      try {
        fs.mkdirSync(path.dirname(filename), { recursive: true });
      } catch (e) {
        throw new StartupError('E_DATA_DIR', `cannot create ${path.dirname(filename)}: ${(e as Error).message}`);
      }
    }
    const db = knexFactory({
      // knex's SQLite client keeping statements prepared (core/db/sqlite-client.ts).
      client: PreparingSqliteClient as unknown as typeof Knex.Client,
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
          // `optimize=0x10002` gathers the planner's statistics for tables that have none or
          // have grown a lot (bounded by analysis_limit: a fraction of a second once, then
          // nothing). Without them SQLite may prefer a poor index, e.g. a status column over
          // a primary key in `where id in (…) and status = ?`. The busy timeout comes first, so
          // that switching to WAL waits for another process (a seed closing) instead of failing.
          conn.exec(
            `PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; ${SQLITE_CACHE_PRAGMA} PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;`,
            (err) => done(err, conn),
          );
        },
      },
    });
    // Code tells the databases apart by `client.config.client`, as with the client's name.
    db.client.config.client = 'sqlite3';
    return db;
  }
  // PostgreSQL returns bigint (int8) as strings by default; our ids and millisecond timestamps
  // fit in a double, so this app's connections read them as numbers. Set per client (pg's
  // `types` option), never on pg's process-wide parsers, which other code may rely on.
  return knexFactory({ client: 'pg', connection: { connectionString: url, types: PG_TYPES }, pool: { min: 0, max: 10 } });
}

/**
 * Refreshes the query planner's statistics where they are stale: SQLite's `PRAGMA optimize`
 * (cheap, bounded by analysis_limit); PostgreSQL's autovacuum already does it. Run after
 * migrations and bulk loads, and every few hours by a serving process.
 */
export async function optimizeDatabase(db: Db): Promise<void> {
  if (db.client.config.client === 'sqlite3') await db.raw('PRAGMA optimize');
}

/** Checks the database answers; throws a StartupError with the driver's reason otherwise. */
/** A database for `url` that answered a first query; a StartupError (its pool closed) when it does not. */
export async function connectDatabase(url: string): Promise<Db> {
  const db = createDatabase(url);
  try {
    await checkConnection(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return db;
}

export async function checkConnection(db: Db): Promise<void> {
  try {
    await db.raw('select 1');
  } catch (e) {
    throw new StartupError('E_DATABASE', `cannot reach the database: ${(e as Error).message}`);
  }
}
